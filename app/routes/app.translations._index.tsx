import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, DataTable, EmptyState, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";

import { GRID_STATE_LABELS, kindLabel, languageName } from "~/components/translations/labels";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { loadTranslationGrid } from "~/services/translations/admin/load-translations-admin.server";
import { startTranslationScan } from "~/services/translations/admin/scan-translatable-content.server";
import { GRID_STATES, type GridState } from "~/services/translations/admin/grid-states";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadTranslationGrid({ db: prisma, store: storeForRequest(session.shop), shop: session.shop });
};

/** "Check for changes": a new scan now, for a change made in Shopify admin a moment ago. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await startTranslationScan({ db: prisma, shop: session.shop, force: true });
  return { ok: true as const, started: result.started };
};

const POLL_MS = 3_000;

function CountLink({ kind, locale, state, count }: { kind: string; locale: string; state: GridState; count: number }) {
  if (count === 0)
    return (
      <Text as="span" tone="subdued">
        0
      </Text>
    );
  const query = new URLSearchParams({ kind, locale, state });
  return (
    <RemixLink
      to={`/app/translations/items?${query}`}
      className="Polaris-Link"
      aria-label={`${count} ${GRID_STATE_LABELS[state].toLowerCase()}: ${kindLabel(kind)} in ${languageName(locale)}`}
    >
      {count}
    </RemixLink>
  );
}

export default function TranslationsHome() {
  const { targets, primary, cells, scan, pending, runActive } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const checker = useFetcher<typeof action>();
  const checking = scan.checking || checker.state !== "idle";
  // The counts fill in as the scan of the store finishes.
  useEffect(() => {
    if (!scan.checking) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [scan.checking, revalidator]);

  return (
    <Page>
      <TitleBar title="Translations">
        {targets.length > 0 ? (
          <button variant="primary" onClick={() => navigate("/app/translations/bulk")}>
            Bulk translate
          </button>
        ) : null}
        {targets.length > 0 ? (
          <button
            disabled={checking}
            onClick={() => checker.submit({ intent: "scan" }, { method: "post", action: "/app/translations?index" })}
          >
            Check for changes
          </button>
        ) : null}
        <button onClick={() => navigate("/app/translations/settings")}>Translation settings</button>
      </TitleBar>
      <BlockStack gap="400">
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
              <p>
                Your store publishes only {languageName(primary)}. Add and publish a language in Shopify admin →
                Settings → Languages, and Storewise translates your products, collections, pages and policies into it.
              </p>
            </EmptyState>
          </Card>
        ) : (
          <>
            {scan.checking ? (
              <Banner tone="info" title="Checking your store for new and changed content">
                <p>The counts below update when the check finishes. You can keep working meanwhile.</p>
              </Banner>
            ) : null}
            {runActive ? (
              <Banner
                tone="info"
                title="A bulk translation is running"
                action={{ content: "See progress", url: "/app/translations/bulk" }}
              />
            ) : pending > 0 ? (
              <Banner
                title={`${pending} ${pending === 1 ? "item has" : "items have"} outdated or missing translations`}
                action={{ content: "Review and translate", url: "/app/translations/bulk" }}
              >
                <p>See the estimated cost before anything is translated.</p>
              </Banner>
            ) : null}
            {cells.length === 0 ? (
              <Card>
                <EmptyState
                  heading={scan.checking ? "Counting your store's content" : "Nothing to translate yet"}
                  action={{ content: "Translation settings", url: "/app/translations/settings" }}
                  image=""
                >
                  <p>
                    Storewise translates your products, collections, pages and policies into{" "}
                    {targets.map(languageName).join(", ")}. Choose the languages and your glossary in the translation
                    settings.
                  </p>
                </EmptyState>
              </Card>
            ) : (
              <Card padding="0">
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Content", "Language", ...GRID_STATES.map((state) => GRID_STATE_LABELS[state])]}
                  rows={cells.map((cell) => [
                    kindLabel(cell.kind),
                    languageName(cell.locale),
                    ...GRID_STATES.map((state) => (
                      <CountLink
                        key={state}
                        kind={cell.kind}
                        locale={cell.locale}
                        state={state}
                        count={cell.counts[state]}
                      />
                    )),
                  ])}
                />
              </Card>
            )}
            <Text as="p" tone="subdued">
              Counts are of fields (a product&apos;s title, description and SEO fields each count once per language).
              Outdated: the original changed since it was translated. Missing: never translated. Edited by you: kept as
              you wrote it; automatic runs never overwrite it.
              {scan.checkedMinutesAgo === null
                ? ""
                : scan.checkedMinutesAgo < 1
                  ? " Last checked just now."
                  : ` Last checked ${scan.checkedMinutesAgo} ${scan.checkedMinutesAgo === 1 ? "minute" : "minutes"} ago.`}
            </Text>
          </>
        )}
      </BlockStack>
    </Page>
  );
}
