import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";

import {
  isActive,
  RunProgressCard,
  StartRunCard,
  STATUS_LABEL,
  type BulkRunActionResult,
} from "~/components/BulkRunCards";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { cancelBulkRun } from "~/services/content/bulk-runs/cancel-bulk-run.server";
import { loadBulkRunsPage } from "~/services/content/bulk-runs/load-bulk-runs-page.server";
import { retryBulkRunItems } from "~/services/content/bulk-runs/retry-bulk-run-items.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadBulkRunsPage({ db: prisma, shop: session.shop, store: storeForRequest(session.shop) });
};

const BulkRunForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("start"),
    scope: z.enum(["ALL", "MISSING_DESCRIPTION", "COLLECTION", "TAG"]),
    collection: z.string().optional(),
    tag: z.string().trim().max(255).optional(),
  }),
  z.object({ intent: z.literal("cancel"), runId: z.string().min(1) }),
  z.object({ intent: z.literal("retry"), runId: z.string().min(1), itemId: z.string().min(1).optional() }),
]);

type StartForm = Extract<z.infer<typeof BulkRunForm>, { intent: "start" }>;

/** The selection a start form asks for, or the field error to show. */
function selectionOf(form: StartForm) {
  if (form.scope === "COLLECTION") {
    const [collectionId, ...title] = (form.collection ?? "").split("|");
    if (!collectionId) return { fieldErrors: { collection: "Choose a collection." } };
    return { selection: { scope: "COLLECTION" as const, collectionId, collectionTitle: title.join("|") } };
  }
  if (form.scope === "TAG") {
    if (!form.tag) return { fieldErrors: { tag: "Enter the tag of the products to write copy for." } };
    return { selection: { scope: "TAG" as const, tag: form.tag } };
  }
  return { selection: { scope: form.scope } };
}

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<BulkRunActionResult | ReturnType<typeof data<BulkRunActionResult>>> => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = BulkRunForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: "Choose what the bulk run should cover.", message: null };
  try {
    if (form.data.intent === "start") {
      const chosen = selectionOf(form.data);
      if (!chosen.selection) return { error: "Some fields need attention.", message: null, ...chosen };
      await startBulkRun({ db: prisma, shop, selection: chosen.selection });
      return { error: null, message: "Bulk run started: reading the catalog." };
    }
    if (form.data.intent === "cancel") {
      const { canceled } = await cancelBulkRun({ db: prisma, shop, runId: form.data.runId });
      return { error: null, message: `Bulk run canceled; ${canceled} products were not started.` };
    }
    const { retried } = await retryBulkRunItems({ db: prisma, shop, ...form.data });
    return { error: null, message: retried === 1 ? "Retrying 1 product." : `Retrying ${retried} products.` };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.userMessage, message: null }, { status: actionStatus(error) });
    throw error;
  }
};

const POLL_MS = 2_000;

export default function BulkRuns() {
  const { latest, earlier, collections, catalogSize, autoPublish } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const active = isActive(latest);
  // Live progress: reload the counts while a run is in flight.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  return (
    <Page>
      <TitleBar title="Bulk runs" />
      <Layout>
        <Layout.Section>
          <StartRunCard
            collections={collections}
            disabled={active}
            catalogSize={catalogSize}
            autoPublish={autoPublish}
          />
        </Layout.Section>
        {latest ? (
          <Layout.Section>
            <RunProgressCard run={latest} />
          </Layout.Section>
        ) : null}
        {earlier.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Earlier runs
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Started", "Products", "Status", "Written", "Skipped", "Failed", "Tokens"]}
                  rows={earlier.map((run) => [
                    new Date(run.createdAt).toLocaleString(),
                    run.scope,
                    STATUS_LABEL[run.status],
                    run.done,
                    run.unchanged > 0 ? `${run.skipped} (${run.unchanged} unchanged, 0 tokens)` : run.skipped,
                    run.failed,
                    run.tokens.toLocaleString(),
                  ])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
