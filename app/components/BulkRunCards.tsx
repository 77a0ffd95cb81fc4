import { useFetcher } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useRef, useState } from "react";

import { ActionResultBanners } from "~/components/ActionResultBanners";
import type { BulkRunProgress } from "~/services/content/bulk-runs/load-bulk-runs.server";

/** What the bulk runs page's action answers. */
export interface BulkRunActionResult {
  error: string | null;
  message: string | null;
  fieldErrors?: { collection?: string; tag?: string };
}

const STATUS_TONE = {
  READING: "info",
  RUNNING: "info",
  COMPLETED: "success",
  CANCELED: undefined,
  FAILED: "critical",
} as const;

/** A run's status in words, for badges and the history. */
export const STATUS_LABEL = {
  READING: "Reading catalog",
  RUNNING: "Running",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
  FAILED: "Failed",
} as const;

export const isActive = (run: { status: string } | null) => run?.status === "READING" || run?.status === "RUNNING";

function formatEta(seconds: number | null): string {
  if (seconds === null) return "estimating…";
  if (seconds < 60) return `about ${seconds} s`;
  return `about ${Math.ceil(seconds / 60)} min`;
}

const CONFIRM_MODAL_ID = "confirm-bulk-run";

/** What a run of `scope` will do to the live store, when it is worth a confirmation; null otherwise. */
function confirmationText(scope: string, catalogSize: number | null, autoPublish: boolean): string | null {
  const products =
    scope === "ALL"
      ? catalogSize === null
        ? "every product in the catalog"
        : `all ${catalogSize.toLocaleString()} products in the catalog`
      : scope === "MISSING_DESCRIPTION"
        ? "every product without a description"
        : "every product of the selection";
  if (autoPublish) {
    return `Storewise will write copy for ${products} and, because auto-publish is on, publish it to your live store without review.`;
  }
  if (scope === "ALL") {
    return `Storewise will write copy for ${products}. Each draft waits for your review before anything is published.`;
  }
  return null;
}

export function StartRunCard({
  collections,
  disabled,
  catalogSize,
  autoPublish,
}: {
  collections: Array<{ id: string; title: string }> | null;
  disabled: boolean;
  catalogSize: number | null;
  autoPublish: boolean;
}) {
  const start = useFetcher<BulkRunActionResult>();
  const shopify = useAppBridge();
  const form = useRef<HTMLFormElement>(null);
  const confirmed = useRef(false);
  const [scope, setScope] = useState("MISSING_DESCRIPTION");
  const [collection, setCollection] = useState("");
  const [tag, setTag] = useState("");
  const fieldErrors = start.data?.fieldErrors ?? {};
  const collectionOptions = [
    { label: "Choose a collection", value: "" },
    ...(collections ?? []).map((option) => ({ label: option.title, value: `${option.id}|${option.title}` })),
  ];
  const confirmation = confirmationText(scope, catalogSize, autoPublish);
  // A catalog-wide or auto-publishing run is confirmed in an App Bridge modal first.
  const onSubmit = (event: React.FormEvent) => {
    if (!confirmation || confirmed.current) {
      confirmed.current = false;
      return;
    }
    event.preventDefault();
    void shopify.modal.show(CONFIRM_MODAL_ID);
  };
  const confirm = () => {
    confirmed.current = true;
    void shopify.modal.hide(CONFIRM_MODAL_ID);
    form.current?.requestSubmit();
  };
  return (
    <Card>
      <Modal id={CONFIRM_MODAL_ID}>
        <Box padding="400">
          <Text as="p">{confirmation}</Text>
        </Box>
        <TitleBar title={autoPublish ? "Write and publish copy?" : "Write copy for the whole catalog?"}>
          <button variant="primary" onClick={confirm}>
            {autoPublish ? "Write and publish" : "Start bulk run"}
          </button>
          <button onClick={() => void shopify.modal.hide(CONFIRM_MODAL_ID)}>Cancel</button>
        </TitleBar>
      </Modal>
      <start.Form method="post" ref={form} onSubmit={onSubmit}>
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

export function RunProgressCard({ run }: { run: BulkRunProgress }) {
  const act = useFetcher<BulkRunActionResult>();
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
          <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
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
              <Text as="span">
                {run.unchanged > 0
                  ? `Skipped: ${run.skipped} (${run.unchanged} unchanged, 0 tokens)`
                  : `Skipped: ${run.skipped}`}
              </Text>
              <Text as="span" tone={run.failed > 0 ? "critical" : undefined}>{`Failed: ${run.failed}`}</Text>
              <Text as="span">{`Remaining: ${run.remaining}`}</Text>
              {run.status === "RUNNING" ? <Text as="span">{`ETA: ${formatEta(run.etaSeconds)}`}</Text> : null}
              {run.canceled > 0 ? <Text as="span">{`Canceled: ${run.canceled}`}</Text> : null}
              <Text as="span">{`Tokens: ${run.tokens.toLocaleString()}`}</Text>
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
