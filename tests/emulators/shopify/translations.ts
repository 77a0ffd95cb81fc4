// Translatable resources (translatableResource(s), nestedTranslatableResources, translationsRegister).
// `translatableContent.value` is the field as Shopify stores it (an HTML field is re-serialised on
// write, stored-html.ts), and `digest` is the SHA-256 hex of exactly that value
// (https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableContent: "Hash digest
// representation of the content value"; community.shopify.dev/t/18641 shows it is sha256(value) of
// the stored, sanitised text). A client that hashes the text it sent instead of what Shopify
// stored gets INVALID_TRANSLATABLE_CONTENT whenever storing changed it.
//
// Each resource type is a row of RESOURCE_TYPES: its GID type, its keys (the "Translatable fields"
// of https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslatableResourceType) and how to
// find its records. A new type (BLOG, MENU, METAOBJECT) is a new row, not a new code path.
import { createHash } from "node:crypto";
import {
  gid,
  isoNow,
  parseGid,
  type MetafieldRecord,
  type ProductRecord,
  type ShopRecord,
  type TranslationRecord,
} from "./state";

export type LocalizableContentType =
  | "SINGLE_LINE_TEXT_FIELD"
  | "MULTI_LINE_TEXT_FIELD"
  | "HTML"
  | "URI"
  | "URL"
  | "LINK"
  | "RICH_TEXT_FIELD"
  | "LIST_SINGLE_LINE_TEXT_FIELD"
  | "LIST_MULTI_LINE_TEXT_FIELD"
  | "LIST_URL"
  | "LIST_LINK";

/** The TranslatableResourceType values the emulator models; any other fails loudly (resolvers.ts). */
export type TranslatableResourceType =
  | "PRODUCT"
  | "PRODUCT_OPTION"
  | "PRODUCT_OPTION_VALUE"
  | "MEDIA_IMAGE"
  | "METAFIELD"
  | "COLLECTION"
  | "PAGE"
  | "SHOP_POLICY";

interface Field<R> {
  key: string;
  type: LocalizableContentType;
  get(r: R): string | null;
}

/**
 * Metafield types Shopify translates, and the content type it reports for each
 * (https://shopify.dev/changelog/metafield-translations-now-available-via-graphql-admin-api:
 * "text-based metafield types, including single_line_text_field, multi_line_text_field,
 * rich_text_field"; the LIST_* and URL/LINK types are LocalizableContentType values,
 * https://shopify.dev/docs/api/admin-graphql/latest/enums/LocalizableContentType). Numbers, booleans,
 * references and JSON are not translatable, so they are not nested resources.
 */
export const TRANSLATABLE_METAFIELD_TYPES: Record<string, LocalizableContentType> = {
  single_line_text_field: "SINGLE_LINE_TEXT_FIELD",
  multi_line_text_field: "MULTI_LINE_TEXT_FIELD",
  rich_text_field: "RICH_TEXT_FIELD",
  url: "URL",
  link: "LINK",
  "list.single_line_text_field": "LIST_SINGLE_LINE_TEXT_FIELD",
  "list.multi_line_text_field": "LIST_MULTI_LINE_TEXT_FIELD",
  "list.url": "LIST_URL",
  "list.link": "LIST_LINK",
};

/** One resource the shop can translate, whatever its type. */
export interface Translatable {
  resourceType: TranslatableResourceType;
  id: number;
  resourceId: string;
  fields: Array<Field<unknown>>;
  record: unknown;
  /** `${locale}\u0000${key}` → translation. */
  translations: Map<string, TranslationRecord>;
  /** The resource's own nested resources (a product's options, values, images, metafields). */
  nested(): Translatable[];
}

type Shop = ShopRecord;

const seoFields = <R extends { seo: { title: string | null; description: string | null } }>(): Array<Field<R>> => [
  { key: "meta_title", type: "SINGLE_LINE_TEXT_FIELD", get: (r) => r.seo.title },
  { key: "meta_description", type: "MULTI_LINE_TEXT_FIELD", get: (r) => r.seo.description },
];

export const PRODUCT_TRANSLATABLE_FIELDS: Array<Field<ProductRecord>> = [
  { key: "title", type: "SINGLE_LINE_TEXT_FIELD", get: (p) => p.title },
  { key: "body_html", type: "HTML", get: (p) => p.descriptionHtml },
  { key: "handle", type: "URI", get: (p) => p.handle },
  { key: "product_type", type: "SINGLE_LINE_TEXT_FIELD", get: (p) => p.productType },
  ...seoFields<ProductRecord>(),
];

function sharedTranslations(shop: Shop, resourceId: string): Map<string, TranslationRecord> {
  let map = shop.translations.get(resourceId);
  if (!map) shop.translations.set(resourceId, (map = new Map()));
  return map;
}

function translatable<R extends { id: number }>(
  shop: Shop,
  resourceType: TranslatableResourceType,
  gidType: string,
  record: R,
  fields: Array<Field<R>>,
  own?: Map<string, TranslationRecord>,
  nested: () => Translatable[] = () => [],
): Translatable {
  const resourceId = gid(gidType, record.id);
  return {
    resourceType,
    id: record.id,
    resourceId,
    fields: fields as Array<Field<unknown>>,
    record,
    translations: own ?? sharedTranslations(shop, resourceId),
    nested,
  };
}

const isTranslatableMetafield = (m: MetafieldRecord) => m.type in TRANSLATABLE_METAFIELD_TYPES;

function metafieldTranslatable(shop: Shop, m: MetafieldRecord): Translatable {
  const type = TRANSLATABLE_METAFIELD_TYPES[m.type] ?? "SINGLE_LINE_TEXT_FIELD";
  return translatable(shop, "METAFIELD", "Metafield", m, [{ key: "value", type, get: (r) => r.value }]);
}

/** A product's nested resources, in the order Shopify's admin lists them: options, values, media, metafields. */
function productNested(shop: Shop, p: ProductRecord): Translatable[] {
  const out: Translatable[] = [];
  for (const o of p.options) {
    out.push(translatable(shop, "PRODUCT_OPTION", "ProductOption", o, [nameField]));
  }
  for (const o of p.options) {
    for (const v of o.values)
      out.push(translatable(shop, "PRODUCT_OPTION_VALUE", "ProductOptionValue", v, [nameField]));
  }
  for (const i of p.images) out.push(translatable(shop, "MEDIA_IMAGE", "MediaImage", i, [altField]));
  for (const m of p.metafields) if (isTranslatableMetafield(m)) out.push(metafieldTranslatable(shop, m));
  return out;
}

const nameField: Field<{ id: number; name: string }> = {
  key: "name",
  type: "SINGLE_LINE_TEXT_FIELD",
  get: (r) => r.name,
};
const altField: Field<{ id: number; altText: string | null }> = {
  key: "alt",
  type: "SINGLE_LINE_TEXT_FIELD",
  get: (r) => r.altText,
};

export function productTranslatable(shop: Shop, p: ProductRecord): Translatable {
  return translatable(shop, "PRODUCT", "Product", p, PRODUCT_TRANSLATABLE_FIELDS, p.translations, () =>
    productNested(shop, p),
  );
}

interface ResourceTypeSpec {
  gidType: string;
  /** Every resource of the type in the shop, in id order. */
  all(shop: Shop): Translatable[];
}

const byId = <T extends { id: number }>(list: Iterable<T>) => [...list].sort((a, b) => a.id - b.id);
const allNested = (shop: Shop, type: TranslatableResourceType) =>
  byId(shop.products.values())
    .flatMap((p) => productNested(shop, p))
    .filter((t) => t.resourceType === type);

export const RESOURCE_TYPES: Record<TranslatableResourceType, ResourceTypeSpec> = {
  PRODUCT: {
    gidType: "Product",
    all: (shop) => byId(shop.products.values()).map((p) => productTranslatable(shop, p)),
  },
  PRODUCT_OPTION: { gidType: "ProductOption", all: (shop) => allNested(shop, "PRODUCT_OPTION") },
  PRODUCT_OPTION_VALUE: { gidType: "ProductOptionValue", all: (shop) => allNested(shop, "PRODUCT_OPTION_VALUE") },
  MEDIA_IMAGE: { gidType: "MediaImage", all: (shop) => allNested(shop, "MEDIA_IMAGE") },
  // Deprecated as a listing type (https://shopify.dev/docs/apps/build/markets/migrate-translatable-metafields)
  // but "still works on every API version".
  METAFIELD: { gidType: "Metafield", all: (shop) => allNested(shop, "METAFIELD") },
  COLLECTION: {
    gidType: "Collection",
    all: (shop) =>
      byId(shop.collections.values()).map((c) =>
        translatable(shop, "COLLECTION", "Collection", c, [
          { key: "title", type: "SINGLE_LINE_TEXT_FIELD", get: (r) => r.title },
          { key: "body_html", type: "HTML", get: (r) => r.descriptionHtml },
          { key: "handle", type: "URI", get: (r) => r.handle },
          ...seoFields<typeof c>(),
        ]),
      ),
  },
  PAGE: {
    gidType: "Page",
    all: (shop) =>
      byId(shop.pages.values()).map((page) =>
        translatable(shop, "PAGE", "Page", page, [
          { key: "title", type: "SINGLE_LINE_TEXT_FIELD", get: (r) => r.title },
          { key: "body_html", type: "HTML", get: (r) => r.bodyHtml },
          { key: "handle", type: "URI", get: (r) => r.handle },
          ...seoFields<typeof page>(),
        ]),
      ),
  },
  SHOP_POLICY: {
    gidType: "ShopPolicy",
    all: (shop) =>
      byId(shop.policies.values()).map((policy) =>
        translatable(shop, "SHOP_POLICY", "ShopPolicy", policy, [{ key: "body", type: "HTML", get: (r) => r.body }]),
      ),
  },
};

export function isModelledResourceType(type: unknown): type is TranslatableResourceType {
  return typeof type === "string" && type in RESOURCE_TYPES;
}

/** The translatable resource a GID names, or null (unknown type, or no such record). */
export function translatableById(shop: Shop, resourceId: unknown): Translatable | null {
  const parsed = parseGid(resourceId);
  if (!parsed) return null;
  if (parsed.type === "Product" || parsed.type === "") {
    const p = shop.products.get(parsed.id);
    return p ? productTranslatable(shop, p) : null;
  }
  switch (parsed.type) {
    // A product's nested resources are found by scanning the products' own lists, building only
    // the match (the benchmarks register thousands of them).
    case "ProductOption":
      for (const p of shop.products.values()) {
        const o = p.options.find((x) => x.id === parsed.id);
        if (o) return translatable(shop, "PRODUCT_OPTION", "ProductOption", o, [nameField]);
      }
      return null;
    case "ProductOptionValue":
      for (const p of shop.products.values()) {
        for (const o of p.options) {
          const v = o.values.find((x) => x.id === parsed.id);
          if (v) return translatable(shop, "PRODUCT_OPTION_VALUE", "ProductOptionValue", v, [nameField]);
        }
      }
      return null;
    case "MediaImage":
      for (const p of shop.products.values()) {
        const i = p.images.find((x) => x.id === parsed.id);
        if (i) return translatable(shop, "MEDIA_IMAGE", "MediaImage", i, [altField]);
      }
      return null;
    case "Metafield":
      for (const p of shop.products.values()) {
        const m = p.metafields.find((x) => x.id === parsed.id);
        if (m) return isTranslatableMetafield(m) ? metafieldTranslatable(shop, m) : null;
      }
      return null;
  }
  for (const spec of Object.values(RESOURCE_TYPES)) {
    if (spec.gidType !== parsed.type) continue;
    return spec.all(shop).find((t) => t.id === parsed.id) ?? null;
  }
  return null;
}

/** The product a translatable resource belongs to: itself, or the owner of a nested resource; null otherwise. */
export function owningProductId(shop: Shop, resourceId: unknown): string | null {
  const parsed = parseGid(resourceId);
  if (!parsed) return null;
  if (parsed.type === "Product") return shop.products.has(parsed.id) ? gid("Product", parsed.id) : null;
  for (const p of shop.products.values()) {
    const owns =
      (parsed.type === "ProductOption" && p.options.some((o) => o.id === parsed.id)) ||
      (parsed.type === "ProductOptionValue" && p.options.some((o) => o.values.some((v) => v.id === parsed.id))) ||
      (parsed.type === "MediaImage" && p.images.some((i) => i.id === parsed.id)) ||
      (parsed.type === "Metafield" && p.metafields.some((m) => m.id === parsed.id));
    if (owns) return gid("Product", p.id);
  }
  return null;
}

/**
 * Whether the GID names a record that exists but has nothing translatable (a number or reference
 * metafield): translationsRegister answers RESOURCE_NOT_TRANSLATABLE, "Resource is not
 * translatable" (TranslationErrorCode), rather than RESOURCE_NOT_FOUND. Inferred from the enum.
 */
export function isUntranslatableRecord(shop: Shop, resourceId: unknown): boolean {
  const parsed = parseGid(resourceId);
  if (parsed?.type !== "Metafield") return false;
  for (const p of shop.products.values()) {
    const m = p.metafields.find((x) => x.id === parsed.id);
    if (m) return !isTranslatableMetafield(m);
  }
  return false;
}

/** Shopify's translatable-content digest: SHA-256 hex of the stored value, nothing else. */
export function contentDigest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export interface TranslatableContentEntry {
  key: string;
  value: string;
  digest: string;
  locale: string;
  type: LocalizableContentType;
}

export function primaryLocale(shop: ShopRecord): string {
  return shop.locales.find((l) => l.primary)?.locale ?? "en";
}

/** Keys with content right now (Shopify omits empty fields such as an unset SEO title or alt text). */
export function contentOf(shop: Shop, t: Translatable): TranslatableContentEntry[] {
  const locale = primaryLocale(shop);
  const out: TranslatableContentEntry[] = [];
  for (const f of t.fields) {
    const value = f.get(t.record);
    if (value === null || value === "") continue;
    out.push({ key: f.key, value, digest: contentDigest(value), locale, type: f.type });
  }
  return out;
}

/** A product's own content (kept for callers that hold a product record). */
export function translatableContent(shop: ShopRecord, p: ProductRecord): TranslatableContentEntry[] {
  return contentOf(shop, productTranslatable(shop, p));
}

export interface TranslationView {
  key: string;
  value: string;
  locale: string;
  /**
   * "Whether the original content has changed since this translation was updated"
   * (https://shopify.dev/docs/api/admin-graphql/latest/objects/Translation): the source digest now
   * differs from the one the translation was registered against.
   */
  outdated: boolean;
  updatedAt: string;
  market: null;
}

function viewOf(content: TranslatableContentEntry[], t: TranslationRecord): TranslationView {
  const current = content.find((c) => c.key === t.key);
  return {
    key: t.key,
    value: t.value,
    locale: t.locale,
    outdated: !current || current.digest !== t.sourceDigest,
    updatedAt: t.updatedAt,
    market: null,
  };
}

export function translationView(shop: ShopRecord, p: ProductRecord, t: TranslationRecord): TranslationView {
  return viewOf(translatableContent(shop, p), t);
}

/** Every translation of a resource (all locales), for the control API. */
export function allTranslations(shop: Shop, t: Translatable): Array<TranslationView & { sourceDigest: string }> {
  const content = contentOf(shop, t);
  return [...t.translations.values()].map((record) => ({
    ...viewOf(content, record),
    sourceDigest: record.sourceDigest,
  }));
}

export function listResourceTranslations(
  shop: Shop,
  t: Translatable,
  locale: string,
  outdated?: boolean | null,
): TranslationView[] {
  const content = contentOf(shop, t);
  const out: TranslationView[] = [];
  for (const record of t.translations.values()) {
    if (record.locale !== locale) continue;
    const view = viewOf(content, record);
    if (outdated === undefined || outdated === null || view.outdated === outdated) out.push(view);
  }
  return out;
}

export function listTranslations(
  shop: ShopRecord,
  p: ProductRecord,
  locale: string,
  outdated?: boolean | null,
): TranslationView[] {
  return listResourceTranslations(shop, productTranslatable(shop, p), locale, outdated);
}

export interface TranslationInput {
  locale: string;
  key: string;
  value: string;
  translatableContentDigest: string;
  marketId?: string | null;
}

export interface TranslationUserError {
  field: string[] | null;
  message: string;
  code: string;
}

export interface RegisterOptions {
  /** Shopify lets merchants translate into added-but-unpublished locales; the emulator is stricter by default. */
  allowUnpublishedLocales?: boolean;
}

const translationKey = (locale: string, key: string) => `${locale}\u0000${key}`;

/**
 * Whether another resource of the same type already uses `handle` in `locale`, as its own handle or
 * as a translated one: Shopify then refuses the handle translation with
 * INVALID_VALUE_FOR_HANDLE_TRANSLATION, "The handle is already taken for this resource"
 * (https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslationErrorCode).
 */
function handleTaken(shop: Shop, t: Translatable, locale: string, handle: string): boolean {
  const handleOf = (other: Translatable) => other.fields.find((f) => f.key === "handle")?.get(other.record) ?? null;
  for (const other of RESOURCE_TYPES[t.resourceType].all(shop)) {
    if (other.id === t.id) continue;
    if (handleOf(other) === handle) return true;
    if (other.translations.get(translationKey(locale, "handle"))?.value === handle) return true;
  }
  return false;
}

/** Validates every translation first and stores none if any is invalid (one userError per problem). */
export function registerResourceTranslations(
  shop: ShopRecord,
  t: Translatable,
  inputs: TranslationInput[],
  options: RegisterOptions = {},
): { errors: TranslationUserError[]; translations: TranslationView[] } {
  const errors: TranslationUserError[] = [];
  const content = new Map(contentOf(shop, t).map((c) => [c.key, c]));
  inputs.forEach((input, i) => {
    const at = (f: string) => ["translations", String(i), f];
    const loc = shop.locales.find((l) => l.locale === input.locale);
    if (input.marketId) {
      errors.push({ field: at("marketId"), message: "Market does not exist", code: "MARKET_DOES_NOT_EXIST" });
    }
    if (!loc || loc.primary || (!loc.published && !options.allowUnpublishedLocales)) {
      errors.push({
        field: at("locale"),
        message: loc?.primary
          ? `Locale cannot be the same as the shop's primary locale`
          : `Locale is not enabled for this shop`,
        code: "INVALID_LOCALE_FOR_SHOP",
      });
    }
    const source = content.get(input.key);
    if (!source) {
      errors.push({
        field: at("key"),
        message: `Key ${input.key} is not a valid translatable field`,
        code: "INVALID_KEY_FOR_MODEL",
      });
    } else if (source.digest !== input.translatableContentDigest) {
      errors.push({
        field: at("translatableContentDigest"),
        message: "Translatable content hash is invalid",
        code: "INVALID_TRANSLATABLE_CONTENT",
      });
    }
    if (!input.value || !input.value.trim()) {
      errors.push({ field: at("value"), message: "Value can't be blank", code: "BLANK" });
    } else if (input.key === "handle" && source && loc && handleTaken(shop, t, input.locale, input.value)) {
      // The wording is the emulator's own: the enum page gives only the code's description.
      errors.push({
        field: at("value"),
        message: "The handle is already taken for this resource",
        code: "INVALID_VALUE_FOR_HANDLE_TRANSLATION",
      });
    }
  });
  if (errors.length) return { errors, translations: [] };
  const now = isoNow();
  const saved: TranslationRecord[] = [];
  for (const input of inputs) {
    const record: TranslationRecord = {
      locale: input.locale,
      key: input.key,
      value: input.value,
      sourceDigest: input.translatableContentDigest,
      updatedAt: now,
    };
    t.translations.set(translationKey(input.locale, input.key), record);
    saved.push(record);
  }
  const current = contentOf(shop, t);
  return { errors, translations: saved.map((record) => viewOf(current, record)) };
}

export function registerTranslations(
  shop: ShopRecord,
  p: ProductRecord,
  inputs: TranslationInput[],
  options: RegisterOptions = {},
) {
  return registerResourceTranslations(shop, productTranslatable(shop, p), inputs, options);
}

export function removeResourceTranslations(
  shop: ShopRecord,
  t: Translatable,
  keys: string[],
  locales: string[],
): TranslationView[] {
  const content = contentOf(shop, t);
  const removed: TranslationView[] = [];
  for (const [k, record] of t.translations) {
    if (keys.includes(record.key) && locales.includes(record.locale)) {
      removed.push(viewOf(content, record));
      t.translations.delete(k);
    }
  }
  return removed;
}
