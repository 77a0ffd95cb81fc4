import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  RegisterTranslationsMutation,
  RegisterTranslationsMutationVariables,
  RemoveTranslationsMutation,
  RemoveTranslationsMutationVariables,
  ResourceTranslationsQuery,
  ResourceTranslationsQueryVariables,
  TranslatableResourceQuery,
  TranslatableResourceQueryVariables,
} from "~/integrations/shopify/admin-operations.generated";
import type {
  StoredTranslation,
  TranslatableFormat,
  TranslatableKind,
  TranslatableSource,
  TranslationRejection,
  TranslationRejectionReason,
  TranslationsStore,
  TranslationWrite,
} from "~/services/ports/translations";

// https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResource: the source
// content with Shopify's digest of each stored value, and the translations into one locale.
const TRANSLATABLE_RESOURCE = `#graphql
  query TranslatableResource($id: ID!, $locale: String!) {
    translatableResource(resourceId: $id) {
      resourceId
      translatableContent {
        key
        value
        digest
        locale
        type
      }
      translations(locale: $locale) {
        key
        value
        locale
        outdated
        updatedAt
      }
    }
  }
`;

const RESOURCE_TRANSLATIONS = `#graphql
  query ResourceTranslations($id: ID!, $locale: String!) {
    translatableResource(resourceId: $id) {
      translations(locale: $locale) {
        key
        value
        locale
        outdated
        updatedAt
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
  TranslatableResourceQuery["translatableResource"]
>["translatableContent"][number]["type"];

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

type TranslationNode = NonNullable<ResourceTranslationsQuery["translatableResource"]>["translations"][number];

const translationOf = (node: TranslationNode): StoredTranslation => ({
  key: node.key,
  locale: node.locale,
  value: node.value ?? "",
  outdated: node.outdated,
  updatedAt: node.updatedAt ?? null,
});

/** The app's kind of a resource, from its GID's type ("gid://shopify/Product/1" → "product"). */
function kindOf(resourceId: string): TranslatableKind {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(resourceId)?.[1];
  switch (type) {
    case "Product":
      return "product";
    case "Collection":
      return "collection";
    case "Page":
    case "OnlineStorePage":
      return "page";
    case "ShopPolicy":
      return "policy";
    case "ProductOption":
      return "product-option";
    case "ProductOptionValue":
      return "product-option-value";
    case "MediaImage":
      return "image";
    case "Metafield":
      return "metafield";
    default:
      return "other";
  }
}

/** The translations port backed by a shop's Admin GraphQL API. */
export function shopifyTranslations(admin: AdminClient): TranslationsStore {
  return {
    // translations(locale:) takes one locale, so the first read brings the source with the first
    // locale's translations and each further locale costs one small read.
    async translatableResource(resourceId, locales) {
      const [first, ...others] = locales;
      const { translatableResource: resource } = await admin.request<TranslatableResourceQuery>(TRANSLATABLE_RESOURCE, {
        id: resourceId,
        locale: first ?? "",
      } satisfies TranslatableResourceQueryVariables);
      if (!resource) return null;
      const source: TranslatableSource[] = resource.translatableContent
        .filter((content) => content.value !== null && content.value !== undefined)
        .map((content) => ({
          key: content.key,
          value: content.value ?? "",
          digest: content.digest ?? "",
          locale: content.locale,
          format: formatOf(content.type),
        }));
      const translations = first ? resource.translations.map(translationOf) : [];
      for (const locale of others) {
        const { translatableResource: more } = await admin.request<ResourceTranslationsQuery>(RESOURCE_TRANSLATIONS, {
          id: resourceId,
          locale,
        } satisfies ResourceTranslationsQueryVariables);
        if (!more) return null;
        translations.push(...more.translations.map(translationOf));
      }
      // Nested resources (options, option values, images, metafields) are not read yet.
      return { resourceId: resource.resourceId, kind: kindOf(resource.resourceId), source, translations, nested: [] };
    },

    // Not admin.mutate: a refusal here is an answer the pipeline acts on key by key (re-read a
    // changed source, drop an unpublished locale), not a failure to report as a whole.
    async registerTranslations(resourceId, writes) {
      const { translationsRegister: payload } = await admin.request<RegisterTranslationsMutation>(
        REGISTER_TRANSLATIONS,
        {
          resourceId,
          translations: writes.map((write) => ({
            key: write.key,
            locale: write.locale,
            value: write.value,
            translatableContentDigest: write.sourceDigest,
          })),
        } satisfies RegisterTranslationsMutationVariables,
      );
      const errors = payload?.userErrors ?? [];
      if (errors.some((error) => error.code === "RESOURCE_NOT_FOUND")) return { status: "resource-gone" };
      if (errors.length) return { status: "rejected", rejections: errors.map((error) => rejectionOf(error, writes)) };
      return { status: "registered", count: payload?.translations?.length ?? 0 };
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
