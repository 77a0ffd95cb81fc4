import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, DataTable, EmptyState, Page, Text } from "@shopify/polaris";

import { kindLabel, languageName, STATUS_LABELS, type LedgerStatus } from "~/components/translations/labels";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { loadTranslationOverview } from "~/services/translations/load-translation-status.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadTranslationOverview({ db: prisma, store: storeForRequest(session.shop), shop: session.shop });
};

const COLUMNS: LedgerStatus[] = ["TRANSLATED", "EDITED", "FAILED", "SKIPPED"];

function CountLink({
  kind,
  locale,
  status,
  count,
}: {
  kind: string;
  locale: string;
  status: LedgerStatus;
  count: number;
}) {
  if (count === 0)
    return (
      <Text as="span" tone="subdued">
        0
      </Text>
    );
  const query = new URLSearchParams({ kind, locale, status: status.toLowerCase() });
  return (
    <RemixLink
      to={`/app/translations/items?${query}`}
      className="Polaris-Link"
      aria-label={`${count} ${STATUS_LABELS[status].toLowerCase()}: ${kindLabel(kind)} in ${languageName(locale)}`}
    >
      {count}
    </RemixLink>
  );
}

export default function TranslationsHome() {
  const { targets, primary, cells } = useLoaderData<typeof loader>();
  const shown = cells.filter((cell) => targets.includes(cell.locale));
  const navigate = useNavigate();
  return (
    <Page>
      <TitleBar title="Translations">
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
        ) : shown.length === 0 ? (
          <Card>
            <EmptyState
              heading="Nothing translated yet"
              action={{ content: "Translation settings", url: "/app/translations/settings" }}
              image=""
            >
              <p>
                Storewise translates into {targets.map(languageName).join(", ")} after copy is published, when automatic
                translation is on. Choose the languages and your glossary in the translation settings.
              </p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Content", "Language", ...COLUMNS.map((status) => STATUS_LABELS[status])]}
              rows={shown.map((cell) => [
                kindLabel(cell.kind),
                languageName(cell.locale),
                ...COLUMNS.map((status) => (
                  <CountLink
                    key={status}
                    kind={cell.kind}
                    locale={cell.locale}
                    status={status}
                    count={cell.counts[status]}
                  />
                )),
              ])}
            />
          </Card>
        )}
        <Text as="p" tone="subdued">
          Counts are of translated fields (a product&apos;s title, description, SEO fields, options and images each
          count once per language). Open a product to see every field side by side, including outdated and missing ones.
        </Text>
      </BlockStack>
    </Page>
  );
}
