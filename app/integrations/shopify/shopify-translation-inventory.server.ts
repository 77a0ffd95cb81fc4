import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  TranslatableNamesQuery,
  TranslatableNamesQueryVariables,
  TranslatableResourceType,
  TranslationInventoryPageQuery,
  TranslationInventoryPageQueryVariables,
} from "~/integrations/shopify/admin-operations.generated";
import type { InventoryResource, TranslationInventoryStore } from "~/services/ports/translation-inventory";
import type { TranslatableKind } from "~/services/ports/translations";

// https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResources: one page of a
// type's resources with their source digests and, per locale (`translations(locale:)` takes one
// locale, so one alias each, up to four a request), which keys have a translation and whether
// Shopify marks it `outdated`. Values of translations are not read: the scan counts, it does not
// compare. 50 a page keeps a request's cost well under the 1,000-point single-query limit
// (https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits).
const TRANSLATION_INVENTORY_PAGE = `#graphql
  query TranslationInventoryPage(
    $type: TranslatableResourceType!
    $after: String
    $withSource: Boolean!
    $l0: String!
    $w0: Boolean!
    $l1: String!
    $w1: Boolean!
    $l2: String!
    $w2: Boolean!
    $l3: String!
    $w3: Boolean!
  ) {
    translatableResources(resourceType: $type, first: 50, after: $after) {
      nodes {
        resourceId
        translatableContent @include(if: $withSource) {
          key
          value
          digest
        }
        t0: translations(locale: $l0) @include(if: $w0) {
          key
          locale
          outdated
        }
        t1: translations(locale: $l1) @include(if: $w1) {
          key
          locale
          outdated
        }
        t2: translations(locale: $l2) @include(if: $w2) {
          key
          locale
          outdated
        }
        t3: translations(locale: $l3) @include(if: $w3) {
          key
          locale
          outdated
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

// https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResourcesByIds: the source
// of a list page's resources (their names) in one request.
const TRANSLATABLE_NAMES = `#graphql
  query TranslatableNames($ids: [ID!]!) {
    translatableResourcesByIds(resourceIds: $ids, first: 50) {
      nodes {
        resourceId
        translatableContent {
          key
          value
          digest
        }
      }
    }
  }
`;

/** The top-level kinds the admin scans (nested ones are translated with their product). */
const RESOURCE_TYPES: Partial<Record<TranslatableKind, TranslatableResourceType>> = {
  product: "PRODUCT",
  collection: "COLLECTION",
  page: "PAGE",
  policy: "SHOP_POLICY",
};

const LOCALES_PER_READ = 4;

/** The translation inventory port over a shop's Admin GraphQL API. */
export function shopifyTranslationInventory(admin: AdminClient): TranslationInventoryStore {
  return {
    // Four locales a request: more locales re-read the same page (same cursor) for theirs only.
    async translatableResourcesPage(kind, locales, options = {}) {
      const type = RESOURCE_TYPES[kind];
      if (!type) return { resources: [], next: null };
      const byId = new Map<string, InventoryResource>();
      let next: string | null = null;
      const chunks = locales.length ? locales.length : 1;
      for (let start = 0; start < chunks; start += LOCALES_PER_READ) {
        const slice = locales.slice(start, start + LOCALES_PER_READ);
        const slots: Record<string, string | boolean> = {};
        for (let i = 0; i < LOCALES_PER_READ; i++) {
          slots[`l${i}`] = slice[i] ?? "";
          slots[`w${i}`] = slice[i] !== undefined;
        }
        const variables = {
          type,
          after: options.after ?? null,
          withSource: start === 0,
          ...slots,
        } as TranslationInventoryPageQueryVariables;
        const { translatableResources: page } = await admin.request<TranslationInventoryPageQuery>(
          TRANSLATION_INVENTORY_PAGE,
          variables,
        );
        for (const node of page.nodes) {
          let resource = byId.get(node.resourceId);
          if (!resource) {
            if (start > 0) continue;
            resource = { resourceId: node.resourceId, source: [], live: {} };
            byId.set(node.resourceId, resource);
          }
          for (const content of node.translatableContent ?? []) {
            // Shopify omits a key without content; a null value is the same absence.
            if (content.value === null || content.value === undefined) continue;
            resource.source.push({ key: content.key, value: content.value, digest: content.digest ?? "" });
          }
          for (const translation of [...(node.t0 ?? []), ...(node.t1 ?? []), ...(node.t2 ?? []), ...(node.t3 ?? [])]) {
            (resource.live[translation.locale] ??= {})[translation.key] = translation.outdated;
          }
        }
        if (start === 0) next = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
      }
      return { resources: [...byId.values()], next };
    },

    async resourcesByIds(resourceIds) {
      if (resourceIds.length === 0) return [];
      const { translatableResourcesByIds: page } = await admin.request<TranslatableNamesQuery>(TRANSLATABLE_NAMES, {
        ids: resourceIds.slice(0, 50),
      } satisfies TranslatableNamesQueryVariables);
      return page.nodes.map((node) => ({
        resourceId: node.resourceId,
        source: node.translatableContent
          .filter((content) => content.value !== null && content.value !== undefined)
          .map((content) => ({ key: content.key, value: content.value ?? "", digest: content.digest ?? "" })),
        live: {},
      }));
    },
  };
}
