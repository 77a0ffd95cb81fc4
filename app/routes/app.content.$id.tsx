import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";

import { ActionResultBanners } from "~/components/ActionResultBanners";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { productHistory } from "~/services/content/product-history.server";
import { requestRegeneration } from "~/services/content/request-regeneration.server";
import { restoreVersion } from "~/services/content/restore-version.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const record = await productHistory({ db: prisma, shop: session.shop, productContentId: params.id ?? "" });
    return {
      title: record.title,
      versions: record.versions.map((version) => ({
        id: version.id,
        version: version.version,
        status: version.status,
        metaTitle: version.metaTitle,
        shortDescription: version.shortDescription,
        note: version.note,
        reviewReason: version.reviewReason,
        createdAt: version.createdAt.toISOString(),
      })),
    };
  } catch (error) {
    if (isAppError(error, "RESOURCE_NOT_FOUND")) throw new Response(error.userMessage, { status: 404 });
    throw error;
  }
};

const HistoryForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("restore"), versionId: z.string().min(1) }),
  z.object({ intent: z.literal("regenerate"), note: z.string().trim().max(500, "Keep the note under 500 characters") }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = HistoryForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: form.error.issues[0]?.message ?? "Invalid request.", message: null };
  try {
    if (form.data.intent === "restore") {
      await restoreVersion({ db: prisma, shop: session.shop, versionId: form.data.versionId });
      return { error: null, message: "Restoring that version." };
    }
    const note = form.data.note || null;
    await requestRegeneration({ db: prisma, shop: session.shop, productContentId: params.id ?? "", note });
    return { error: null, message: "Writing new copy. The draft will appear in Review copy." };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.userMessage, message: null }, { status: actionStatus(error) });
    throw error;
  }
};

const TONE = {
  LIVE: "success",
  DRAFT: "attention",
  PUBLISHING: "info",
  SUPERSEDED: undefined,
  REJECTED: "critical",
} as const;

export default function ProductCopyHistory() {
  const { title, versions } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle";
  const navigate = useNavigate();

  return (
    <Page>
      <TitleBar title={title || "Product copy"}>
        <button variant="breadcrumb" onClick={() => navigate("/app/content")}>
          Product copy
        </button>
      </TitleBar>
      <Layout>
        <ActionResultBanners result={fetcher.data} />
        <Layout.Section>
          <Card>
            <fetcher.Form method="post">
              <BlockStack gap="200">
                <input type="hidden" name="intent" value="regenerate" />
                <TextField
                  label="Note for the writer"
                  name="note"
                  value={note}
                  onChange={setNote}
                  autoComplete="off"
                  placeholder="e.g. mention that it is hand-made in Portugal"
                  multiline={2}
                />
                <InlineStack align="end">
                  <Button submit loading={busy}>
                    Regenerate
                  </Button>
                </InlineStack>
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.Section>
        {versions.map((version) => (
          <Layout.Section key={version.id}>
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between">
                  <Text as="h2" variant="headingSm">{`Version ${version.version}`}</Text>
                  <Badge tone={TONE[version.status]}>{version.status.toLowerCase()}</Badge>
                </InlineStack>
                {version.reviewReason ? <Banner tone="warning">{version.reviewReason}</Banner> : null}
                <Text as="p" fontWeight="semibold">
                  {version.metaTitle}
                </Text>
                <Text as="p">{version.shortDescription}</Text>
                {version.note ? <Text as="p" tone="subdued">{`Note: ${version.note}`}</Text> : null}
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="span" tone="subdued">
                    {new Date(version.createdAt).toLocaleString()}
                  </Text>
                  {version.status === "SUPERSEDED" || version.status === "REJECTED" ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="intent" value="restore" />
                      <input type="hidden" name="versionId" value={version.id} />
                      <Button submit disabled={busy}>{`Restore version ${version.version}`}</Button>
                    </fetcher.Form>
                  ) : null}
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}
      </Layout>
    </Page>
  );
}
