import { loadCrossCapability } from "~/services/insights/load-cross-capability.server";
import { listDigests } from "~/services/insights/list-digests.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import type { DayRange, Granularity } from "~/services/insights/metrics";
import { BACKFILL_DAYS, startOrderBackfill } from "~/services/orders/backfill-orders.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  range: DayRange;
  comparison: "previous-period" | "none";
  granularity: Granularity;
  /** Queues the order backfill (startOrderBackfill by default; a test may observe it). */
  startBackfill?: (shop: string) => Promise<void>;
  /** Creates the shop's weekly digest scheduler if missing (ensureDigestSchedule in the route). */
  ensureSchedule?: (shop: string) => Promise<unknown>;
}

/**
 * The insights page: the sales report for the range (loadSalesReport, the one metrics layer), the
 * product titles the top lists name, and the backfill's state. The first visit of a shop with no
 * backfill recorded queues it (idempotent per shop), and the page says it is running.
 *
 * Titles come from the app's own product records (ProductContent, kept by the product webhooks and
 * catalog reads); a product the app has never seen (deleted, or sold before install) is shown as
 * "Product no longer in the catalog" rather than an id.
 */
export async function loadInsightsPage({
  db,
  shop,
  range,
  comparison,
  granularity,
  startBackfill = (s) => startOrderBackfill({ shop: s }),
  ensureSchedule,
}: Options) {
  const [report, crossCapability, digests] = await Promise.all([
    loadSalesReport({ db, shop, range, comparison, granularity }),
    loadCrossCapability({ db, shop, range }),
    listDigests({ db, shop }),
  ]);
  // The weekly digest's scheduler: made on install, and here should that have failed (a shop
  // installed before the digest existed has none). A queue outage must not hide the report.
  const scheduled = ensureSchedule
    ? await ensureSchedule(shop).then(
        () => true,
        () => false,
      )
    : null;
  let backfillStarted = false;
  if (!report.backfill) {
    await startBackfill(shop);
    backfillStarted = true;
  }
  const productIds = [
    ...new Set([...report.topProductsByRevenue, ...report.topProductsByUnits].map((p) => p.productId)),
  ];
  const titled = productIds.length
    ? await db.productContent.findMany({
        where: { shopDomain: shop, productId: { in: productIds } },
        select: { productId: true, title: true },
      })
    : [];
  const titles = Object.fromEntries(titled.map((p) => [p.productId, p.title]));
  const anyOrders = await db.salesDay.findFirst({ where: { shopDomain: shop }, select: { day: true } });
  return {
    report,
    titles,
    /** Whether the shop has any recorded sales at all (else the page shows its empty state). */
    hasSales: anyOrders !== null,
    backfill: report.backfill
      ? { ...report.backfill, running: report.backfill.status !== "completed" && report.backfill.status !== "failed" }
      : { windowStart: null, windowEnd: null, status: "queued", ordersRecorded: 0, running: backfillStarted },
    backfillDays: BACKFILL_DAYS,
    crossCapability,
    digests,
    digestScheduled: scheduled,
  };
}
