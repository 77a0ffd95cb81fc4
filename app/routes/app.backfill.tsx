import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { ActionResultBanners } from "~/components/ActionResultBanners";
import { prisma } from "~/db.server";
import { shopifyStore } from "~/integrations/shopify/shopify-store.server";
import { isAppError } from "~/lib/errors";
import { cancelBackfill } from "~/services/content/backfill/cancel-backfill.server";
import { loadBackfill, type BackfillProgress } from "~/services/content/backfill/load-backfill.server";
import { retryBackfillItems } from "~/services/content/backfill/retry-backfill-items.server";
import { startBackfill } from "~/services/content/backfill/start-backfill.server";
import { adminClientFor, authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = shopifyStore(adminClientFor(session.shop, { maxWaitMs: 5_000 }));
  const [backfill, collections] = await Promise.all([
    loadBackfill({ db: prisma, shop: session.shop }),
    store.collections().catch(() => null),
  ]);
  return { ...backfill, collections };
};

const BackfillForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("start"),
    scope: z.enum(["ALL", "MISSING_DESCRIPTION", "COLLECTION", "TAG"]),
    collection: z.string().optional(),
    tag: z.string().trim().max(255).optional(),
  }),
  z.object({ intent: z.literal("cancel"), runId: z.string().min(1) }),
  z.object({ intent: z.literal("retry"), runId: z.string().min(1), itemId: z.string().min(1).optional() }),
]);

type StartForm = Extract<z.infer<typeof BackfillForm>, { intent: "start" }>;

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

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = BackfillForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: "Choose what the bulk run should cover.", message: null };
  try {
    if (form.data.intent === "start") {
      const chosen = selectionOf(form.data);
      if (!chosen.selection) return { error: "Some fields need attention.", message: null, ...chosen };
      await startBackfill({ db: prisma, shop, selection: chosen.selection });
      return { error: null, message: "Bulk run started: reading the catalog." };
    }
    if (form.data.intent === "cancel") {
      const { canceled } = await cancelBackfill({ db: prisma, shop, runId: form.data.runId });
      return { error: null, message: `Bulk run canceled; ${canceled} products were not started.` };
    }
    const { retried } = await retryBackfillItems({ db: prisma, shop, ...form.data });
    return { error: null, message: retried === 1 ? "Retrying 1 product." : `Retrying ${retried} products.` };
  } catch (error) {
    if (isAppError(error)) return { error: error.userMessage, message: null };
    throw error;
  }
};

const STATUS_TONE = {
  READING: "info",
  RUNNING: "info",
  COMPLETED: "success",
  CANCELED: undefined,
  FAILED: "critical",
} as const;

const isActive = (run: { status: string } | null) => run?.status === "READING" || run?.status === "RUNNING";

function formatEta(seconds: number | null): string {
  if (seconds === null) return "estimating…";
  if (seconds < 60) return `about ${seconds} s`;
  return `about ${Math.ceil(seconds / 60)} min`;
}

function StartRun({
  collections,
  disabled,
}: {
  collections: Array<{ id: string; title: string }> | null;
  disabled: boolean;
}) {
  const start = useFetcher<typeof action>();
  const [scope, setScope] = useState("MISSING_DESCRIPTION");
  const [collection, setCollection] = useState("");
  const [tag, setTag] = useState("");
  const fieldErrors: { collection?: string; tag?: string } =
    (start.data && "fieldErrors" in start.data ? start.data.fieldErrors : undefined) ?? {};
  const collectionOptions = [
    { label: "Choose a collection", value: "" },
    ...(collections ?? []).map((option) => ({ label: option.title, value: `${option.id}|${option.title}` })),
  ];
  return (
    <Card>
      <start.Form method="post">
        <input type="hidden" name="intent" value="start" />
        <FormLayout>
          <Text as="h2" variant="headingMd">
            Write copy for existing products
          </Text>
          <Select
            label="Products"
            name="scope"
            value={scope}
            onChange={setScope}
            options={[
              { label: "Products without a description", value: "MISSING_DESCRIPTION" },
              { label: "Whole catalog", value: "ALL" },
              { label: "A collection", value: "COLLECTION" },
              { label: "Products with a tag", value: "TAG" },
            ]}
            helpText="Existing descriptions are kept unless Settings allow overwriting them; unchanged products cost nothing."
          />
          {scope === "COLLECTION" ? (
            <Select
              label="Collection"
              name="collection"
              value={collection}
              onChange={setCollection}
              options={collectionOptions}
              error={
                fieldErrors.collection ?? (collections ? undefined : "Collections could not be loaded from Shopify.")
              }
            />
          ) : null}
          {scope === "TAG" ? (
            <TextField
              label="Tag"
              name="tag"
              value={tag}
              onChange={setTag}
              autoComplete="off"
              error={fieldErrors.tag}
            />
          ) : null}
          {/* "Started" only while that run is on; an error stays until the next try. */}
          <ActionResultBanners result={start.data?.error || disabled ? start.data : undefined} />
          <InlineStack align="end">
            <Button submit variant="primary" disabled={disabled} loading={start.state !== "idle"}>
              Start bulk run
            </Button>
          </InlineStack>
        </FormLayout>
      </start.Form>
    </Card>
  );
}

function RunProgress({ run }: { run: BackfillProgress }) {
  const act = useFetcher<typeof action>();
  const busy = act.state !== "idle";
  const finished = run.done + run.skipped + run.failed;
  const percent = run.total > 0 ? Math.round((finished / run.total) * 100) : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {run.scope}
          </Text>
          <Badge tone={STATUS_TONE[run.status]}>
            {run.status === "READING" ? "reading catalog" : run.status.toLowerCase()}
          </Badge>
        </InlineStack>
        {run.status === "READING" ? (
          <Text as="p">Reading the catalog from Shopify…</Text>
        ) : (
          <>
            <ProgressBar
              progress={percent}
              tone={run.status === "COMPLETED" && run.failed === 0 ? "success" : "primary"}
            />
            <InlineStack gap="400">
              <Text as="span">{`${finished} of ${run.total} processed`}</Text>
              <Text as="span">{`Done: ${run.done}`}</Text>
              <Text as="span">{`Skipped: ${run.skipped}`}</Text>
              <Text as="span" tone={run.failed > 0 ? "critical" : undefined}>{`Failed: ${run.failed}`}</Text>
              <Text as="span">{`Remaining: ${run.remaining}`}</Text>
              {run.status === "RUNNING" ? <Text as="span">{`ETA: ${formatEta(run.etaSeconds)}`}</Text> : null}
              {run.canceled > 0 ? <Text as="span">{`Canceled: ${run.canceled}`}</Text> : null}
            </InlineStack>
          </>
        )}
        {run.error ? (
          <Text as="p" tone="critical">
            {run.error}
          </Text>
        ) : null}
        <ActionResultBanners result={act.data} />
        <InlineStack gap="200" align="end">
          {run.failed > 0 && run.status !== "CANCELED" ? (
            <act.Form method="post">
              <input type="hidden" name="intent" value="retry" />
              <input type="hidden" name="runId" value={run.id} />
              <Button submit disabled={busy}>{`Retry all failed (${run.failed})`}</Button>
            </act.Form>
          ) : null}
          {isActive(run) ? (
            <act.Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="runId" value={run.id} />
              <Button submit tone="critical" disabled={busy}>
                Cancel run
              </Button>
            </act.Form>
          ) : null}
        </InlineStack>
        {run.failures.length > 0 ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Failed products
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Product", "Error", ""]}
              rows={run.failures.map((item) => [
                item.title,
                item.error ?? item.errorCode ?? "Unknown error",
                <act.Form method="post" key={item.id}>
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="runId" value={run.id} />
                  <input type="hidden" name="itemId" value={item.id} />
                  <Button
                    submit
                    size="slim"
                    disabled={busy || run.status === "CANCELED"}
                    accessibilityLabel={`Retry ${item.title}`}
                  >
                    Retry
                  </Button>
                </act.Form>,
              ])}
            />
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

const POLL_MS = 2_000;

export default function BulkRuns() {
  const { latest, earlier, collections } = useLoaderData<typeof loader>();
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
    <Page title="Bulk runs" backAction={{ url: "/app" }}>
      <Layout>
        <Layout.Section>
          <StartRun collections={collections} disabled={active} />
        </Layout.Section>
        {latest ? (
          <Layout.Section>
            <RunProgress run={latest} />
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
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={["Products", "Status", "Total", "Started"]}
                  rows={earlier.map((run) => [
                    run.scope,
                    run.status.toLowerCase(),
                    run.total,
                    new Date(run.createdAt).toLocaleString(),
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
