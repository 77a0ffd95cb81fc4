import type { Prisma } from "@prisma/client";

import { cents, previousPeriod, type DayRange, type Granularity } from "~/services/insights/metrics";
import { buildSalesReport, type ProductTotals, type SalesReport } from "~/services/insights/sales-report";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  range: DayRange;
  /** "previous-period": the same number of days just before the range. */
  comparison: "previous-period" | "none";
  granularity: Granularity;
  /** How many products each top list holds (10 by default). */
  topProducts?: number;
}

export interface LoadedSalesReport extends SalesReport {
  /** The shop's currency: every amount is in its cents. */
  currency: string | null;
  /** What the historical backfill covered, so the report can say where its data starts. */
  backfill: { windowStart: string; windowEnd: string; status: string; ordersRecorded: number } | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 731;

const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const centsOf = (value: Prisma.Decimal | string) => cents(value.toString());

/**
 * The sales report for a range of UTC days, read from the rollups only (never the order table):
 * the shop's daily rows for the range and its comparison, the range's country/currency rows, and
 * the range's products summed and ranked by the database. Every read is a range scan of a primary
 * key that starts with (shopDomain, day), so a 90-day report costs the same for 1,000 orders as for
 * 100,000 (bench/insights-report.ts).
 */
export async function loadSalesReport({
  db,
  shop,
  range,
  comparison,
  granularity,
  topProducts = 10,
}: Options): Promise<LoadedSalesReport> {
  if (!DAY.test(range.start) || !DAY.test(range.end) || range.start > range.end) {
    throw new RangeError(`invalid report range ${range.start}..${range.end}`);
  }
  if ((asDate(range.end).getTime() - asDate(range.start).getTime()) / 86_400_000 >= MAX_RANGE_DAYS) {
    throw new RangeError("a report covers at most two years");
  }
  const withComparison = comparison === "previous-period";
  const from = withComparison ? previousPeriod(range).start : range.start;

  // One pass over the range's product rows, ranked twice (net revenue, net units).
  const topProductRows = db.$queryRaw<
    Array<{ productId: string; revenue: string; units: number; refunds: string; refundedUnits: number }>
  >`
    WITH totals AS (
      SELECT "productId", SUM("revenue") AS "revenue", SUM("units")::int AS "units",
             SUM("refunds") AS "refunds", SUM("refundedUnits")::int AS "refundedUnits"
      FROM "SalesDayProduct"
      WHERE "shopDomain" = ${shop} AND "day" BETWEEN ${range.start}::date AND ${range.end}::date
      GROUP BY "productId"
    )
    (SELECT "productId", "revenue"::text, "units", "refunds"::text, "refundedUnits" FROM totals
     ORDER BY "revenue" - "refunds" DESC, "productId" LIMIT ${topProducts})
    UNION
    (SELECT "productId", "revenue"::text, "units", "refunds"::text, "refundedUnits" FROM totals
     ORDER BY "units" - "refundedUnits" DESC, "productId" LIMIT ${topProducts})`;

  const [days, segments, topRows, shopRow, backfill] = await Promise.all([
    db.salesDay.findMany({ where: { shopDomain: shop, day: { gte: asDate(from), lte: asDate(range.end) } } }),
    // Summed per country and currency by the database: the report never needs them by day.
    db.$queryRaw<
      Array<{
        country: string;
        currency: string;
        grossSales: string;
        discounts: string;
        refunds: string;
        orders: number;
      }>
    >`
      SELECT "country", "currency", SUM("grossSales")::text AS "grossSales", SUM("discounts")::text AS "discounts",
             SUM("refunds")::text AS "refunds", SUM("orders")::int AS "orders"
      FROM "SalesDaySegment"
      WHERE "shopDomain" = ${shop} AND "day" BETWEEN ${range.start}::date AND ${range.end}::date
      GROUP BY "country", "currency"`,
    topProductRows,
    db.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
    db.orderBackfill.findUnique({ where: { shopDomain: shop } }),
  ]);

  const products = new Map<string, ProductTotals>();
  for (const p of topRows) {
    products.set(p.productId, {
      productId: p.productId,
      revenue: Number(p.revenue),
      units: p.units,
      refunds: Number(p.refunds),
      refundedUnits: p.refundedUnits,
    });
  }
  const report = buildSalesReport({
    range,
    comparison: withComparison,
    granularity,
    topProducts,
    days: days.map((d) => ({
      day: dayOf(d.day),
      grossSales: centsOf(d.grossSales),
      discounts: centsOf(d.discounts),
      refunds: centsOf(d.refunds),
      orders: d.orders,
      units: d.units,
      newCustomers: d.newCustomers,
      returningCustomerOrders: d.returningCustomerOrders,
    })),
    segments: segments.map((s) => ({
      day: range.start,
      country: s.country,
      currency: s.currency,
      grossSales: centsOf(s.grossSales),
      discounts: centsOf(s.discounts),
      refunds: centsOf(s.refunds),
      orders: s.orders,
    })),
    products: [...products.values()],
  });
  // The shop's currency as recorded on install; else the one its orders were recorded in (a shop
  // whose facts were not read yet would otherwise show its amounts without a currency).
  const currency =
    shopRow?.currencyCode ??
    (
      await db.order.findFirst({
        where: { shopDomain: shop },
        orderBy: { processedAt: "desc" },
        select: { currency: true },
      })
    )?.currency ??
    null;
  return {
    ...report,
    currency,
    backfill: backfill && {
      windowStart: backfill.windowStart.toISOString(),
      windowEnd: backfill.windowEnd.toISOString(),
      status: backfill.status,
      ordersRecorded: backfill.ordersRecorded,
    },
  };
}
