import { enqueue } from "~/jobs/enqueue.server";
import type { ContentPagesStore } from "~/services/ports/content-pages";
import { indexCatalog, type CatalogIndexStore } from "~/services/support/index-catalog.server";
import { toPlainText } from "~/services/support/plain-text";
import type { Db } from "~/services/types";

/** A passage is a policy or page cut to what a prompt can hold. */
const PASSAGE_MAX = 4_000;

/**
 * Queues the shop's content index (on install, or when the merchant asks): one job per minute at
 * most, so asking twice in a row queues nothing more.
 */
export async function requestStoreContentIndex({
  shop,
  now = new Date(),
}: {
  shop: string;
  now?: Date;
}): Promise<{ jobId: string }> {
  const jobId = `support-index-content-${shop}-${Math.floor(now.getTime() / 60_000)}`;
  await enqueue("support.index-content", { shop }, { jobId });
  return { jobId };
}

/**
 * The `support.index-content` job. (Re)builds the shop's policy and page passages from the store (issue 10 §3.3): each as plain
 * text (the merchant's HTML is untrusted), upserted by source, and passages whose source is gone
 * removed. Then the catalog's passages (index-catalog.server.ts), which product webhooks keep
 * fresh afterwards. Answers how many sources the shop now has passages for, of each kind.
 */
export async function indexStoreContent({
  db,
  shop,
  store,
}: {
  db: Db;
  shop: string;
  store: ContentPagesStore & CatalogIndexStore;
}): Promise<{ policies: number; pages: number; products: number }> {
  const policies = await store.policies();
  const pages = [];
  let cursor: string | null = null;
  do {
    const batch: Awaited<ReturnType<ContentPagesStore["pages"]>> = await store.pages(cursor);
    pages.push(...batch.pages);
    cursor = batch.next;
  } while (cursor);

  const passages = [
    ...policies.map((policy) => ({ kind: "policy", sourceId: policy.id, title: policy.title, html: policy.bodyHtml })),
    ...pages.map((page) => ({ kind: "page", sourceId: page.id, title: page.title, html: page.bodyHtml })),
  ]
    .map((p) => ({ ...p, title: toPlainText(p.title, 200), body: toPlainText(p.html, PASSAGE_MAX) }))
    .filter((p) => p.body);

  await db.$transaction([
    db.supportPassage.deleteMany({
      where: {
        shopDomain: shop,
        kind: { in: ["policy", "page"] },
        sourceId: { notIn: passages.map((p) => p.sourceId) },
      },
    }),
    ...passages.map((p) =>
      db.supportPassage.upsert({
        where: {
          shopDomain_kind_sourceId_locale: { shopDomain: shop, kind: p.kind, sourceId: p.sourceId, locale: "" },
        },
        create: { shopDomain: shop, kind: p.kind, sourceId: p.sourceId, title: p.title, body: p.body },
        update: { title: p.title, body: p.body },
      }),
    ),
  ]);
  const { products } = await indexCatalog({ db, shop, store });
  return {
    policies: passages.filter((p) => p.kind === "policy").length,
    pages: passages.filter((p) => p.kind === "page").length,
    products,
  };
}
