import { createHash } from "node:crypto";

import type { Prisma } from "@prisma/client";

import { enqueue } from "~/jobs/enqueue.server";
import { logger } from "~/lib/logger.server";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { InventoryResource, TranslationInventoryStore } from "~/services/ports/translation-inventory";
import type { TranslatableKind } from "~/services/ports/translations";
import type { ScannedKey } from "~/services/translations/admin/translation-status.server";
import { loadTranslationSettings, targetLocales } from "~/services/translations/load-translation-settings.server";
import { translatesKey, type KeySettings } from "~/services/translations/translatable-keys";
import type { Db } from "~/services/types";

/** The top-level kinds a scan reads, in order; nested kinds are translated with their product. */
export const SCANNED_KINDS: TranslatableKind[] = ["product", "collection", "page", "policy"];
/** A scan older than this is redone when the translations page is opened. */
export const SCAN_STALE_MS = 10 * 60_000;
/** A scan that has not finished after this long is taken as lost (its job failed) and restarted. */
const SCAN_LOST_MS = 15 * 60_000;

const text = (value: string) =>
  value
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z#0-9]+;/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
const wordsIn = (value: string) => (text(value) ? text(value).split(" ").length : 0);

// A job id names the page without the store's cursor itself (BullMQ refuses some characters in ids).
const pageId = (after: string | null) =>
  after === null ? "start" : createHash("sha256").update(after).digest("hex").slice(0, 16);

/** The name a merchant knows a resource by: its title, else the start of its text (a policy). */
export function nameOf(resource: Pick<InventoryResource, "source">): string {
  const title = resource.source.find((field) => field.key === "title")?.value.trim();
  if (title) return title;
  const body = text(resource.source.find((field) => field.key === "body" || field.key === "body_html")?.value ?? "");
  return body ? (body.length > 60 ? `${body.slice(0, 57)}…` : body) : "Untitled";
}

/** The row the admin keeps of one resource as the store has it now. */
export function inventoryRow(kind: TranslatableKind, resource: InventoryResource, settings: KeySettings) {
  const keys: ScannedKey[] = resource.source
    .filter((field) => field.value.trim() && translatesKey(kind, field.key, settings))
    .map((field) => ({ key: field.key, digest: field.digest, words: wordsIn(field.value), chars: field.value.length }));
  return {
    kind,
    title: nameOf(resource),
    keys: keys as unknown as Prisma.InputJsonValue,
    live: resource.live as unknown as Prisma.InputJsonValue,
  };
}

/**
 * Starts a scan of the shop's translatable content unless a recent one exists or one is under
 * way: one `translation.scan` job per page of 50 resources, each queueing the next.
 */
export async function startTranslationScan({ db, shop, force = false }: { db: Db; shop: string; force?: boolean }) {
  const now = new Date();
  const last = await db.translationScan.findUnique({ where: { shopDomain: shop } });
  if (last) {
    const running = !last.finishedAt && now.getTime() - last.startedAt.getTime() < SCAN_LOST_MS;
    const fresh = last.finishedAt && now.getTime() - last.finishedAt.getTime() < SCAN_STALE_MS;
    if (running || (fresh && !force)) return { started: false as const };
  }
  // Two page loads at once start one scan: only the one whose write wins the compare queues it.
  const claimed = last
    ? await db.translationScan.updateMany({
        where: { shopDomain: shop, startedAt: last.startedAt },
        data: { startedAt: now, finishedAt: null, resources: 0 },
      })
    : await db.translationScan
        .create({ data: { shopDomain: shop, startedAt: now } })
        .then(() => ({ count: 1 }))
        .catch(() => ({ count: 0 }));
  if (claimed.count === 0) return { started: false as const };
  await enqueue(
    "translation.scan",
    { shop, kind: 0, after: null, startedAt: now.toISOString() },
    { jobId: `translation-scan-${shop}-${now.getTime()}-0` },
  );
  return { started: true as const };
}

/**
 * One page of a scan: reads 50 resources of a kind with their digests and live translations
 * (one Admin request per four locales), records them, and queues the next page or kind. The last
 * page removes the rows of resources the store no longer has and marks the scan finished.
 */
export async function scanTranslatableContent({
  db,
  inventory,
  store,
  shop,
  kind,
  after,
  startedAt,
}: {
  db: Db;
  inventory: TranslationInventoryStore;
  store: ShopFactsStore;
  shop: string;
  kind: number;
  after: string | null;
  startedAt: string;
}) {
  const started = new Date(startedAt);
  const scan = await db.translationScan.findUnique({ where: { shopDomain: shop } });
  // A newer scan replaced this one: it does the work.
  if (!scan || scan.startedAt.getTime() !== started.getTime()) return { outcome: "superseded" as const };
  const [shopLocales, settings] = await Promise.all([store.locales(), loadTranslationSettings(db, shop)]);
  const locales = targetLocales(shopLocales, settings);
  const resourceKind = SCANNED_KINDS[kind]!;
  const page = await inventory.translatableResourcesPage(resourceKind, locales, { after });
  const checkedAt = new Date();
  for (const resource of page.resources) {
    const row = inventoryRow(resourceKind, resource, settings);
    await db.translatableItem.upsert({
      where: { shopDomain_resourceId: { shopDomain: shop, resourceId: resource.resourceId } },
      create: { shopDomain: shop, resourceId: resource.resourceId, ...row, checkedAt },
      update: { ...row, checkedAt },
    });
  }
  await db.translationScan.update({
    where: { shopDomain: shop },
    data: { resources: { increment: page.resources.length } },
  });
  const next =
    page.next !== null
      ? { kind, after: page.next }
      : kind + 1 < SCANNED_KINDS.length
        ? { kind: kind + 1, after: null }
        : null;
  if (next) {
    await enqueue(
      "translation.scan",
      { shop, ...next, startedAt },
      { jobId: `translation-scan-${shop}-${started.getTime()}-${next.kind}-${pageId(next.after)}` },
    );
    return { outcome: "page" as const, resources: page.resources.length };
  }
  const removed = await db.translatableItem.deleteMany({ where: { shopDomain: shop, checkedAt: { lt: started } } });
  await db.translationScan.update({ where: { shopDomain: shop }, data: { finishedAt: new Date() } });
  logger.info({ shop, removed: removed.count }, "translation scan finished");
  return { outcome: "finished" as const, resources: page.resources.length };
}
