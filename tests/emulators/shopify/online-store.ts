// Collections, online-store pages and shop policies as the merchant edits them (control API), and
// the shop's locales being added, published and unpublished. Each write emits the webhook Shopify
// sends for it, when there is one:
// - collections/create|update|delete (https://shopify.dev/docs/api/webhooks/latest?reference=toml,
//   WebhookSubscriptionTopic COLLECTIONS_*: "Occurs whenever a collection is created/updated/deleted");
// - locales/create ("Occurs whenever a shop locale is created") and locales/update ("whenever a shop
//   locale is updated, such as published or unpublished"), WebhookSubscriptionTopic LOCALES_*;
// - pages and policies have no webhook topic in 2026-10, so their edits are silent.
import { slugify } from "./products";
import { storedHtml } from "./stored-html";
import {
  gid,
  isoNow,
  type CollectionRecord,
  type EmulatorState,
  type PageRecord,
  type PolicyRecord,
  type ShopPolicyType,
  type ShopRecord,
} from "./state";

export const SHOP_POLICY_TYPES: readonly ShopPolicyType[] = [
  "CONTACT_INFORMATION",
  "LEGAL_NOTICE",
  "PRIVACY_POLICY",
  "REFUND_POLICY",
  "SHIPPING_POLICY",
  "SUBSCRIPTION_POLICY",
  "TERMS_OF_SALE",
  "TERMS_OF_SERVICE",
];

export interface SeoInput {
  title?: string | null;
  description?: string | null;
}

export interface CollectionWrite {
  title?: string;
  handle?: string;
  descriptionHtml?: string;
  seo?: SeoInput;
}

export interface PageWrite {
  title?: string;
  handle?: string;
  body?: string;
  seo?: SeoInput;
}

export interface PolicyWrite {
  title?: string;
  body?: string;
}

export class OnlineStoreInputError extends Error {}

/** Shopify keeps handles unique per resource type, appending -1, -2… (as for products). */
function uniqueHandle(taken: Iterable<{ id: number; handle: string }>, base: string, selfId?: number): string {
  const used = new Set<string>();
  for (const r of taken) if (r.id !== selfId) used.add(r.handle);
  if (!used.has(base)) return base;
  for (let i = 1; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

const seoOf = (
  input: SeoInput | undefined,
  current = { title: null, description: null } as CollectionRecord["seo"],
) => ({
  title: input?.title !== undefined ? input.title || null : current.title,
  description: input?.description !== undefined ? input.description || null : current.description,
});

export function collectionPayload(c: CollectionRecord) {
  return {
    id: c.id,
    handle: c.handle,
    title: c.title,
    updated_at: c.updatedAt,
    body_html: c.descriptionHtml || null,
    published_at: c.updatedAt,
    sort_order: "best-selling",
    template_suffix: null,
    published_scope: "web",
    admin_graphql_api_id: gid("Collection", c.id),
  };
}

export function createCollection(
  state: EmulatorState,
  shop: ShopRecord,
  input: CollectionWrite,
  opts: { silent?: boolean } = {},
): CollectionRecord {
  if (!input.title?.trim()) throw new OnlineStoreInputError("title can't be blank");
  const collection: CollectionRecord = {
    id: state.nextId(),
    title: input.title.trim(),
    handle: uniqueHandle(shop.collections.values(), input.handle || slugify(input.title)),
    descriptionHtml: storedHtml(input.descriptionHtml ?? ""),
    seo: seoOf(input.seo),
    updatedAt: isoNow(),
  };
  shop.collections.set(collection.id, collection);
  if (!opts.silent) state.emit(shop.domain, "collections/create", collectionPayload(collection));
  return collection;
}

export function updateCollection(
  state: EmulatorState,
  shop: ShopRecord,
  c: CollectionRecord,
  input: CollectionWrite,
  opts: { silent?: boolean } = {},
): CollectionRecord {
  if (input.title !== undefined) {
    if (!input.title.trim()) throw new OnlineStoreInputError("title can't be blank");
    c.title = input.title.trim();
  }
  if (input.handle) c.handle = uniqueHandle(shop.collections.values(), input.handle, c.id);
  if (input.descriptionHtml !== undefined) c.descriptionHtml = storedHtml(input.descriptionHtml);
  if (input.seo !== undefined) c.seo = seoOf(input.seo, c.seo);
  c.updatedAt = isoNow();
  if (!opts.silent) state.emit(shop.domain, "collections/update", collectionPayload(c));
  return c;
}

export function deleteCollection(
  state: EmulatorState,
  shop: ShopRecord,
  c: CollectionRecord,
  opts: { silent?: boolean } = {},
) {
  shop.collections.delete(c.id);
  for (const p of shop.products.values()) p.collections = p.collections.filter((x) => x.id !== c.id);
  shop.translations.delete(gid("Collection", c.id));
  if (!opts.silent) state.emit(shop.domain, "collections/delete", { id: c.id });
}

export function createPage(state: EmulatorState, shop: ShopRecord, input: PageWrite): PageRecord {
  if (!input.title?.trim()) throw new OnlineStoreInputError("title can't be blank");
  const now = isoNow();
  const page: PageRecord = {
    id: state.nextId(),
    title: input.title.trim(),
    handle: uniqueHandle(shop.pages.values(), input.handle || slugify(input.title)),
    bodyHtml: storedHtml(input.body ?? ""),
    seo: seoOf(input.seo),
    createdAt: now,
    updatedAt: now,
  };
  shop.pages.set(page.id, page);
  return page;
}

export function updatePage(shop: ShopRecord, page: PageRecord, input: PageWrite): PageRecord {
  if (input.title !== undefined) {
    if (!input.title.trim()) throw new OnlineStoreInputError("title can't be blank");
    page.title = input.title.trim();
  }
  if (input.handle) page.handle = uniqueHandle(shop.pages.values(), input.handle, page.id);
  if (input.body !== undefined) page.bodyHtml = storedHtml(input.body);
  if (input.seo !== undefined) page.seo = seoOf(input.seo, page.seo);
  page.updatedAt = isoNow();
  return page;
}

export function deletePage(shop: ShopRecord, page: PageRecord): void {
  shop.pages.delete(page.id);
  shop.translations.delete(gid("Page", page.id));
}

const POLICY_TITLES: Record<ShopPolicyType, string> = {
  CONTACT_INFORMATION: "Contact information",
  LEGAL_NOTICE: "Legal notice",
  PRIVACY_POLICY: "Privacy policy",
  REFUND_POLICY: "Refund policy",
  SHIPPING_POLICY: "Shipping policy",
  SUBSCRIPTION_POLICY: "Cancellation policy",
  TERMS_OF_SALE: "Terms of sale",
  TERMS_OF_SERVICE: "Terms of service",
};

/** A shop has at most one policy per type: writing a type's body creates or replaces it. */
export function upsertPolicy(
  state: EmulatorState,
  shop: ShopRecord,
  type: ShopPolicyType,
  input: PolicyWrite,
): PolicyRecord {
  if (!SHOP_POLICY_TYPES.includes(type))
    throw new OnlineStoreInputError(`type must be one of ${SHOP_POLICY_TYPES.join(", ")}`);
  if (!input.body?.trim()) throw new OnlineStoreInputError("body can't be blank");
  const now = isoNow();
  const existing = [...shop.policies.values()].find((p) => p.type === type);
  if (existing) {
    existing.body = storedHtml(input.body);
    if (input.title) existing.title = input.title;
    existing.updatedAt = now;
    return existing;
  }
  const policy: PolicyRecord = {
    id: state.nextId(),
    type,
    title: input.title ?? POLICY_TITLES[type],
    body: storedHtml(input.body),
    createdAt: now,
    updatedAt: now,
  };
  shop.policies.set(policy.id, policy);
  return policy;
}

/** Blanking a policy removes it (Shopify lists only policies with a body). */
export function deletePolicy(shop: ShopRecord, type: ShopPolicyType): boolean {
  const existing = [...shop.policies.values()].find((p) => p.type === type);
  if (!existing) return false;
  shop.policies.delete(existing.id);
  shop.translations.delete(gid("ShopPolicy", existing.id));
  return true;
}

/**
 * Adds the locale (locales/create) or changes whether it is published (locales/update). The
 * payload is the shop locale's code and published state, as the webhook reference shows it
 * (https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-of-topics-locales/update).
 * The primary locale is always published. Translations stay when a locale is unpublished: they are
 * still listed ("includes unpublished locales"), just not served.
 */
export function setShopLocale(
  state: EmulatorState,
  shop: ShopRecord,
  locale: string,
  published: boolean,
  opts: { silent?: boolean; name?: string } = {},
): { locale: string; published: boolean; created: boolean } {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$/.test(locale)) throw new OnlineStoreInputError(`invalid locale ${locale}`);
  let record = shop.locales.find((l) => l.locale === locale);
  const created = !record;
  if (!record) {
    record = { locale, name: opts.name ?? locale, primary: false, published };
    shop.locales.push(record);
  } else if (record.primary) {
    if (!published) throw new OnlineStoreInputError("the primary locale is always published");
  } else if (record.published === published) {
    return { locale, published, created: false };
  }
  record.published = published;
  if (!opts.silent) state.emit(shop.domain, created ? "locales/create" : "locales/update", { locale, published });
  return { locale, published, created };
}
