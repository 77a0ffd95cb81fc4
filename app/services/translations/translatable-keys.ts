import type { TranslatableKind } from "~/services/ports/translations";

/**
 * Which keys of each kind of resource the pipeline translates: data, not code, so a new kind is a
 * row here. `optional` keys are translated only when the shop's setting of that name is on (a
 * translated handle changes the page's URL, so it is off by default). A key the store reports and
 * this table does not name is left alone.
 */
export interface KindKeys {
  keys: readonly string[];
  optional?: Readonly<Record<string, "translateHandles">>;
}

export const TRANSLATED_KEYS: Readonly<Record<TranslatableKind, KindKeys>> = {
  product: {
    keys: ["title", "body_html", "product_type", "meta_title", "meta_description"],
    optional: { handle: "translateHandles" },
  },
  collection: {
    keys: ["title", "body_html", "meta_title", "meta_description"],
    optional: { handle: "translateHandles" },
  },
  page: { keys: ["title", "body_html", "meta_title", "meta_description"], optional: { handle: "translateHandles" } },
  policy: { keys: ["title", "body"] },
  "product-option": { keys: ["name"] },
  "product-option-value": { keys: ["name"] },
  image: { keys: ["alt"] },
  metafield: { keys: ["value"] },
  other: { keys: [] },
};

export interface KeySettings {
  translateHandles: boolean;
}

/** Whether the pipeline translates `key` of a resource of `kind` for a shop with `settings`. */
export function translatesKey(kind: TranslatableKind, key: string, settings: KeySettings): boolean {
  const row = TRANSLATED_KEYS[kind];
  if (row.keys.includes(key)) return true;
  const setting = row.optional?.[key];
  return setting ? settings[setting] : false;
}

/**
 * Longest values the store accepts or shows in full, per key. Shopify refuses a product title or
 * handle over 255 characters (https://help.shopify.com/en/manual/products/details: "up to 255
 * characters"; matrixify.app/documentation/shopify-limits: handles are 255), caps the search
 * listing's page title at 70 and its meta description at 320 characters in admin
 * (https://help.shopify.com/en/manual/promoting-marketing/seo/adding-keywords: "You can enter up to
 * 70 characters in the title", "up to 320 characters in the description"). Other keys have no
 * stated limit; 65,535 keeps an HTML body within what the store's text columns hold.
 */
export const FIELD_LIMITS: Readonly<Record<string, number>> = {
  title: 255,
  handle: 255,
  name: 255,
  product_type: 255,
  meta_title: 70,
  meta_description: 320,
  alt: 512,
};
export const DEFAULT_FIELD_LIMIT = 65_535;

export const fieldLimit = (key: string) => FIELD_LIMITS[key] ?? DEFAULT_FIELD_LIMIT;
