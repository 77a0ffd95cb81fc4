// Product translations (translatableResource / translationsRegister).
// `translatableContent.value` is the field as Shopify stores it (an HTML field is re-serialised on
// write, stored-html.ts), and `digest` is the SHA-256 hex of exactly that value
// (https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableContent: "Hash digest
// representation of the content value"; community.shopify.dev/t/18641 shows it is sha256(value) of
// the stored, sanitised text). A client that hashes the text it sent instead of what Shopify
// stored gets INVALID_TRANSLATABLE_CONTENT whenever storing changed it.
import { createHash } from "node:crypto";
import { isoNow, type ProductRecord, type ShopRecord, type TranslationRecord } from "./state";

export type LocalizableContentType = "SINGLE_LINE_TEXT_FIELD" | "MULTI_LINE_TEXT_FIELD" | "HTML" | "URI";

interface TranslatableField {
  key: string;
  type: LocalizableContentType;
  get(p: ProductRecord): string | null;
}

export const PRODUCT_TRANSLATABLE_FIELDS: TranslatableField[] = [
  { key: "title", type: "SINGLE_LINE_TEXT_FIELD", get: (p) => p.title },
  { key: "body_html", type: "HTML", get: (p) => p.descriptionHtml },
  { key: "handle", type: "URI", get: (p) => p.handle },
  { key: "product_type", type: "SINGLE_LINE_TEXT_FIELD", get: (p) => p.productType },
  { key: "meta_title", type: "SINGLE_LINE_TEXT_FIELD", get: (p) => p.seo.title },
  { key: "meta_description", type: "MULTI_LINE_TEXT_FIELD", get: (p) => p.seo.description },
];

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

/** Keys with content right now (Shopify omits empty fields such as an unset SEO title). */
export function translatableContent(shop: ShopRecord, p: ProductRecord): TranslatableContentEntry[] {
  const locale = primaryLocale(shop);
  const out: TranslatableContentEntry[] = [];
  for (const f of PRODUCT_TRANSLATABLE_FIELDS) {
    const value = f.get(p);
    if (value === null || value === "") continue;
    out.push({ key: f.key, value, digest: contentDigest(value), locale, type: f.type });
  }
  return out;
}

export interface TranslationView {
  key: string;
  value: string;
  locale: string;
  outdated: boolean;
  updatedAt: string;
  market: null;
}

export function translationView(shop: ShopRecord, p: ProductRecord, t: TranslationRecord): TranslationView {
  const current = translatableContent(shop, p).find((c) => c.key === t.key);
  return {
    key: t.key,
    value: t.value,
    locale: t.locale,
    outdated: !current || current.digest !== t.sourceDigest,
    updatedAt: t.updatedAt,
    market: null,
  };
}

export function listTranslations(
  shop: ShopRecord,
  p: ProductRecord,
  locale: string,
  outdated?: boolean | null,
): TranslationView[] {
  const out: TranslationView[] = [];
  for (const t of p.translations.values()) {
    if (t.locale !== locale) continue;
    const view = translationView(shop, p, t);
    if (outdated === undefined || outdated === null || view.outdated === outdated) out.push(view);
  }
  return out;
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

/** Validates every translation first and stores none if any is invalid (one userError per problem). */
export function registerTranslations(
  shop: ShopRecord,
  p: ProductRecord,
  inputs: TranslationInput[],
  options: RegisterOptions = {},
): { errors: TranslationUserError[]; translations: TranslationView[] } {
  const errors: TranslationUserError[] = [];
  const content = new Map(translatableContent(shop, p).map((c) => [c.key, c]));
  if (inputs.length > 250) {
    errors.push({
      field: ["translations"],
      message: "Too many translation keys for the resource.",
      code: "TOO_MANY_KEYS_FOR_RESOURCE",
    });
  }
  inputs.forEach((t, i) => {
    const at = (f: string) => ["translations", String(i), f];
    const loc = shop.locales.find((l) => l.locale === t.locale);
    if (t.marketId) {
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
    const source = content.get(t.key);
    if (!source) {
      errors.push({
        field: at("key"),
        message: `Key ${t.key} is not a valid translatable field`,
        code: "INVALID_KEY_FOR_MODEL",
      });
    } else if (source.digest !== t.translatableContentDigest) {
      errors.push({
        field: at("translatableContentDigest"),
        message: "Translatable content hash is invalid",
        code: "INVALID_TRANSLATABLE_CONTENT",
      });
    }
    if (!t.value || !t.value.trim()) {
      errors.push({ field: at("value"), message: "Value can't be blank", code: "BLANK" });
    }
  });
  if (errors.length) return { errors, translations: [] };
  const now = isoNow();
  const saved: TranslationView[] = [];
  for (const t of inputs) {
    const record: TranslationRecord = {
      locale: t.locale,
      key: t.key,
      value: t.value,
      sourceDigest: t.translatableContentDigest,
      updatedAt: now,
    };
    p.translations.set(`${t.locale}\u0000${t.key}`, record);
    saved.push(translationView(shop, p, record));
  }
  return { errors, translations: saved };
}

export function removeTranslations(
  shop: ShopRecord,
  p: ProductRecord,
  keys: string[],
  locales: string[],
): TranslationView[] {
  const removed: TranslationView[] = [];
  for (const [k, t] of p.translations) {
    if (keys.includes(t.key) && locales.includes(t.locale)) {
      removed.push(translationView(shop, p, t));
      p.translations.delete(k);
    }
  }
  return removed;
}
