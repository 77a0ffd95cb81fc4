import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  RegisterTranslationsMutation,
  RegisterTranslationsMutationVariables,
  RemoveTranslationsMutation,
  RemoveTranslationsMutationVariables,
  TranslatableResourceIdsQuery,
  TranslatableResourceIdsQueryVariables,
  TranslatableResourceQuery,
  TranslatableResourceQueryVariables,
  TranslatableResourceType,
} from "~/integrations/shopify/admin-operations.generated";
import type {
  StoredTranslation,
  TranslatableResource,
  TranslatableFormat,
  TranslatableKind,
  TranslatableSource,
  TranslationRejection,
  TranslationRejectionReason,
  RegisterTranslationsResult,
  TranslationsStore,
  TranslationWrite,
} from "~/services/ports/translations";

// https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResource: the source
// content with Shopify's digest of each stored value, the translations into up to four locales (one
// alias each: `translations(locale:)` takes one locale, and each alias costs 1 point), and the
// nested resources translated with it (a product's options, option values, images and metafields,
// https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableResource
// nestedTranslatableResources), each with its own content and translations. The directives keep
// what a request does not need out of its cost: the source after the first locale chunk, the
// top-level fields on a further page of nested resources, the nested resources of a resource that
// has none, the copy metafields' keys of anything but a product.
const TRANSLATABLE_RESOURCE = `#graphql
  query TranslatableResource(
    $id: ID!
    $withSource: Boolean!
    $nestedPage: Boolean!
    $withNested: Boolean!
    $nestedAfter: String
    $withCopyMetafields: Boolean!
    $l0: String!
    $w0: Boolean!
    $l1: String!
    $w1: Boolean!
    $l2: String!
    $w2: Boolean!
    $l3: String!
    $w3: Boolean!
  ) {
    translatableResource(resourceId: $id) {
      resourceId
      translatableContent @include(if: $withSource) @skip(if: $nestedPage) {
        key
        value
        digest
        locale
        type
      }
      t0: translations(locale: $l0) @include(if: $w0) @skip(if: $nestedPage) {
        key
        value
        locale
        outdated
        updatedAt
      }
      t1: translations(locale: $l1) @include(if: $w1) @skip(if: $nestedPage) {
        key
        value
        locale
        outdated
        updatedAt
      }
      t2: translations(locale: $l2) @include(if: $w2) @skip(if: $nestedPage) {
        key
        value
        locale
        outdated
        updatedAt
      }
      t3: translations(locale: $l3) @include(if: $w3) @skip(if: $nestedPage) {
        key
        value
        locale
        outdated
        updatedAt
      }
      nestedTranslatableResources(first: 25, after: $nestedAfter) @include(if: $withNested) {
        nodes {
          resourceId
          translatableContent @include(if: $withSource) {
            key
            value
            digest
            locale
            type
          }
          t0: translations(locale: $l0) @include(if: $w0) {
            key
            value
            locale
            outdated
            updatedAt
          }
          t1: translations(locale: $l1) @include(if: $w1) {
            key
            value
            locale
            outdated
            updatedAt
          }
          t2: translations(locale: $l2) @include(if: $w2) {
            key
            value
            locale
            outdated
            updatedAt
          }
          t3: translations(locale: $l3) @include(if: $w3) {
            key
            value
            locale
            outdated
            updatedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
    product(id: $id) @include(if: $withCopyMetafields) {
      metafields(namespace: "storewise", first: 10) {
        nodes {
          id
          key
        }
      }
    }
  }
`;

// https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResources: the ids of one
// type, 250 a page (the most a connection gives, shopify.dev/docs/api/usage/pagination-graphql).
const TRANSLATABLE_RESOURCE_IDS = `#graphql
  query TranslatableResourceIds($type: TranslatableResourceType!, $after: String) {
    translatableResources(resourceType: $type, first: 250, after: $after) {
      nodes {
        resourceId
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

// https://shopify.dev/docs/api/admin-graphql/latest/mutations/translationsRegister
const REGISTER_TRANSLATIONS = `#graphql
  mutation RegisterTranslations($resourceId: ID!, $translations: [TranslationInput!]!) {
    translationsRegister(resourceId: $resourceId, translations: $translations) {
      translations {
        key
        locale
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * Several resources' translations in one request: one aliased `translationsRegister` field per
 * resource (rN), each with its own variables, so a product and its nested resources are one
 * request instead of one per resource. Shopify runs each root field on its own: one alias refused
 * leaves the others written, and each alias costs what a request of its own would (10 points a
 * mutation, https://shopify.dev/docs/api/usage/limits#cost-calculation), so the batch saves requests
 * and round trips, not points. Built per alias count (a tagged GraphQL literal cannot vary);
 * tests/shopify/translations-store.test.ts validates it against the real Admin schema.
 */
const batchDocuments = new Map<number, string>();
export function registerBatchDocument(count: number): string {
  let document = batchDocuments.get(count);
  if (!document) {
    const variables: string[] = [];
    const fields: string[] = [];
    for (let i = 0; i < count; i++) {
      variables.push(`$id${i}: ID!`, `$t${i}: [TranslationInput!]!`);
      fields.push(
        `  r${i}: translationsRegister(resourceId: $id${i}, translations: $t${i}) {\n` +
          "    translations { key locale }\n    userErrors { field message code }\n  }",
      );
    }
    document = `mutation RegisterTranslationBatch(${variables.join(", ")}) {\n${fields.join("\n")}\n}\n`;
    batchDocuments.set(count, document);
  }
  return document;
}

/**
 * Aliases per batch request: 50 × (10 + payload) points stays well under Shopify's 1,000-point
 * single-query limit and leaves the bucket room for other work; a product rarely has more than 50
 * translatable nested resources (more go in a second request).
 */
export const MAX_ALIASES_PER_REQUEST = 50;
/** Writes per alias: Shopify refuses an input array of more than 250 items (MAX_INPUT_SIZE_EXCEEDED). */
const MAX_WRITES_PER_ALIAS = 250;

const REMOVE_TRANSLATIONS = `#graphql
  mutation RemoveTranslations($resourceId: ID!, $keys: [String!]!, $locales: [String!]!) {
    translationsRemove(resourceId: $resourceId, translationKeys: $keys, locales: $locales) {
      translations {
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

type ContentType = NonNullable<
  NonNullable<TranslatableResourceQuery["translatableResource"]>["translatableContent"]
>[number]["type"];

/** Shopify's LocalizableContentType, reduced to how the app checks a translation of it. */
function formatOf(type: ContentType): TranslatableFormat {
  switch (type) {
    case "SINGLE_LINE_TEXT_FIELD":
    case "STRING":
    case "LIST_SINGLE_LINE_TEXT_FIELD":
      return "text";
    case "MULTI_LINE_TEXT_FIELD":
    case "LIST_MULTI_LINE_TEXT_FIELD":
      return "multiline";
    case "HTML":
    case "INLINE_RICH_TEXT":
      return "html";
    case "URI":
    case "URL":
    case "LINK":
    case "LIST_URL":
    case "LIST_LINK":
      return "url";
    case "JSON":
    case "JSON_STRING":
    case "RICH_TEXT_FIELD":
      return "json";
    default:
      return "other";
  }
}

// https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslationErrorCode
const REASONS: Partial<Record<string, TranslationRejectionReason>> = {
  INVALID_TRANSLATABLE_CONTENT: "source-changed",
  INVALID_LOCALE_FOR_SHOP: "locale-not-enabled",
  INVALID_KEY_FOR_MODEL: "unknown-key",
  BLANK: "invalid-value",
  INVALID: "invalid-value",
  INVALID_FORMAT: "invalid-value",
  FAILS_RESOURCE_VALIDATION: "invalid-value",
  INVALID_VALUE_FOR_HANDLE_TRANSLATION: "handle-taken",
  TOO_MANY_KEYS_FOR_RESOURCE: "too-many-keys",
};

type UserError = NonNullable<RegisterTranslationsMutation["translationsRegister"]>["userErrors"][number];

/** A userError's field is a path such as ["translations", "2", "locale"]: the index names the write. */
function rejectionOf(error: UserError, writes: TranslationWrite[]): TranslationRejection {
  const index = error.field?.[0] === "translations" ? Number(error.field[1]) : Number.NaN;
  const write = Number.isInteger(index) ? writes[index] : undefined;
  return {
    key: write?.key ?? null,
    locale: write?.locale ?? null,
    reason: (error.code && REASONS[error.code]) || "other",
    message: error.message,
  };
}

type ResourceNode = NonNullable<TranslatableResourceQuery["translatableResource"]>;
type TranslationNode = NonNullable<ResourceNode["t0"]>[number];
type ContentNode = NonNullable<ResourceNode["translatableContent"]>[number];

const translationOf = (node: TranslationNode): StoredTranslation => ({
  key: node.key,
  locale: node.locale,
  value: node.value ?? "",
  outdated: node.outdated,
  updatedAt: node.updatedAt ?? null,
});

// Shopify omits a key without content; a null value is the same absence.
const sourceOf = (content: ContentNode[]): TranslatableSource[] =>
  content
    .filter((entry) => entry.value !== null && entry.value !== undefined)
    .map((entry) => ({
      key: entry.key,
      value: entry.value ?? "",
      digest: entry.digest ?? "",
      locale: entry.locale,
      format: formatOf(entry.type),
    }));

/**
 * Each kind's GID type and TranslatableResourceType
 * (https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslatableResourceType). A new kind
 * (a menu, a blog, a metaobject) is a row here and a member of TranslatableKind.
 */
const KINDS: Array<{ kind: TranslatableKind; gidTypes: string[]; resourceType: TranslatableResourceType }> = [
  { kind: "product", gidTypes: ["Product"], resourceType: "PRODUCT" },
  { kind: "collection", gidTypes: ["Collection"], resourceType: "COLLECTION" },
  { kind: "page", gidTypes: ["Page", "OnlineStorePage"], resourceType: "PAGE" },
  { kind: "policy", gidTypes: ["ShopPolicy"], resourceType: "SHOP_POLICY" },
  { kind: "product-option", gidTypes: ["ProductOption"], resourceType: "PRODUCT_OPTION" },
  { kind: "product-option-value", gidTypes: ["ProductOptionValue"], resourceType: "PRODUCT_OPTION_VALUE" },
  { kind: "image", gidTypes: ["MediaImage"], resourceType: "MEDIA_IMAGE" },
  { kind: "metafield", gidTypes: ["Metafield"], resourceType: "METAFIELD" },
];

/** The app's kind of a resource, from its GID's type ("gid://shopify/Product/1" → "product"). */
function kindOf(resourceId: string): TranslatableKind {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(resourceId)?.[1] ?? "";
  return KINDS.find((row) => row.gidTypes.includes(type))?.kind ?? "other";
}

/**
 * The app's own product metafields that are translated with the product (content writes them,
 * shopify-catalog.server.ts); the others in its namespace (keywords, the copy version marker) are
 * not shopper-facing text, and other apps' metafields are not the app's to translate.
 */
const TRANSLATED_COPY_METAFIELDS = new Set(["short_description", "features", "use_cases"]);

/**
 * Products without options carry Shopify's placeholder option "Title" with the value
 * "Default Title" (https://shopify.dev/docs/api/admin-graphql/latest/objects/ProductOption); the
 * storefront never shows them, so they are not translated.
 */
function isPlaceholderOption(resource: TranslatableResource): boolean {
  const name = resource.source.find((field) => field.key === "name")?.value;
  return (
    (resource.kind === "product-option" && name === "Title") ||
    (resource.kind === "product-option-value" && name === "Default Title")
  );
}

const LOCALES_PER_READ = 4;

/** The locale slots of one read: l0..l3 and whether each is asked (an unused slot costs nothing). */
function localeSlots(locales: string[]) {
  const slots: Record<string, string | boolean> = {};
  for (let i = 0; i < LOCALES_PER_READ; i++) {
    slots[`l${i}`] = locales[i] ?? "";
    slots[`w${i}`] = locales[i] !== undefined;
  }
  return slots as Pick<TranslatableResourceQueryVariables, "l0" | "w0" | "l1" | "w1" | "l2" | "w2" | "l3" | "w3">;
}

const translationsIn = (node: Pick<ResourceNode, "t0" | "t1" | "t2" | "t3">) =>
  [...(node.t0 ?? []), ...(node.t1 ?? []), ...(node.t2 ?? []), ...(node.t3 ?? [])].map(translationOf);

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
};

type RegisterPayload = RegisterTranslationsMutation["translationsRegister"];

const translationInput = (write: TranslationWrite) => ({
  key: write.key,
  locale: write.locale,
  value: write.value,
  translatableContentDigest: write.sourceDigest,
});

function resultOf(payload: RegisterPayload | undefined, writes: TranslationWrite[]): RegisterTranslationsResult {
  const errors = payload?.userErrors ?? [];
  if (errors.some((error) => error.code === "RESOURCE_NOT_FOUND")) return { status: "resource-gone" };
  if (errors.length) return { status: "rejected", rejections: errors.map((error) => rejectionOf(error, writes)) };
  return { status: "registered", count: payload?.translations?.length ?? 0 };
}

/** One resource's result from the aliases its writes went in (one, unless it had over 250). */
function combine(parts: RegisterTranslationsResult[]): RegisterTranslationsResult {
  if (parts.some((part) => part.status === "resource-gone")) return { status: "resource-gone" };
  const rejections = parts.flatMap((part) => (part.status === "rejected" ? part.rejections : []));
  if (rejections.length) return { status: "rejected", rejections };
  return {
    status: "registered",
    count: parts.reduce((sum, part) => sum + (part.status === "registered" ? part.count : 0), 0),
  };
}

/** The translations port backed by a shop's Admin GraphQL API. */
export function shopifyTranslations(admin: AdminClient): TranslationsStore {
  return {
    // One request reads the source, four locales' translations and the first 25 nested resources
    // with theirs; more locales or more nested resources take further requests that read only
    // what is still missing.
    async translatableResource(resourceId, locales) {
      const kind = kindOf(resourceId);
      let top: TranslatableResource | null = null;
      const nested = new Map<string, TranslatableResource>();
      let copyMetafieldIds: Set<string> | null = null;
      for (const [chunk, slice] of chunks(locales, LOCALES_PER_READ).entries()) {
        let after: string | null = null;
        do {
          const variables: TranslatableResourceQueryVariables = {
            id: resourceId,
            withSource: chunk === 0,
            nestedPage: after !== null,
            withNested: kind === "product",
            nestedAfter: after,
            withCopyMetafields: kind === "product" && chunk === 0 && after === null,
            ...localeSlots(slice),
          };
          const data: TranslatableResourceQuery = await admin.request<TranslatableResourceQuery>(
            TRANSLATABLE_RESOURCE,
            variables,
          );
          const resource = data.translatableResource;
          if (!resource) return null;
          if (data.product) {
            copyMetafieldIds = new Set(
              data.product.metafields.nodes.filter((m) => TRANSLATED_COPY_METAFIELDS.has(m.key)).map((m) => m.id),
            );
          }
          if (after === null) {
            top ??= {
              resourceId: resource.resourceId,
              kind,
              source: sourceOf(resource.translatableContent ?? []),
              translations: [],
              nested: [],
            };
            top.translations.push(...translationsIn(resource));
          }
          for (const node of resource.nestedTranslatableResources?.nodes ?? []) {
            let entry = nested.get(node.resourceId);
            if (!entry) {
              entry = {
                resourceId: node.resourceId,
                kind: kindOf(node.resourceId),
                source: [],
                translations: [],
                nested: [],
              };
              nested.set(node.resourceId, entry);
            }
            if (node.translatableContent) entry.source = sourceOf(node.translatableContent);
            entry.translations.push(...translationsIn(node));
          }
          const page = resource.nestedTranslatableResources?.pageInfo;
          after = page?.hasNextPage ? (page.endCursor ?? null) : null;
        } while (after !== null);
      }
      if (!top) return null;
      const keep = copyMetafieldIds as Set<string> | null;
      top.nested = [...nested.values()].filter(
        (entry) =>
          entry.source.length > 0 &&
          !isPlaceholderOption(entry) &&
          (entry.kind !== "metafield" || Boolean(keep?.has(entry.resourceId))),
      );
      return top;
    },

    async listTranslatableResources(kind, options = {}) {
      const resourceType = KINDS.find((row) => row.kind === kind)?.resourceType;
      if (!resourceType) return { ids: [], next: null };
      const { translatableResources: page } = await admin.request<TranslatableResourceIdsQuery>(
        TRANSLATABLE_RESOURCE_IDS,
        { type: resourceType, after: options.after ?? null } satisfies TranslatableResourceIdsQueryVariables,
      );
      return {
        ids: page.nodes.map((node) => node.resourceId),
        next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      };
    },
    // Not admin.mutate: a refusal here is an answer the pipeline acts on key by key (re-read a
    // changed source, drop an unpublished locale), not a failure to report as a whole.
    async registerTranslations(resourceId, writes) {
      const { translationsRegister: payload } = await admin.request<RegisterTranslationsMutation>(
        REGISTER_TRANSLATIONS,
        {
          resourceId,
          translations: writes.map(translationInput),
        } satisfies RegisterTranslationsMutationVariables,
      );
      return resultOf(payload, writes);
    },

    async registerTranslationBatch(batch) {
      // One alias per resource, or several for a resource with more than 250 writes.
      const aliases = batch.flatMap((entry, index) =>
        entry.writes.length
          ? chunks(entry.writes, MAX_WRITES_PER_ALIAS).map((writes) => ({
              index,
              resourceId: entry.resourceId,
              writes,
            }))
          : [],
      );
      const parts: RegisterTranslationsResult[][] = batch.map(() => []);
      for (const request of chunks(aliases, MAX_ALIASES_PER_REQUEST)) {
        if (request.length === 0) continue;
        const variables: Record<string, unknown> = {};
        request.forEach((alias, i) => {
          variables[`id${i}`] = alias.resourceId;
          variables[`t${i}`] = alias.writes.map(translationInput);
        });
        const data = await admin.request<Record<string, RegisterPayload>>(
          registerBatchDocument(request.length),
          variables,
        );
        request.forEach((alias, i) => parts[alias.index]!.push(resultOf(data[`r${i}`], alias.writes)));
      }
      return batch.map((_entry, index) => combine(parts[index]!));
    },

    async removeTranslations(resourceId, keys, locales) {
      await admin.mutate<NonNullable<RemoveTranslationsMutation["translationsRemove"]>>(
        REMOVE_TRANSLATIONS,
        { resourceId, keys, locales } satisfies RemoveTranslationsMutationVariables,
        "translationsRemove",
      );
    },
  };
}
