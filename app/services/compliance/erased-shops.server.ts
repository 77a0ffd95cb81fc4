import { logger } from "~/lib/logger.server";
import type { Db } from "~/services/types";

/**
 * The tombstone of shops erased by shop/redact (docs/decisions/012-shop-erasure.md). Jobs still
 * queued when the shop was erased, or retried after it, must not write the shop's data again:
 * the worker's harness asks `isShopErased` before every processor, and the job audit skips them.
 * Only a real reinstall (OAuth or token exchange, see record-installation.server.ts) lifts it.
 */
export async function isShopErased({ db, shop }: { db: Db; shop: string | null | undefined }): Promise<boolean> {
  if (!shop) return false;
  return (await db.erasedShop.count({ where: { shopDomain: shop } })) > 0;
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
