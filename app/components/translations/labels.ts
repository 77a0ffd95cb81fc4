/** Merchant words for the translation capability's kinds and states. */
const KIND_LABELS: Record<string, string> = {
  product: "Products",
  collection: "Collections",
  page: "Pages",
  policy: "Policies",
  "product-option": "Product options",
  "product-option-value": "Option values",
  image: "Image alt text",
  metafield: "Metafields",
  other: "Other",
};

const KIND_SINGULAR: Record<string, string> = {
  product: "Product",
  collection: "Collection",
  page: "Page",
  policy: "Policy",
  "product-option": "Product option",
  "product-option-value": "Option value",
  image: "Image",
  metafield: "Metafield",
};

/** One resource of a kind: "Product", "Policy". */
export function kindName(kind: string): string {
  return KIND_SINGULAR[kind] ?? kind;
}

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

const KEY_LABELS: Record<string, string> = {
  title: "Title",
  body_html: "Description",
  meta_title: "SEO title",
  meta_description: "SEO description",
  handle: "URL handle",
  product_type: "Product type",
  name: "Name",
  alt: "Alt text",
  value: "Value",
  body: "Body",
};

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? key;
}

/** The ledger's states as the grid and the item list name them. */
export const STATUS_LABELS = {
  TRANSLATED: "Translated",
  EDITED: "Edited by you",
  FAILED: "Failed",
  SKIPPED: "Skipped",
} as const;

export type LedgerStatus = keyof typeof STATUS_LABELS;

export function languageName(locale: string): string {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(locale);
    return name && name !== locale ? `${name} (${locale})` : locale;
  } catch {
    return locale;
  }
}

/** The status grid's states (services/translations/admin/translation-status.server.ts). */
export const GRID_STATE_LABELS = {
  translated: "Translated",
  outdated: "Outdated",
  missing: "Missing",
  edited: "Edited by you",
  failed: "Failed",
} as const;
