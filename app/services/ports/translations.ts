/**
 * The store's own translations of its content, as the translation capability sees them. A resource
 * is anything the store can translate (a product, a collection, a policy, a page), named by the
 * store's own id; adding a resource type adds data, not a method. The Shopify implementation is
 * integrations/shopify/shopify-translations.server.ts (translatableResource, translationsRegister).
 */

/** How a source field is written, which decides how its translation is checked. */
export type TranslatableFormat = "text" | "multiline" | "html" | "url" | "json" | "other";

/** One field of the resource in the shop's primary language, as the store stores it. */
export interface TranslatableSource {
  key: string;
  value: string;
  /**
   * The store's fingerprint of `value`. A translation is registered against it, so the store can
   * refuse one written for text that has changed since; it is never computed by the app.
   */
  digest: string;
  locale: string;
  format: TranslatableFormat;
}

/** A translation the store holds now, whoever wrote it. */
export interface StoredTranslation {
  key: string;
  locale: string;
  value: string;
  /** The source changed after this translation was written. */
  outdated: boolean;
  updatedAt: string | null;
}

/**
 * The kinds of resource the store can translate, in the app's terms. A new kind (a menu, a blog,
 * a metaobject) is a new member here and a row in the store's own mapping, not a new method.
 */
export type TranslatableKind =
  | "product"
  | "collection"
  | "page"
  | "policy"
  | "product-option"
  | "product-option-value"
  | "image"
  | "metafield"
  | "other";

export interface TranslatableResource {
  resourceId: string;
  kind: TranslatableKind;
  source: TranslatableSource[];
  /** Translations into the locales asked for, every key the store has for them. */
  translations: StoredTranslation[];
  /**
   * Resources translated along with this one, each registered under its own id (a product's
   * options, option values, images and the app's own metafields). Empty when none.
   */
  nested: TranslatableResource[];
}

/** One translation to register, tied to the digest of the source it was translated from. */
export interface TranslationWrite {
  key: string;
  locale: string;
  value: string;
  sourceDigest: string;
}

/** The writes of one resource, for a batch. */
export interface ResourceWrites {
  resourceId: string;
  writes: TranslationWrite[];
}

/** Why the store refused a translation, in the app's terms. */
export type TranslationRejectionReason =
  /** The source changed after it was read: re-read and redo this key. */
  | "source-changed"
  /** The locale is not (or no longer) one the shop publishes. */
  | "locale-not-enabled"
  | "unknown-key"
  | "invalid-value"
  /** A translated URL handle another resource already uses. */
  | "handle-taken"
  | "too-many-keys"
  | "other";

export interface TranslationRejection {
  /** The write it is about, when the store said which. */
  key: string | null;
  locale: string | null;
  reason: TranslationRejectionReason;
  message: string;
}

export type RegisterTranslationsResult =
  | { status: "registered"; count: number }
  | { status: "rejected"; rejections: TranslationRejection[] }
  | { status: "resource-gone" };

export interface TranslationsStore {
  /** The resource's source fields with their digests and its translations into `locales`; null when it is gone. */
  translatableResource(resourceId: string, locales: string[]): Promise<TranslatableResource | null>;
  /**
   * Registers every write in one request. The store applies all or none: on a rejection nothing
   * was written, and the rejections name each refused write.
   */
  registerTranslations(resourceId: string, writes: TranslationWrite[]): Promise<RegisterTranslationsResult>;
  /**
   * Registers the writes of several resources (a product and its nested resources) in as few
   * requests as the store allows: one, for any ordinary product. Each resource is all or none on
   * its own: one refused resource does not stop the others. Answers one result per entry, in order.
   */
  registerTranslationBatch(batch: ResourceWrites[]): Promise<RegisterTranslationsResult[]>;
  /**
   * One page of the ids of every resource of a kind in the store (for a bulk translate): pass the
   * previous page's `next` as `after`; `next` is null on the last page. A kind the store cannot
   * list answers no ids.
   */
  listTranslatableResources(
    kind: TranslatableKind,
    options?: { after?: string | null },
  ): Promise<{ ids: string[]; next: string | null }>;
  /** Removes the translations of `keys` into `locales` (a locale unpublished, or a human asked to). */
  removeTranslations(resourceId: string, keys: string[], locales: string[]): Promise<void>;
}
