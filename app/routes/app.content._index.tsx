import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";

import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { COPY_STATUS_FILTERS, PAGE_SIZE, type CopyState } from "~/services/content/catalog-copy";
import { loadProductCopyList } from "~/services/content/list-catalog-copy.server";
import { authenticate } from "~/shopify.server";

// Every filter lives in the URL, so reload, back and a shared link show the same page.
const ListParams = z.object({
  q: z.string().trim().max(255).catch(""),
  status: z.enum(COPY_STATUS_FILTERS).catch("all"),
  description: z.enum(["any", "yes", "no"]).catch("any"),
  collection: z
    .string()
    .regex(/^gid:\/\/shopify\/Collection\/\d+$/)
    .nullable()
    .catch(null),
  after: z.string().max(2000).nullable().catch(null),
  before: z.string().max(2000).nullable().catch(null),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = ListParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await loadProductCopyList({
    db: prisma,
    store: storeForRequest(session.shop),
    shop: session.shop,
    query: {
      search: params.q,
      status: params.status,
      hasDescription: params.description === "any" ? null : params.description === "yes",
      collectionId: params.collection,
      after: params.after,
      before: params.before,
    },
    onCollectionsError: (error) =>
      logger.warn({ err: error, shop: session.shop }, "product copy: collections unavailable"),
  });
  const filtered = Boolean(params.q || params.status !== "all" || params.description !== "any" || params.collection);
  return {
    filtered,
    collections: list.collections,
    next: list.next,
    previous: list.previous,
    rows: list.rows.map((row) => ({
      ...row,
      live: row.live && { version: row.live.version, publishedAt: row.live.publishedAt?.toISOString() ?? null },
    })),
  };
};

const STATUS_OPTIONS = [
  { label: "Any copy status", value: "all" },
  { label: "No copy yet", value: "none" },
  { label: "Draft pending review", value: "draft" },
  { label: "Live", value: "live" },
  { label: "Skipped", value: "skipped" },
  { label: "Failed", value: "failed" },
  { label: "Paused", value: "paused" },
];

const DESCRIPTION_OPTIONS = [
  { label: "Any description", value: "any" },
  { label: "Has a description", value: "yes" },
  { label: "No description", value: "no" },
];

const dateOf = (iso: string) => new Date(iso).toLocaleDateString("en", { dateStyle: "medium" });

function StatusCell({ state }: { state: CopyState }) {
  switch (state.kind) {
    case "none":
      return <Badge>No copy yet</Badge>;
    case "draft":
      return <Badge tone="attention">{`Draft pending review (version ${state.version})`}</Badge>;
    case "live":
      return <Badge tone="success">Live</Badge>;
    case "paused":
      return (
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone="warning">Paused</Badge>
          {state.reason ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {state.reason}
            </Text>
          ) : null}
        </BlockStack>
      );
    default:
      return (
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone={state.kind === "failed" ? "critical" : undefined}>
            {state.kind === "failed" ? "Failed" : "Skipped"}
          </Badge>
          {state.reason ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {state.reason}
            </Text>
          ) : null}
        </BlockStack>
      );
  }
}

/**
 * The filters. Each change loads the first page of the new selection; changes made while a page
 * loads build on the URL being loaded, so quick changes add up instead of replacing each other.
 */
function ListFilters({ collections }: { collections: Array<{ id: string; title: string }> | null }) {
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const current = () =>
    navigation.location?.pathname === "/app/content" ? new URLSearchParams(navigation.location.search) : params;
  const apply = (name: string, value: string) => {
    const next = new URLSearchParams(current());
    next.delete("after");
    next.delete("before");
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const selectProps = (name: string, fallback: string) => ({
    name,
    value: current().get(name) ?? fallback,
    onChange: (value: string) => apply(name, value === fallback ? "" : value),
  });
  const collectionOptions = [
    { label: collections ? "Any collection" : "Collections could not be loaded", value: "" },
    ...(collections ?? []).map((collection) => ({ label: collection.title, value: collection.id })),
  ];
  return (
    <Box padding="300">
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird", "oneThird", "oneThird"] }} gap="200">
        {/* Keyed by the URL's search, so back and forward show the search of the page they load. */}
        <SearchField key={params.get("q") ?? ""} initial={params.get("q") ?? ""} onSearch={(q) => apply("q", q)} />
        <Select label="Copy status" labelHidden options={STATUS_OPTIONS} {...selectProps("status", "all")} />
        <Select label="Description" labelHidden options={DESCRIPTION_OPTIONS} {...selectProps("description", "any")} />
        <Select
          label="Collection"
          labelHidden
          options={collectionOptions}
          disabled={!collections}
          {...selectProps("collection", "")}
        />
      </InlineGrid>
    </Box>
  );
}

function SearchField({ initial, onSearch }: { initial: string; onSearch: (search: string) => void }) {
  const [search, setSearch] = useState(initial);
  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(search.trim());
      }}
    >
      <TextField
        label="Search by title"
        labelHidden
        name="q"
        value={search}
        onChange={setSearch}
        placeholder="Search products by title"
        autoComplete="off"
        clearButton
        onClearButtonClick={() => {
          setSearch("");
          onSearch("");
        }}
      />
    </form>
  );
}

function LoadingRows() {
  return (
    <Box padding="400">
      <BlockStack gap="500">
        {Array.from({ length: 6 }, (_, index) => (
          <SkeletonBodyText key={index} lines={2} />
        ))}
      </BlockStack>
    </Box>
  );
}

function EmptyList({ filtered }: { filtered: boolean }) {
  const [params, setParams] = useSearchParams();
  const clear = () => {
    const next = new URLSearchParams(params);
    for (const name of ["q", "status", "description", "collection", "after", "before"]) next.delete(name);
    setParams(next);
  };
  return filtered ? (
    <EmptyState
      heading="No products match these filters"
      action={{ content: "Clear filters", onAction: clear }}
      image=""
    >
      <p>Try another title or copy status, or clear the filters to see the whole catalog.</p>
    </EmptyState>
  ) : (
    <EmptyState
      heading="Your catalog has no products yet"
      action={{ content: "Add a product in Shopify", url: "shopify://admin/products/new", target: "_top" }}
      image=""
    >
      <p>Storewise writes copy for products as they are created, and lists every product here.</p>
    </EmptyState>
  );
}

export default function ProductCopyIndex() {
  const { rows, filtered, collections, next, previous } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  // Skeleton rows while this list loads another page or filter (not while leaving for a product).
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/content";

  const goTo = (key: "after" | "before", cursor: string) => {
    const nextParams = new URLSearchParams(params);
    nextParams.delete("after");
    nextParams.delete("before");
    nextParams.set(key, cursor);
    setParams(nextParams);
  };

  return (
    <Page fullWidth>
      <TitleBar title="Product copy" />
      <Card padding="0">
        <ListFilters collections={collections} />
        {loading ? (
          <LoadingRows />
        ) : rows.length === 0 ? (
          <EmptyList filtered={filtered} />
        ) : (
          <IndexTable
            resourceName={{ singular: "product", plural: "products" }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: "Product" },
              { title: "Copy status" },
              { title: "Live copy" },
              { title: "Description" },
            ]}
            pagination={
              next || previous
                ? {
                    hasNext: Boolean(next),
                    hasPrevious: Boolean(previous),
                    onNext: () => next && goTo("after", next),
                    onPrevious: () => previous && goTo("before", previous),
                    label: `Up to ${PAGE_SIZE} products a page`,
                  }
                : undefined
            }
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={row.productId} key={row.productId} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    {row.productContentId ? (
                      <RemixLink to={`/app/content/${row.productContentId}`} className="Polaris-Link">
                        <Text as="span" fontWeight="semibold">
                          {row.title || "Untitled product"}
                        </Text>
                      </RemixLink>
                    ) : (
                      <Text as="span" fontWeight="semibold">
                        {row.title || "Untitled product"}
                      </Text>
                    )}
                    {row.adminUrl ? (
                      // App Bridge opens shopify://admin links in the admin, outside the app's frame.
                      <a href={row.adminUrl} target="_top" className="Polaris-Link">
                        <Text as="span" variant="bodySm">
                          View in Shopify
                        </Text>
                      </a>
                    ) : (
                      <Text as="span" variant="bodySm" tone="subdued">
                        No longer in Shopify
                      </Text>
                    )}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <StatusCell state={row.state} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {row.live ? (
                    <BlockStack gap="050">
                      <Text as="span">{`Version ${row.live.version}`}</Text>
                      {row.live.publishedAt ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {`Published ${dateOf(row.live.publishedAt)}`}
                        </Text>
                      ) : null}
                    </BlockStack>
                  ) : (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {row.hasDescription === null ? (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  ) : (
                    <Text as="span" tone={row.hasDescription ? undefined : "caution"}>
                      {row.hasDescription ? "Has description" : "No description"}
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <InlineStack align="center">
        <Box paddingBlock="400">
          <Text as="p" tone="subdued">
            Products are listed in title order. Open a product to see every version of its copy.
          </Text>
        </Box>
      </InlineStack>
    </Page>
  );
}
