import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import {
  bulkOperation,
  cancelBulkOperation,
  readJsonl,
  startBulkQuery,
  withSearch,
} from "~/integrations/shopify/bulk-operations.server";
import type {
  CatalogExportQuery,
  CatalogProductsByIdsQuery,
  CatalogProductsByIdsQueryVariables,
  CatalogProductsByIdsInCollectionQuery,
  CatalogProductsByIdsInCollectionQueryVariables,
  CollectionsQuery,
  CountProductsQuery,
  CountProductsQueryVariables,
  CurrentDescriptionsQuery,
  CurrentDescriptionsQueryVariables,
  ListProductsQuery,
  ListProductsQueryVariables,
  ProductFactsQuery,
  ProductFactsQueryVariables,
  PublishedCopyQuery,
  PublishedCopyQueryVariables,
  PublishProductCopyMutation,
  PublishProductCopyMutationVariables,
  SearchCatalogQuery,
  SearchCatalogQueryVariables,
} from "~/integrations/shopify/admin-operations.generated";
import { AppError } from "~/lib/errors";
import type {
  CatalogEntry,
  CatalogExport,
  CatalogFilter,
  CatalogPage,
  CatalogProduct,
  CatalogSearch,
  CatalogStore,
  ProductCopy,
  ProductFacts,
} from "~/services/ports/catalog";

const PRODUCT_FACTS = `#graphql
  query ProductFacts($id: ID!) {
    product(id: $id) {
      id
      title
      vendor
      productType
      tags
      descriptionHtml
      options {
        name
        optionValues {
          name
          hasVariants
        }
      }
      variants(first: 20) {
        nodes {
          title
          sku
          price
        }
      }
      media(first: 10) {
        nodes {
          alt
        }
      }
    }
  }
`;

const PUBLISH_PRODUCT_COPY = `#graphql
  mutation PublishProductCopy($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product {
        id
        descriptionHtml
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const PUBLISHED_COPY = `#graphql
  query PublishedCopy($id: ID!) {
    product(id: $id) {
      descriptionHtml
      metafield(namespace: "storewise", key: "copy_version") {
        value
      }
    }
  }
`;

const CURRENT_DESCRIPTIONS = `#graphql
  query CurrentDescriptions($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        descriptionHtml
      }
    }
  }
`;

/** Shopify answers nodes(ids:) for at most this many ids per query. */
const NODES_PER_QUERY = 250;

const COUNT_PRODUCTS = `#graphql
  query CountProducts($query: String) {
    productsCount(query: $query, limit: null) {
      count
    }
  }
`;

const LIST_PRODUCTS = `#graphql
  query ListProducts($query: String, $after: String) {
    products(first: 250, after: $after, query: $query) {
      nodes {
        id
        title
        descriptionHtml
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

// The product copy list reads pages in title order, with each product's cursor so a page that the
// app filters further can resume right after the last product it kept.
const SEARCH_CATALOG = `#graphql
  query SearchCatalog($query: String, $first: Int, $after: String, $last: Int, $before: String) {
    products(first: $first, after: $after, last: $last, before: $before, query: $query, sortKey: TITLE) {
      edges {
        cursor
        node {
          id
          legacyResourceId
          title
          descriptionHtml
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
      }
    }
  }
`;

const CATALOG_PRODUCTS_BY_IDS = `#graphql
  query CatalogProductsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        legacyResourceId
        title
        descriptionHtml
      }
    }
  }
`;

// The same read when the list is narrowed to a collection, which a by-ids read cannot search by.
const CATALOG_PRODUCTS_BY_IDS_IN_COLLECTION = `#graphql
  query CatalogProductsByIdsInCollection($ids: [ID!]!, $collectionId: ID!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        legacyResourceId
        title
        descriptionHtml
        inCollection(id: $collectionId)
      }
    }
  }
`;

// A bulk operation's inner query takes no variables: withSearch writes the search string over the
// "__SEARCH__" literal, so the document itself stays schema-checked.
const CATALOG_EXPORT_QUERY = `#graphql
  query CatalogExport {
    products(query: "__SEARCH__") {
      edges {
        node {
          id
          title
          descriptionHtml
        }
      }
    }
  }
`;

const COLLECTIONS = `#graphql
  query Collections {
    collections(first: 250, sortKey: TITLE) {
      nodes {
        id
        title
      }
    }
  }
`;

/** Where the structured extras live on the product (documented in the README). */
export const COPY_METAFIELD_NAMESPACE = "storewise";

/** A mutation's payload at its root field, as admin.mutate returns it. */
type PayloadOf<M> = NonNullable<M[keyof M]>;

/** One product of a catalog read: a page of ListProducts, or a line of the bulk export's JSONL. */
type ProductNode = ListProductsQuery["products"]["nodes"][number] &
  CatalogExportQuery["products"]["edges"][number]["node"];

const entryOf = (node: ProductNode): CatalogEntry => ({
  id: node.id,
  title: node.title,
  hasDescription: node.descriptionHtml.trim().length > 0,
});

/** Shopify's search syntax for a filter (quoted, so a tag with spaces stays one term). */
function searchFor(filter: CatalogFilter): string {
  if (filter.kind === "collection")
    return `collection_id:${filter.collectionId.replace(/^gid:\/\/shopify\/Collection\//, "")}`;
  if (filter.kind === "tag") return `tag:${JSON.stringify(filter.tag)}`;
  return "";
}

const list = (values: string[]) => JSON.stringify(values);

/**
 * Shopify's search syntax for the product copy list: every title word quoted (so the merchant's
 * text is never read as syntax) and ANDed, and the collection by its numeric id.
 * https://shopify.dev/docs/api/usage/search-syntax
 */
export function catalogSearchQuery(search: CatalogSearch): string {
  const words = search.title
    .split(/\s+/)
    .map((word) => word.replace(/["\\]/g, ""))
    .filter(Boolean)
    .map((word) => `title:${JSON.stringify(word)}`);
  const collection = search.collectionId
    ? [`collection_id:${search.collectionId.replace(/^gid:\/\/shopify\/Collection\//, "")}`]
    : [];
  return [...words, ...collection].join(" ");
}

type CatalogNode = { id: string; legacyResourceId: string; title: string; descriptionHtml: string };

/**
 * App Bridge opens Shopify admin pages from links with the shopify://admin scheme.
 * https://shopify.dev/docs/api/app-bridge-library/apis/navigation
 */
const catalogProductOf = (node: CatalogNode): CatalogProduct => ({
  id: node.id,
  title: node.title,
  hasDescription: node.descriptionHtml.trim().length > 0,
  adminUrl: `shopify://admin/products/${node.legacyResourceId}`,
});

/** The catalog port backed by a shop's Admin GraphQL API. */
export function shopifyCatalog(admin: AdminClient): CatalogStore {
  return {
    async product(productId): Promise<ProductFacts | null> {
      const { product } = await admin.request<ProductFactsQuery>(PRODUCT_FACTS, {
        id: productId,
      } satisfies ProductFactsQueryVariables);
      if (!product) return null;
      return {
        id: product.id,
        title: product.title,
        vendor: product.vendor,
        productType: product.productType,
        tags: product.tags,
        descriptionHtml: product.descriptionHtml,
        options: product.options.map((option) => ({
          name: option.name,
          // Webhooks list only the values some variant uses; so do the facts (one fingerprint for both).
          values: option.optionValues.filter((value) => value.hasVariants).map((value) => value.name),
        })),
        variants: product.variants.nodes,
        imageAltTexts: product.media.nodes.map((media) => media.alt ?? "").filter(Boolean),
      };
    },

    // One productUpdate carries description, SEO and the extras as metafields: one write, one echo.
    async publishProductCopy(productId, copy: ProductCopy) {
      const metafield = (key: string, type: string, value: string) => ({
        namespace: COPY_METAFIELD_NAMESPACE,
        key,
        type,
        value,
      });
      const payload = await admin.mutate<PayloadOf<PublishProductCopyMutation>>(
        PUBLISH_PRODUCT_COPY,
        {
          product: {
            id: productId,
            descriptionHtml: copy.descriptionHtml,
            seo: { title: copy.metaTitle, description: copy.metaDescription },
            metafields: [
              metafield("short_description", "multi_line_text_field", copy.shortDescription),
              metafield("features", "list.single_line_text_field", list(copy.features)),
              metafield("use_cases", "list.single_line_text_field", list(copy.useCases)),
              metafield("keywords", "list.single_line_text_field", list(copy.keywords)),
              metafield("copy_version", "single_line_text_field", copy.versionMarker),
            ],
          },
        } satisfies PublishProductCopyMutationVariables,
        "productUpdate",
      );
      // The echo guard hashes what Shopify stored, never what was sent (storing rewrites HTML).
      if (!payload.product) {
        throw new AppError("ADMIN_API_GRAPHQL_ERROR", "productUpdate answered without the product it updated", {
          details: { productId, sent: true },
        });
      }
      return { storedDescriptionHtml: payload.product.descriptionHtml };
    },

    async publishedCopy(productId) {
      const { product } = await admin.request<PublishedCopyQuery>(PUBLISHED_COPY, {
        id: productId,
      } satisfies PublishedCopyQueryVariables);
      return product
        ? { versionMarker: product.metafield?.value ?? null, descriptionHtml: product.descriptionHtml }
        : null;
    },

    async currentDescriptions(productIds) {
      const descriptions = new Map<string, string>();
      for (let start = 0; start < productIds.length; start += NODES_PER_QUERY) {
        const { nodes } = await admin.request<CurrentDescriptionsQuery>(CURRENT_DESCRIPTIONS, {
          ids: productIds.slice(start, start + NODES_PER_QUERY),
        } satisfies CurrentDescriptionsQueryVariables);
        // A deleted product comes back as null, another type's id as an empty object.
        for (const node of nodes) {
          if (node && "descriptionHtml" in node) descriptions.set(node.id, node.descriptionHtml);
        }
      }
      return descriptions;
    },

    async countProducts(filter) {
      const data = await admin.request<CountProductsQuery>(COUNT_PRODUCTS, {
        query: searchFor(filter) || null,
      } satisfies CountProductsQueryVariables);
      return data.productsCount?.count ?? 0;
    },

    async listProducts(filter, after) {
      const { products } = await admin.request<ListProductsQuery>(LIST_PRODUCTS, {
        query: searchFor(filter) || null,
        after,
      } satisfies ListProductsQueryVariables);
      return {
        entries: products.nodes.map(entryOf),
        next: products.pageInfo.hasNextPage ? products.pageInfo.endCursor : null,
      };
    },

    async searchCatalog(search, page): Promise<CatalogPage> {
      const { products } = await admin.request<SearchCatalogQuery>(SEARCH_CATALOG, {
        query: catalogSearchQuery(search) || null,
        ...page,
      } satisfies SearchCatalogQueryVariables);
      return {
        products: products.edges.map((edge) => ({ ...catalogProductOf(edge.node), cursor: edge.cursor })),
        hasNext: products.pageInfo.hasNextPage,
        hasPrevious: products.pageInfo.hasPreviousPage,
      };
    },

    async productsByIds(productIds, options) {
      if (productIds.length === 0) return [];
      const collectionId = options?.collectionId;
      if (!collectionId) {
        const { nodes } = await admin.request<CatalogProductsByIdsQuery>(CATALOG_PRODUCTS_BY_IDS, {
          ids: productIds,
        } satisfies CatalogProductsByIdsQueryVariables);
        return nodes.flatMap((node) => (node?.__typename === "Product" ? [catalogProductOf(node)] : []));
      }
      const { nodes } = await admin.request<CatalogProductsByIdsInCollectionQuery>(
        CATALOG_PRODUCTS_BY_IDS_IN_COLLECTION,
        { ids: productIds, collectionId } satisfies CatalogProductsByIdsInCollectionQueryVariables,
      );
      return nodes.flatMap((node) =>
        node?.__typename === "Product" && node.inCollection ? [catalogProductOf(node)] : [],
      );
    },

    async startCatalogExport(filter) {
      return startBulkQuery(admin, withSearch(CATALOG_EXPORT_QUERY, searchFor(filter)));
    },

    async catalogExport(exportId): Promise<CatalogExport> {
      const operation = await bulkOperation(admin, exportId);
      if (operation.status === "running") return operation;
      if (operation.status === "gone")
        return { status: "failed", error: "Shopify no longer knows this catalog export." };
      if (operation.status === "canceled") return { status: "canceled", error: "The catalog export was canceled." };
      if (operation.status === "failed") {
        return { status: "failed", error: `Shopify could not export the catalog (${operation.reason}).` };
      }
      const entries: CatalogEntry[] = [];
      if (operation.url) await readJsonl(operation.url, (line) => entries.push(entryOf(line as ProductNode)));
      return { status: "completed", entries };
    },

    async cancelCatalogExport(exportId) {
      await cancelBulkOperation(admin, exportId);
    },

    async collections() {
      const data = await admin.request<CollectionsQuery>(COLLECTIONS);
      return data.collections.nodes;
    },
  };
}
