import { logger } from "~/lib/logger.server";
import type { Db } from "~/services/types";

/**
 * The tombstone of shops erased by shop/redact (docs/decisions/012-shop-erasure.md). Jobs still
 * queued when the shop was erased, or retried after it, must not write the shop's data again:
 * the worker's harness asks `isShopErased` before every processor, and the job audit skips them.
 * Only a real reinstall (OAuth or token exchange, see record-installation.server.ts) lifts it.
 */
export async function isShopErased({
  db,
  shop,
  now = Date.now(),
}: {
  db: Db;
  shop: string | null | undefined;
  now?: number;
}): Promise<boolean> {
  if (!shop) return false;
  const known = notErasedUntil.get(shop);
  if (known !== undefined && known > now) return false;
  const erased =
    (await db.erasedShop.findUnique({ where: { shopDomain: shop }, select: { shopDomain: true } })) !== null;
  if (erased) notErasedUntil.delete(shop);
  else rememberNotErased(shop, now);
  return erased;
}

/**
 * How long this process trusts that a shop is not erased before it reads the tombstone again.
 * Every job asks (two per new product: its job and its write's echo), and erasures are rare, so
 * a read per job cost ~1 ms of worker CPU for an answer that almost never changes
 * (docs/decisions/020). Only "not erased" is remembered: an erased shop is read each time, so a
 * reinstall lifts the tombstone at once. shop/redact waits this long after writing the tombstone
 * before it removes the shop's jobs and rows (`waitUntilErasureSeen`), so a job that starts after
 * the removal sees the tombstone in every process.
 */
export const NOT_ERASED_TTL_MS = 2_000;
/** Enough for every shop a busy worker serves in one TTL; the oldest entry goes first. */
const NOT_ERASED_MAX_SHOPS = 10_000;
const notErasedUntil = new Map<string, number>();

function rememberNotErased(shop: string, now: number) {
  notErasedUntil.delete(shop);
  if (notErasedUntil.size >= NOT_ERASED_MAX_SHOPS) {
    const oldest = notErasedUntil.keys().next();
    if (!oldest.done) notErasedUntil.delete(oldest.value);
  }
  notErasedUntil.set(shop, now + NOT_ERASED_TTL_MS);
}

/** The tombstone was just written in this process: its own later jobs see it at once. */
export function forgetNotErased(shop: string) {
  notErasedUntil.delete(shop);
}

/**
 * Waits until every process's memory of the shop as "not erased" has expired, so every job that
 * starts from then on skips the shop. shop/redact calls it between the tombstone and the removal.
 */
export function waitUntilErasureSeen(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, NOT_ERASED_TTL_MS));
}

/** Of these shops, the ones erased (one query, for a batch of audit rows). */
export async function erasedShopsAmong({ db, shops }: { db: Db; shops: string[] }): Promise<Set<string>> {
  if (shops.length === 0) return new Set();
  const rows = await db.erasedShop.findMany({ where: { shopDomain: { in: shops } }, select: { shopDomain: true } });
  return new Set(rows.map((row) => row.shopDomain));
}

/** What the worker returns instead of running a job for an erased shop. */
export const SKIPPED_FOR_ERASED_SHOP = { skipped: "shop erased" } as const;

export function isSkippedForErasedShop(value: unknown): boolean {
  return (value as { skipped?: unknown } | null | undefined)?.skipped === SKIPPED_FOR_ERASED_SHOP.skipped;
}

/** The erasure itself: it writes the tombstone first, so its own retries must still run (and be audited). */
const ERASURE_JOB = "compliance.shop-redact";

/** The harness's single check: true when the job must not run because its shop was erased. */
export async function skipJobForErasedShop({ db, shop, job }: { db: Db; shop: string | undefined; job: string }) {
  if (job === ERASURE_JOB || !(await isShopErased({ db, shop }))) return false;
  logger.info({ job }, "job skipped: its shop was erased by shop/redact");
  return true;
}

/** True when a job's failure must leave no audit row: its shop is erased (a failing erasure stays visible). */
export async function skipAuditForErasedShop({ db, shop, job }: { db: Db; shop: string | null; job: string }) {
  return job !== ERASURE_JOB && (await isShopErased({ db, shop }));
}
