import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";

import { keyLabel, kindLabel, kindName, languageName, STATUS_LABELS } from "~/components/translations/labels";
import { prisma } from "~/db.server";
import { listTranslationItems } from "~/services/translations/load-translation-status.server";
import { requestTranslation } from "~/services/translations/request-translation.server";
import { authenticate } from "~/shopify.server";

const query = z.object({
  status: z
    .enum(["translated", "edited", "failed", "skipped"])
    .default("failed")
    .transform((s) => s.toUpperCase() as keyof typeof STATUS_LABELS),
  kind: z.string().max(40).optional(),
  locale: z.string().max(20).optional(),
  cursor: z.string().max(40).optional(),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const filter = params.success ? params.data : query.parse({});
  const page = await listTranslationItems({ db: prisma, shop: session.shop, ...filter });
  return { filter, ...page };
};

const retryForm = z.object({ intent: z.literal("retry"), resourceId: z.string().min(1).max(200) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = retryForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, error: "Choose an item to retry." }, { status: 400 });
  await requestTranslation({ shop: session.shop, resourceId: parsed.data.resourceId });
  return { ok: true as const, resourceId: parsed.data.resourceId };
};

type Item = Awaited<ReturnType<typeof loader>>["items"][number];

function RetryButton({ resourceId }: { resourceId: string }) {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const queued = fetcher.state !== "idle" || (fetcher.data && "ok" in fetcher.data && fetcher.data.ok);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && "ok" in fetcher.data && fetcher.data.ok)
      shopify.toast.show("Translation queued");
  }, [fetcher.state, fetcher.data, shopify]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="retry" />
      <input type="hidden" name="resourceId" value={resourceId} />
      <Button submit disabled={Boolean(queued)} accessibilityLabel={`Retry ${resourceId}`}>
        {queued ? "Queued" : "Retry"}
      </Button>
    </fetcher.Form>
  );
}

export default function TranslationItems() {
  const { filter, items, nextCursor } = useLoaderData<typeof loader>();
  const heading = [
    STATUS_LABELS[filter.status],
    filter.kind ? kindLabel(filter.kind).toLowerCase() : null,
    filter.locale ? `in ${languageName(filter.locale)}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const next = nextCursor
    ? `?${new URLSearchParams({ ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.locale ? { locale: filter.locale } : {}), status: filter.status.toLowerCase(), cursor: nextCursor })}`
    : null;
  return (
    <Page>
      <TitleBar title="Translations" />
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {heading}
          </Text>
          <RemixLink to="/app/translations" className="Polaris-Link">
            All translations
          </RemixLink>
        </InlineStack>
        <Card padding="0">
          {items.length === 0 ? (
            <EmptyState
              heading="Nothing here"
              action={{ content: "Back to translations", url: "/app/translations" }}
              image=""
            >
              <p>No fields are in this state any more.</p>
            </EmptyState>
          ) : (
            items.map((item: Item) => (
              <Box key={item.id} padding="400" borderBlockEndWidth="025" borderColor="border">
                <InlineStack align="space-between" blockAlign="center" gap="400">
                  <BlockStack gap="100">
                    <RemixLink to={`/app/translations/${encodeURIComponent(item.resourceId)}`} className="Polaris-Link">
                      {`${kindName(item.kind)} ${keyLabel(item.key).toLowerCase()} · ${languageName(item.locale)}`}
                    </RemixLink>
                    {item.failureReason ? (
                      <Text as="p" tone="critical">
                        {item.failureReason}
                      </Text>
                    ) : null}
                  </BlockStack>
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={item.status === "FAILED" ? "critical" : item.status === "EDITED" ? "info" : undefined}>
                      {STATUS_LABELS[item.status]}
                    </Badge>
                    {item.status === "FAILED" ? <RetryButton resourceId={item.resourceId} /> : null}
                  </InlineStack>
                </InlineStack>
              </Box>
            ))
          )}
        </Card>
        {next ? (
          <RemixLink to={next} className="Polaris-Link">
            Next page
          </RemixLink>
        ) : null}
      </BlockStack>
    </Page>
  );
}
