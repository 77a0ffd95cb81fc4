import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  ProgressBar,
  Text,
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";

import { kindName, languageName } from "~/components/translations/labels";
import { storeForRequest } from "~/composition.server";
import { env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { formatCost } from "~/lib/format-cost";
import { bulkSelection, loadBulkTranslationPage } from "~/services/translations/admin/load-translations-admin.server";
import {
  cancelTranslationBulkRun,
  retryTranslationBulkItems,
  startTranslationBulkRun,
} from "~/services/translations/admin/translation-bulk-runs.server";
import type { CostEstimate } from "~/services/translations/admin/estimate-translation-cost";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .catch(1)
    .parse(new URL(request.url).searchParams.get("page") ?? 1);
  return loadBulkTranslationPage({
    db: prisma,
    store: storeForRequest(session.shop),
    shop: session.shop,
    model: env().OPENAI_MODEL_TRANSLATION,
    page,
  });
};

const actionForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("start"),
    scope: z.enum(["pending", "chosen"]),
    resourceIds: z.string().max(20_000).default("[]"),
  }),
  z.object({ intent: z.literal("cancel"), runId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal("retry"), runId: z.string().min(1).max(40), itemId: z.string().max(40).optional() }),
]);

type ActionResult =
  | { ok: true; intent: "start"; total: number }
  | { ok: true; intent: "cancel"; canceled: number }
  | { ok: true; intent: "retry"; retried: number }
  | { ok: false; error: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ ok: false, error: "That request could not be read." }, { status: 400 });
  const shop = session.shop;
  try {
    const form = parsed.data;
    if (form.intent === "start") {
      const ids = z.array(z.string().min(1).max(200)).max(250).safeParse(JSON.parse(form.resourceIds));
      if (!ids.success) return data<ActionResult>({ ok: false, error: "Choose up to 250 items." }, { status: 400 });
      const selection = await bulkSelection({
        db: prisma,
        store: storeForRequest(shop),
        shop,
        model: env().OPENAI_MODEL_TRANSLATION,
        ...(form.scope === "chosen" ? { resourceIds: ids.data } : {}),
      });
      const run = await startTranslationBulkRun({ db: prisma, shop, scope: form.scope, ...selection });
      return { ok: true, intent: "start", total: run.total } satisfies ActionResult;
    }
    if (form.intent === "cancel") {
      const result = await cancelTranslationBulkRun({ db: prisma, shop, runId: form.runId });
      return { ok: true, intent: "cancel", canceled: result.canceled } satisfies ActionResult;
    }
    const result = await retryTranslationBulkItems({
      db: prisma,
      shop,
      runId: form.runId,
      ...(form.itemId ? { itemId: form.itemId } : {}),
    });
    return { ok: true, intent: "retry", retried: result.retried } satisfies ActionResult;
  } catch (error) {
    if (isAppError(error))
      return data<ActionResult>({ ok: false, error: error.userMessage }, { status: actionStatus(error) });
    throw error;
  }
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Run = NonNullable<LoaderData["run"]>;
const POLL_MS = 2_000;
const number = (value: number) => value.toLocaleString("en-US");

function addEstimates(estimates: CostEstimate[]): CostEstimate {
  const total: CostEstimate = {
    resources: 0,
    words: 0,
    wordsByLocale: {},
    calls: 0,
    promptTokens: 0,
    completionTokens: 0,
    tokens: 0,
    costUsd: 0,
  };
  for (const estimate of estimates) {
    total.resources += estimate.resources;
    total.words += estimate.words;
    total.calls += estimate.calls;
    total.promptTokens += estimate.promptTokens;
    total.completionTokens += estimate.completionTokens;
    total.tokens += estimate.tokens;
    total.costUsd = total.costUsd === null || estimate.costUsd === null ? null : total.costUsd + estimate.costUsd;
    for (const [locale, words] of Object.entries(estimate.wordsByLocale))
      total.wordsByLocale[locale] = (total.wordsByLocale[locale] ?? 0) + words;
  }
  return total;
}

/** The cost preview: words per language, words × languages → tokens → cost. */
function CostPreview({ estimate, locales }: { estimate: CostEstimate; locales: string[] }) {
  const perLocale = locales.map((locale) => estimate.wordsByLocale[locale] ?? 0);
  const uniform = perLocale.every((words) => words === perLocale[0]);
  const languages = `${locales.length} ${locales.length === 1 ? "language" : "languages"}`;
  const words = uniform
    ? `${number(perLocale[0] ?? 0)} words × ${languages}`
    : `${number(estimate.words)} words across ${languages}`;
  return (
    <BlockStack gap="100">
      <Text as="p">
        {locales.map((locale, index) => `${languageName(locale)}: ${number(perLocale[index]!)} words`).join(" · ")}
      </Text>
      <Text as="p" variant="headingSm">
        {`${words} → ≈ ${number(estimate.tokens)} tokens → ${formatCost(estimate.costUsd, estimate.tokens)}`}
      </Text>
      <Text as="p" tone="subdued">
        An estimate: product options and image alt text are translated with their product, and an answer that fails the
        checks is asked again once.
      </Text>
    </BlockStack>
  );
}

function RunCard({ run }: { run: Run }) {
  const fetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  const handled = useRef<ActionResult | null>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || handled.current === fetcher.data) return;
    handled.current = fetcher.data;
    if (fetcher.data.ok && fetcher.data.intent === "cancel") shopify.toast.show("Bulk translation canceled");
    if (fetcher.data.ok && fetcher.data.intent === "retry") shopify.toast.show("Retrying failed items");
  }, [fetcher.state, fetcher.data, shopify]);
  const finished = run.counts.DONE + run.counts.SKIPPED + run.counts.FAILED + run.counts.CANCELED;
  const running = run.status === "RUNNING";
  const canceling = fetcher.formData?.get("intent") === "cancel";
  const status = running
    ? { label: "Running", tone: "info" as const }
    : run.status === "CANCELED"
      ? { label: "Canceled", tone: undefined }
      : { label: "Finished", tone: "success" as const };
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {`Bulk translation into ${run.locales.map(languageName).join(", ")}`}
            </Text>
            <Badge tone={status.tone}>{status.label}</Badge>
          </InlineStack>
          {running ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="runId" value={run.id} />
              <Button submit tone="critical" disabled={canceling}>
                {canceling ? "Canceling…" : "Cancel"}
              </Button>
            </fetcher.Form>
          ) : null}
        </InlineStack>
        <ProgressBar progress={run.total ? Math.round((finished / run.total) * 100) : 100} size="small" />
        <Text as="p">
          {`${number(run.counts.DONE + run.counts.SKIPPED)} done · ${number(run.counts.FAILED)} failed · ${number(run.counts.QUEUED)} remaining${run.counts.CANCELED ? ` · ${number(run.counts.CANCELED)} canceled` : ""} (of ${number(run.total)})${run.inFlight ? ` · ${number(run.inFlight)} translating now` : ""}`}
        </Text>
        <Text as="p" tone="subdued">
          {`Used ${number(run.tokens)} tokens${running ? " so far" : ""}; estimated ≈ ${number(run.estimatedTokens)} tokens, ${formatCost(run.estimatedCostUsd, run.estimatedTokens)}.${running ? " Items being translated when you cancel finish; the rest are not started." : ""}`}
        </Text>
        {run.failed.length > 0 ? (
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h3" variant="headingSm">
                Failed
              </Text>
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="retry" />
                <input type="hidden" name="runId" value={run.id} />
                <Button submit disabled={fetcher.state !== "idle"}>
                  Retry all failed
                </Button>
              </fetcher.Form>
            </InlineStack>
            {run.failed.map((item) => (
              <Box key={item.id} paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
                <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
                  <BlockStack gap="100">
                    <RemixLink to={`/app/translations/${encodeURIComponent(item.resourceId)}`} className="Polaris-Link">
                      {item.title}
                    </RemixLink>
                    <Text as="p" tone="critical">
                      {item.error ?? item.outcome ?? "Not translated"}
                    </Text>
                  </BlockStack>
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="runId" value={run.id} />
                    <input type="hidden" name="itemId" value={item.id} />
                    <Button submit disabled={fetcher.state !== "idle"} accessibilityLabel={`Retry ${item.title}`}>
                      Retry
                    </Button>
                  </fetcher.Form>
                </InlineStack>
              </Box>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function StartCard({ loaded, disabled }: { loaded: LoaderData; disabled: boolean }) {
  const { candidates, pendingEstimate, targets } = loaded;
  const [scope, setScope] = useState<"pending" | "chosen">("pending");
  const rows = useMemo(() => candidates.map((candidate) => ({ ...candidate, id: candidate.resourceId })), [candidates]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(rows);
  const chosen = allResourcesSelected ? rows.map((row) => row.id) : selectedResources;
  const estimate =
    scope === "pending"
      ? pendingEstimate
      : addEstimates(candidates.filter((c) => chosen.includes(c.resourceId)).map((c) => c.estimate));
  const count = scope === "pending" ? pendingEstimate.resources : chosen.length;
  const fetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  const handled = useRef<ActionResult | null>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || handled.current === fetcher.data) return;
    handled.current = fetcher.data;
    if (fetcher.data.ok && fetcher.data.intent === "start") {
      shopify.toast.show(`Translating ${fetcher.data.total} ${fetcher.data.total === 1 ? "item" : "items"}`);
      clearSelection();
    }
  }, [fetcher.state, fetcher.data, shopify, clearSelection]);
  const starting = fetcher.state !== "idle";
  const start = () => {
    void shopify.modal.hide("bulk-translate-confirm");
    fetcher.submit(
      { intent: "start", scope, resourceIds: JSON.stringify(scope === "chosen" ? chosen : []) },
      { method: "post" },
    );
  };
  const items = (n: number) => `${number(n)} ${n === 1 ? "item" : "items"}`;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Translate in bulk
        </Text>
        <ChoiceList
          title="What to translate"
          titleHidden
          choices={[
            {
              label: `Everything outdated or missing (${items(pendingEstimate.resources)})`,
              value: "pending",
              helpText: "Fields that failed before are tried again. Translations you edited are never replaced.",
            },
            { label: "Items I choose", value: "chosen" },
          ]}
          selected={[scope]}
          onChange={(value) => setScope(value[0] as "pending" | "chosen")}
        />
        {scope === "chosen" ? (
          candidates.length === 0 ? (
            <EmptyState heading="Nothing to choose from yet" image="">
              <p>Storewise is still counting your store&apos;s content. This page updates when it is done.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "item", plural: "items" }}
              itemCount={rows.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              headings={[
                { title: "Name" },
                { title: "Type" },
                { title: "Outdated", alignment: "end" },
                { title: "Missing", alignment: "end" },
                { title: "Estimated cost", alignment: "end" },
              ]}
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {row.title}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{kindName(row.kind)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.outdated}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.missing}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.estimate.tokens ? formatCost(row.estimate.costUsd, row.estimate.tokens) : "Up to date"}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )
        ) : null}
        <Box background="bg-surface-secondary" padding="400" borderRadius="200">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {`Cost preview: ${items(count)}`}
            </Text>
            <CostPreview estimate={estimate} locales={targets} />
          </BlockStack>
        </Box>
        {fetcher.data && !fetcher.data.ok ? <Banner tone="critical">{fetcher.data.error}</Banner> : null}
        <InlineStack align="end">
          <Button
            variant="primary"
            disabled={disabled || starting || count === 0}
            loading={starting}
            onClick={() => void shopify.modal.show("bulk-translate-confirm")}
          >
            Review and translate
          </Button>
        </InlineStack>
      </BlockStack>
      <Modal id="bulk-translate-confirm">
        <Box padding="400">
          <BlockStack gap="300">
            <Text as="p">
              {`Storewise will translate ${items(count)} into ${targets.map(languageName).join(", ")} and publish the translations in your store. Your glossary and do-not-translate terms apply; translations you edited are kept.`}
            </Text>
            <CostPreview estimate={estimate} locales={targets} />
          </BlockStack>
        </Box>
        <TitleBar title="Start the bulk translation?">
          <button variant="primary" onClick={start}>
            {`Translate ${items(count)}`}
          </button>
          <button onClick={() => void shopify.modal.hide("bulk-translate-confirm")}>Cancel</button>
        </TitleBar>
      </Modal>
    </Card>
  );
}

export default function BulkTranslate() {
  const loaded = useLoaderData<typeof loader>();
  const { run, targets, scan } = loaded;
  const revalidator = useRevalidator();
  const active = run?.status === "RUNNING" || scan.checking;
  // Live progress: reload the counts while a run (or the store check) is in flight.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  return (
    <Page>
      <TitleBar title="Translations" />
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Bulk translate
          </Text>
          <RemixLink to="/app/translations" className="Polaris-Link">
            All translations
          </RemixLink>
        </InlineStack>
        {targets.length === 0 ? (
          <Card>
            <EmptyState
              heading="Add a language to translate into"
              action={{
                content: "Open Shopify language settings",
                url: "shopify://admin/settings/languages",
                target: "_top",
              }}
              image=""
            >
              <p>Your store publishes only one language. Add one in Shopify admin → Settings → Languages.</p>
            </EmptyState>
          </Card>
        ) : (
          <>
            {run ? <RunCard run={run} /> : null}
            {scan.checking ? (
              <Banner tone="info" title="Checking your store for new and changed content">
                <p>The counts and the estimate update when the check finishes.</p>
              </Banner>
            ) : null}
            {/* Hidden, not unmounted, while a run is in flight: its start toast still shows. */}
            <div hidden={run?.status === "RUNNING"}>
              <StartCard loaded={loaded} disabled={run?.status === "RUNNING"} />
            </div>
          </>
        )}
      </BlockStack>
    </Page>
  );
}
