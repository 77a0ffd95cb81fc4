import { createHash } from "node:crypto";

import { enqueue } from "~/jobs/enqueue.server";
import type { CatalogStore, ProductFacts } from "~/services/ports/catalog";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationsStore } from "~/services/ports/translations";
import { toPlainText } from "~/services/support/plain-text";
import type { Db } from "~/services/types";

/** A product passage holds what a shopper asks about: price, options, the description. */
const PASSAGE_MAX = 3_000;
/** Products indexed on install; a bigger catalog is indexed as its products change. */
const INITIAL_PRODUCTS_MAX = 5_000;
/** Product reads in flight at once: the one Admin client paces them against the shop's bucket. */
const READ_CONCURRENCY = 4;

export type CatalogIndexStore = CatalogStore & TranslationsStore & ShopFactsStore;

/** The app's own published copy for the product, when Storewise wrote it (features, use cases). */
async function storewiseCopy(db: Db, shop: string, productId: string): Promise<string[]> {
  const content = await db.productContent.findUnique({
    where: { shopDomain_productId: { shopDomain: shop, productId } },
    select: { liveVersionId: true },
  });
  if (!content?.liveVersionId) return [];
  const live = await db.contentVersion.findUnique({
    where: { id: content.liveVersionId },
    select: { features: true, useCases: true, metaDescription: true },
  });
  if (!live) return [];
  return [
    live.features.length ? `Features: ${live.features.join("; ")}.` : "",
    live.useCases.length ? `Good for: ${live.useCases.join("; ")}.` : "",
    live.metaDescription,
  ].filter(Boolean);
}

/** The product's facts as one plain-text passage (the merchant's HTML is untrusted). */
export function productPassageBody(
  facts: Pick<ProductFacts, "vendor" | "productType" | "options" | "variants">,
  description: string,
  copy: string[],
  currency: string | null = null,
): string {
  const money = (amount: string) => (currency ? `${amount} ${currency}` : amount);
  const prices = [...new Set(facts.variants.map((variant) => variant.price).filter(Boolean))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const priceText =
    prices.length === 0
      ? ""
      : prices.length === 1
        ? `Price: ${money(prices[0]!)}.`
        : `Price: ${money(prices[0]!)} to ${money(prices.at(-1)!)}.`;
  const options = facts.options
    .filter((option) => option.values.length > 1 || option.name !== "Title")
    .map((option) => `${option.name}: ${option.values.join(", ")}.`);
  const lines = [
    priceText,
    ...options,
    facts.vendor ? `Brand: ${facts.vendor}.` : "",
    facts.productType ? `Type: ${facts.productType}.` : "",
    toPlainText(description, PASSAGE_MAX),
    ...copy,
  ].filter(Boolean);
  return lines.join(" ").slice(0, PASSAGE_MAX);
}

/**
 * (Re)indexes one product's passages for the chat (issue 10 §3.3): the source text (title, price,
 * options, description, the app's published copy facts) and one passage per language the store
 * holds a translation of its title or description in. A product that is gone loses its passages.
 * Answers how many passages the product now has.
 */
export async function indexProductPassages(options: {
  db: Db;
  shop: string;
  store: CatalogIndexStore;
  productId: string;
  /** The shop's published locales other than the primary; read from the store when omitted. */
  locales?: string[];
}): Promise<{ passages: number }> {
  const { db, shop, store, productId } = options;
  const facts = await store.product(productId);
  if (!facts) {
    await db.supportPassage.deleteMany({ where: { shopDomain: shop, kind: "product", sourceId: productId } });
    return { passages: 0 };
  }
  const locales = options.locales ?? (await otherLocales(store));
  const [copy, shopRow] = await Promise.all([
    storewiseCopy(db, shop, productId),
    db.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
  ]);
  const currency = shopRow?.currencyCode ?? null;
  const passages = [
    {
      locale: "",
      title: toPlainText(facts.title, 200),
      body: productPassageBody(facts, facts.descriptionHtml, copy, currency),
    },
  ];
  if (locales.length) {
    const resource = await store.translatableResource(productId, locales);
    for (const locale of locales) {
      const translated = (key: string) =>
        resource?.translations.find((entry) => entry.locale === locale && entry.key === key && !entry.outdated)?.value;
      const title = translated("title");
      const body = translated("body_html");
      if (!title && !body) continue;
      passages.push({
        locale,
        title: toPlainText(title ?? facts.title, 200),
        body: productPassageBody(facts, body ?? facts.descriptionHtml, [], currency),
      });
    }
  }
  await db.$transaction([
    db.supportPassage.deleteMany({
      where: {
        shopDomain: shop,
        kind: "product",
        sourceId: productId,
        locale: { notIn: passages.map((p) => p.locale) },
      },
    }),
    ...passages.map((p) =>
      db.supportPassage.upsert({
        where: {
          shopDomain_kind_sourceId_locale: { shopDomain: shop, kind: "product", sourceId: productId, locale: p.locale },
        },
        create: {
          shopDomain: shop,
          kind: "product",
          sourceId: productId,
          locale: p.locale,
          title: p.title,
          body: p.body,
        },
        update: { title: p.title, body: p.body },
      }),
    ),
  ]);
  return { passages: passages.length };
}

async function otherLocales(store: ShopFactsStore): Promise<string[]> {
  const { primary, published } = await store.locales();
  return published.filter((locale) => locale !== primary);
}

/**
 * Indexes the whole catalog (on install, from support.index-content): every product, a few reads
 * at a time through the shop's one Admin client, which paces them against the shop's cost bucket.
 * Products no longer in the store leave the index.
 */
export async function indexCatalog(options: {
  db: Db;
  shop: string;
  store: CatalogIndexStore;
}): Promise<{ products: number }> {
  const { db, shop, store } = options;
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page: { entries: Array<{ id: string }>; next: string | null } = await store.listProducts(
      { kind: "all" },
      after,
    );
    ids.push(...page.entries.map((entry) => entry.id));
    after = page.next;
  } while (after && ids.length < INITIAL_PRODUCTS_MAX);
  const locales = await otherLocales(store);
  let indexed = 0;
  const queue = ids.slice(0, INITIAL_PRODUCTS_MAX);
  await Promise.all(
    Array.from({ length: READ_CONCURRENCY }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        if ((await indexProductPassages({ db, shop, store, productId: id, locales })).passages) indexed++;
      }
    }),
  );
  if (!after) {
    // The whole catalog was read, so a passage whose product is not in it is gone.
    await db.supportPassage.deleteMany({ where: { shopDomain: shop, kind: "product", sourceId: { notIn: ids } } });
  }
  return { products: indexed };
}

/**
 * Queues the product's reindex after a products/create or products/update job (products/delete
 * queues the same job from its webhook). The job reads the product's current state, so running
 * it twice is harmless and a late one never applies stale facts.
 */
export async function requestProductIndex({
  shop,
  productId,
  now = new Date(),
}: {
  shop: string;
  productId: string;
  now?: Date;
}): Promise<{ jobId: string }> {
  // BullMQ refuses ":" in ids, and a product GID has two.
  const key = createHash("sha256").update(`${shop} ${productId}`).digest("hex").slice(0, 24);
  const jobId = `support-index-product-${key}-${now.getTime()}`;
  await enqueue("support.index-product", { shop, productId }, { jobId });
  return { jobId };
}
