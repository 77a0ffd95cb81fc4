import { enqueue } from "~/jobs/enqueue.server";
import { failureKind, isAppError } from "~/lib/errors";
import { refreshShopClock } from "~/services/insights/shop-clock.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrderFacts, OrdersStore } from "~/services/ports/orders";
import type { ShopClockStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

/** How far back the backfill reads: what a store gives without `read_all_orders` (60 days). */
export const BACKFILL_DAYS = 60;
const POLL_INTERVAL_MS = 2_000;
// Each order is one short transaction; a batch only bounds how often progress is written.
const BATCH = 100;

interface Options {
  db: Db;
  shop: string;
  store: Pick<OrdersStore, "startOrderExport" | "orderExport" | "orderRefunds"> & ShopClockStore;
  now?: Date;
  finalAttempt?: boolean;
  rescheduleAllowed?: boolean;
}

/**
 * Queues the shop's order backfill once (on install, a first visit of the insights, or by hand):
 * one job id per shop, so asking again while one runs or after it finished queues nothing.
 */
export async function startOrderBackfill({ shop }: { shop: string }) {
  await enqueue("orders.backfill", { shop }, { jobId: `orders-backfill-${shop}` });
}

/**
 * The `orders.backfill` job: records the window it covers (the last 60 days, so the report can
 * say where its data starts), starts the store's order export, polls it by queueing itself again
 * (like bulk-run.read, decision 008), and records the exported orders in batches. Orders already
 * recorded from webhooks keep their newer versions (ingestOrder's updatedAt guard); exported orders
 * carry no customer or email (the export reads neither), so they keep any the webhooks gave.
 */
export async function backfillOrders({
  db,
  shop,
  store,
  now = new Date(),
  finalAttempt = true,
  rescheduleAllowed = true,
}: Options) {
  try {
    return await run(db, shop, store, now);
  } catch (error) {
    if (failureKind(error, finalAttempt, rescheduleAllowed) === "final") {
      await db.orderBackfill.updateMany({
        where: { shopDomain: shop, status: "running" },
        data: {
          status: "failed",
          error: isAppError(error) ? error.userMessage : "The orders could not be read from the store.",
          finishedAt: new Date(),
        },
      });
    }
    throw error;
  }
}

async function run(db: Db, shop: string, store: Options["store"], now: Date) {
  let backfill = await db.orderBackfill.findUnique({ where: { shopDomain: shop } });
  if (!backfill) {
    backfill = await db.orderBackfill.create({
      data: { shopDomain: shop, windowStart: new Date(now.getTime() - BACKFILL_DAYS * 86_400_000), windowEnd: now },
    });
  }
  if (backfill.status !== "running") return { outcome: "already-done" as const, status: backfill.status };
  if (!backfill.exportId) {
    await refreshShopClock({ db, shop, store });
    const scopes = (await db.shop.findUnique({ where: { domain: shop }, select: { scopes: true } }))?.scopes ?? "";
    const withCustomer = scopes
      .split(",")
      .some((scope) => ["read_customers", "write_customers"].includes(scope.trim()));
    const exportId = await store.startOrderExport({ createdSince: backfill.windowStart, withCustomer });
    await db.orderBackfill.update({ where: { shopDomain: shop }, data: { exportId } });
    return pollAgain(shop, 0);
  }
  const exported = await store.orderExport(backfill.exportId);
  if (exported.status === "running") return pollAgain(shop, exported.objectCount);
  if (exported.status !== "completed") {
    await db.orderBackfill.update({
      where: { shopDomain: shop },
      data: { status: "failed", error: exported.error, finishedAt: new Date() },
    });
    return { outcome: "failed" as const, error: exported.error };
  }
  const timeZone =
    (await db.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } }))?.ianaTimezone ??
    (await refreshShopClock({ db, shop, store }));
  let recorded = 0;
  for (let start = 0; start < exported.orders.length; start += BATCH) {
    for (const exportedFacts of exported.orders.slice(start, start + BATCH)) {
      const facts = await withRefundLines(store, exportedFacts);
      if (!facts) continue;
      const outcome = await ingestOrder({ db, shop, facts, customerId: null, emailHash: undefined, timeZone });
      if (outcome === "recorded") recorded++;
    }
    await db.orderBackfill.update({ where: { shopDomain: shop }, data: { ordersRecorded: recorded } });
  }
  await db.orderBackfill.update({
    where: { shopDomain: shop },
    data: { status: "completed", ordersRecorded: recorded, finishedAt: new Date() },
  });
  return { outcome: "completed" as const, recorded, exported: exported.orders.length };
}

/**
 * The exported order with its refunds' lines, read from the store when the export could not list
 * them; null when the store no longer has the order (deleted since the export).
 */
async function withRefundLines(store: Pick<OrdersStore, "orderRefunds">, facts: OrderFacts) {
  if (!facts.refunds.some((refund) => refund.lines === null)) return facts;
  const refunds = await store.orderRefunds(facts.id);
  return refunds ? { ...facts, refunds } : null;
}

async function pollAgain(shop: string, objectCount: number) {
  await enqueue(
    "orders.backfill",
    { shop },
    { jobId: `orders-backfill-${shop}-${Date.now()}`, delayMs: POLL_INTERVAL_MS },
  );
  return { outcome: "exporting" as const, objectCount };
}
