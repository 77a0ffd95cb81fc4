import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";

import { GRID_STATE_LABELS, keyLabel, kindLabel, kindName, languageName } from "~/components/translations/labels";
import { storeForRequest, translationInventoryFor } from "~/composition.server";
import { prisma } from "~/db.server";
import { listTranslationResources } from "~/services/translations/admin/load-translations-admin.server";
import { GRID_STATES } from "~/services/translations/admin/grid-states";
import { requestTranslation } from "~/services/translations/request-translation.server";
import { authenticate } from "~/shopify.server";

const query = z.object({
  state: z.enum(GRID_STATES as [string, ...string[]]).default("failed"),
  kind: z.string().max(40).optional(),
  locale: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const filter = params.success ? params.data : query.parse({});
  return listTranslationResources({
    db: prisma,
    store: storeForRequest(session.shop),
    inventory: translationInventoryFor(session.shop, "request"),
    shop: session.shop,
    state: filter.state as (typeof GRID_STATES)[number],
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.locale ? { locale: filter.locale } : {}),
    page: filter.page,
  });
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

function RetryButton({ item }: { item: Item }) {
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
      <input type="hidden" name="resourceId" value={item.resourceId} />
      <Button submit disabled={Boolean(queued)} accessibilityLabel={`Retry ${item.title}`}>
        {queued ? "Queued" : "Retry"}
      </Button>
    </fetcher.Form>
  );
}

const TONES = {
  translated: "success",
  outdated: "warning",
  missing: "attention",
  edited: "info",
  failed: "critical",
} as const;

export default function TranslationItems() {
  const { filter, items, total, page, pages } = useLoaderData<typeof loader>();
  const state = filter.state as keyof typeof GRID_STATE_LABELS;
  const heading = [
    GRID_STATE_LABELS[state],
    filter.kind ? kindLabel(filter.kind).toLowerCase() : "content",
    filter.locale ? `in ${languageName(filter.locale)}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const pageLink = (to: number) =>
    `?${new URLSearchParams({
      state,
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.locale ? { locale: filter.locale } : {}),
      page: String(to),
    })}`;
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
              <Box key={item.resourceId} padding="400" borderBlockEndWidth="025" borderColor="border">
                <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
                  <BlockStack gap="100">
                    <RemixLink to={`/app/translations/${encodeURIComponent(item.resourceId)}`} className="Polaris-Link">
                      {item.title}
                    </RemixLink>
                    <Text as="p" tone="subdued">
                      {`${kindName(item.kind)} · ${item.keys.map((key) => keyLabel(key)).join(", ")}`}
                    </Text>
                    {state === "failed"
                      ? item.reasons.map((reason) => (
                          <Text key={reason} as="p" tone="critical">
                            {reason}
                          </Text>
                        ))
                      : null}
                  </BlockStack>
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Badge tone={TONES[state]}>{GRID_STATE_LABELS[state]}</Badge>
                    {state === "failed" ? <RetryButton item={item} /> : null}
                  </InlineStack>
                </InlineStack>
              </Box>
            ))
          )}
        </Card>
        {pages > 1 ? (
          <InlineStack gap="400" blockAlign="center">
            {page > 1 ? (
              <RemixLink to={pageLink(page - 1)} className="Polaris-Link">
                Previous page
              </RemixLink>
            ) : null}
            <Text as="span" tone="subdued">{`Page ${page} of ${pages} · ${total} items`}</Text>
            {page < pages ? (
              <RemixLink to={pageLink(page + 1)} className="Polaris-Link">
                Next page
              </RemixLink>
            ) : null}
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}
