// The metric definitions against hand-computed fixtures (docs/decisions/018): every expected
// figure below was worked out by hand from the orders, not by running the code.
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  bucketsOf,
  orderContribution,
  previousPeriod,
  type Contribution,
  type MetricOrder,
} from "~/services/insights/metrics";
import { buildSalesReport, type ProductTotals } from "~/services/insights/sales-report";

const at = (iso: string) => new Date(iso);
const order = (o: Partial<MetricOrder>): MetricOrder => ({
  processedAt: at("2026-11-02T10:00:00Z"),
  cancelledAt: null,
  test: false,
  subtotal: "0.00",
  discounts: "0.00",
  countryCode: "CA",
  presentmentCurrency: "CAD",
  firstOrder: null,
  lines: [],
  refunds: [],
  ...o,
});

// A: first order of a customer, 10.00 discount, partly refunded three days later (P2 + its tax).
const A = order({
  subtotal: "90.00",
  discounts: "10.00",
  firstOrder: true,
  lines: [
    { productId: "P1", quantity: 2, total: "60.00" },
    { productId: "P2", quantity: 1, total: "30.00" },
  ],
  refunds: [
    {
      createdAt: at("2026-11-05T09:00:00Z"),
      amount: "33.00",
      lines: [{ productId: "P2", quantity: 1, amount: "30.00" }],
    },
  ],
});
// B: a returning customer paying in USD (amounts are shop money, CAD), fully refunded the same day
// including 6.50 of shipping and tax.
const B = order({
  subtotal: "50.00",
  firstOrder: false,
  countryCode: "US",
  presentmentCurrency: "USD",
  lines: [{ productId: "P1", quantity: 1, total: "50.00" }],
  refunds: [
    {
      createdAt: at("2026-11-02T18:00:00Z"),
      amount: "56.50",
      lines: [{ productId: "P1", quantity: 1, amount: "50.00" }],
    },
  ],
});
// C: a test order. D: a cancelled order with its refund. Both count nowhere.
const C = order({ test: true, subtotal: "999.00", lines: [{ productId: "P1", quantity: 9, total: "999.00" }] });
const D = order({
  processedAt: at("2026-11-03T08:00:00Z"),
  cancelledAt: at("2026-11-03T09:00:00Z"),
  subtotal: "40.00",
  firstOrder: true,
  lines: [{ productId: "P3", quantity: 2, total: "40.00" }],
  refunds: [{ createdAt: at("2026-11-03T09:00:00Z"), amount: "40.00", lines: null }],
});
// E: a guest order (no known customer) without a country, just before midnight UTC.
const E = order({
  processedAt: at("2026-11-03T23:59:59Z"),
  subtotal: "20.00",
  countryCode: null,
  lines: [{ productId: "P3", quantity: 4, total: "20.00" }],
});

function rollup(orders: MetricOrder[]) {
  const all: Contribution = { days: [], products: [], segments: [] };
  for (const o of orders) {
    const c = orderContribution(o);
    all.days.push(...c.days);
    all.products.push(...c.products);
    all.segments.push(...c.segments);
  }
  const products = new Map<string, ProductTotals>();
  for (const row of all.products) {
    const p = products.get(row.productId) ?? {
      productId: row.productId,
      revenue: 0,
      units: 0,
      refunds: 0,
      refundedUnits: 0,
    };
    p.revenue += row.revenue;
    p.units += row.units;
    p.refunds += row.refunds;
    p.refundedUnits += row.refundedUnits;
    products.set(row.productId, p);
  }
  return { ...all, products: [...products.values()] };
}

const value = (report: ReturnType<typeof buildSalesReport>, id: string) =>
  report.metrics.find((m) => m.id === id)?.value;

describe("orderContribution", () => {
  it("GIVEN test or cancelled orders THEN they add nothing", () => {
    expect(orderContribution(C)).toEqual({ days: [], products: [], segments: [] });
    expect(orderContribution(D)).toEqual({ days: [], products: [], segments: [] });
  });

  it("GIVEN a partial refund days later THEN the refund counts on the refund's day, not the order's", () => {
    const c = orderContribution(A);
    expect(c.days).toEqual([
      expect.objectContaining({
        day: "2026-11-02",
        grossSales: 10_000,
        discounts: 1_000,
        refunds: 0,
        orders: 1,
        units: 3,
        newCustomers: 1,
      }),
      expect.objectContaining({
        day: "2026-11-05",
        grossSales: 0,
        refunds: 3_300,
        orders: 0,
        units: 0,
        newCustomers: 0,
      }),
    ]);
    expect(c.products).toContainEqual(
      expect.objectContaining({ day: "2026-11-05", productId: "P2", refunds: 3_000, refundedUnits: 1 }),
    );
  });
});

describe("the sales report from rollups", () => {
  const rows = rollup([A, B, C, D, E]);
  const report = buildSalesReport({
    range: { start: "2026-11-01", end: "2026-11-07" },
    comparison: true,
    granularity: "day",
    ...rows,
  });

  it("GIVEN refunds, a partial refund, a test, a cancelled and a multi-currency order THEN the totals match the hand sums", () => {
    // Gross: A 100.00 + B 50.00 + E 20.00. Refunds: A 33.00 + B 56.50. Net: 170 − 10 − 89.50.
    expect(value(report, "gross_sales")).toBe(17_000);
    expect(value(report, "discounts")).toBe(1_000);
    expect(value(report, "refunds")).toBe(8_950);
    expect(value(report, "net_sales")).toBe(7_050);
    expect(value(report, "orders")).toBe(3);
    // (170.00 − 10.00) / 3 = 53.333… → 53.33
    expect(value(report, "average_order_value")).toBe(5_333);
    expect(value(report, "units")).toBe(8);
    expect(value(report, "new_customers")).toBe(1);
    expect(value(report, "returning_customer_orders")).toBe(1);
    expect(value(report, "repeat_purchase_rate")).toBe(0.5);
  });

  it("GIVEN no orders in the previous period THEN the comparison is zero and the change undefined", () => {
    expect(report.comparisonRange).toEqual({ start: "2026-10-25", end: "2026-10-31" });
    const gross = report.metrics.find((m) => m.id === "gross_sales")!;
    expect(gross.previous).toBe(0);
    expect(gross.change).toBeNull();
    expect(report.metrics.find((m) => m.id === "average_order_value")!.previous).toBeNull();
  });

  it("GIVEN the daily series THEN each day carries its own sales and refunds, and empty days are zero", () => {
    expect(report.series).toHaveLength(7);
    const day = (d: string) => report.series.find((p) => p.start === d)!.values;
    expect(day("2026-11-02")).toMatchObject({ gross_sales: 15_000, refunds: 5_650, net_sales: 8_350, orders: 2 });
    expect(day("2026-11-03")).toMatchObject({ gross_sales: 2_000, orders: 1, units: 4 });
    expect(day("2026-11-05")).toMatchObject({ gross_sales: 0, refunds: 3_300, net_sales: -3_300, orders: 0 });
    expect(day("2026-11-01")).toMatchObject({ gross_sales: 0, orders: 0, average_order_value: null });
  });

  it("GIVEN refunded lines THEN top products rank by net revenue and net units", () => {
    // P1: 60 + 50 − 50 refunded = 60.00, 3 − 1 = 2 units. P2: 30 − 30 = 0, 0 units. P3: 20.00, 4 units (D cancelled).
    expect(report.topProductsByRevenue).toEqual([
      { productId: "P1", netRevenue: 6_000, netUnits: 2 },
      { productId: "P3", netRevenue: 2_000, netUnits: 4 },
      { productId: "P2", netRevenue: 0, netUnits: 0 },
    ]);
    expect(report.topProductsByUnits.map((p) => p.productId)).toEqual(["P3", "P1", "P2"]);
  });

  it("GIVEN orders paid in two currencies THEN sales by currency and country stay in the shop's money", () => {
    expect(report.byCurrency).toEqual([
      { currency: "CAD", grossSales: 12_000, netSales: 7_700, orders: 2 },
      { currency: "USD", grossSales: 5_000, netSales: -650, orders: 1 },
    ]);
    expect(report.byCountry).toEqual([
      { country: "CA", grossSales: 10_000, netSales: 5_700, orders: 1 },
      { country: "", grossSales: 2_000, netSales: 2_000, orders: 1 },
      { country: "US", grossSales: 5_000, netSales: -650, orders: 1 },
    ]);
  });

  it("GIVEN weekly and monthly granularity THEN days fold into ISO weeks (Monday) and months", () => {
    expect(bucketOf("2026-11-05", "week")).toBe("2026-11-02");
    expect(bucketOf("2026-11-01", "week")).toBe("2026-10-26");
    expect(bucketOf("2026-11-30", "month")).toBe("2026-11-01");
    expect(bucketsOf({ start: "2026-10-30", end: "2026-11-03" }, "month")).toEqual(["2026-10-01", "2026-11-01"]);
    const weekly = buildSalesReport({
      range: { start: "2026-11-01", end: "2026-11-07" },
      comparison: false,
      granularity: "week",
      ...rows,
    });
    expect(weekly.series.map((p) => [p.start, p.values.net_sales])).toEqual([
      ["2026-10-26", 0],
      ["2026-11-02", 7_050],
    ]);
    expect(weekly.comparisonSeries).toBeNull();
  });

  it("GIVEN a 90-day range THEN the previous period is the 90 days before it", () => {
    expect(previousPeriod({ start: "2026-09-01", end: "2026-11-29" })).toEqual({
      start: "2026-06-03",
      end: "2026-08-31",
    });
  });
});

// Decision 029: order-level discounts on products, and the shop's days.
describe("order-level discounts and the shop's time zone", () => {
  // C: 100.00 of lines (P1 2 × 30.00, P2 1 × 40.00) with a 5.00 line discount on P2 and an order-level
  // 19.00 code allocated 11.40 to P1 and 7.60 to P2 (60/100 and 40/100 of it), plus a 4.00 shipping
  // discount that no line carries. Shopify reports discountedTotalSet without the order-level share:
  // P1 60.00, P2 35.00.
  const C = order({
    subtotal: "72.00",
    discounts: "28.00",
    lines: [
      { productId: "P1", quantity: 2, total: "60.00", originalTotal: "60.00", discount: "11.40" },
      { productId: "P2", quantity: 1, total: "35.00", originalTotal: "40.00", discount: "12.60" },
    ],
  });

  it("GIVEN an order-level discount THEN each product's revenue is after its allocated share, and the products add up to gross − discounts", () => {
    const c = orderContribution(C);
    // Gross = 60 + 40 = 100.00; discounts = 11.40 + 12.60 = 24.00 (the 4.00 shipping discount is not a sales discount).
    expect(c.days).toEqual([expect.objectContaining({ day: "2026-11-02", grossSales: 10_000, discounts: 2_400 })]);
    // P1 60.00 − 11.40 = 48.60; P2 40.00 − 12.60 = 27.40; 48.60 + 27.40 = 76.00 = 100.00 − 24.00.
    const revenue = Object.fromEntries(c.products.map((p) => [p.productId, p.revenue]));
    expect(revenue).toEqual({ P1: 4_860, P2: 2_740 });
    expect(c.segments[0]).toMatchObject({ grossSales: 10_000, discounts: 2_400 });
  });

  it("GIVEN an order recorded before lines carried allocations THEN the order's totals and line totals are used as before", () => {
    const legacy = orderContribution(A);
    expect(legacy.days[0]).toMatchObject({ grossSales: 10_000, discounts: 1_000 });
    expect(legacy.products.find((p) => p.productId === "P1" && p.day === "2026-11-02")?.revenue).toBe(6_000);
  });

  it("GIVEN an order at 23:30 in New York THEN it counts on New York's day, and its refund on the refund's local day", () => {
    // 2026-11-03T04:30Z is 23:30 EST on 2026-11-02; the refund at 2026-11-06T03:00Z is 22:00 on 11-05.
    const late = order({
      ...C,
      processedAt: at("2026-11-03T04:30:00Z"),
      refunds: [
        {
          createdAt: at("2026-11-06T03:00:00Z"),
          amount: "10.00",
          lines: [{ productId: "P2", quantity: 1, amount: "10.00" }],
        },
      ],
    });
    expect(orderContribution(late).days.map((d) => d.day)).toEqual(["2026-11-03", "2026-11-06"]);
    const ny = orderContribution(late, "America/New_York");
    expect(ny.days.map((d) => [d.day, d.orders, d.refunds])).toEqual([
      ["2026-11-02", 1, 0],
      ["2026-11-05", 0, 1_000],
    ]);
    expect(ny.products.find((p) => p.productId === "P2" && p.day === "2026-11-05")).toMatchObject({ refunds: 1_000 });
    // Tokyo (UTC+9): 04:30Z is 13:30 on 11-03, the same day as UTC.
    expect(orderContribution(late, "Asia/Tokyo").days[0]?.day).toBe("2026-11-03");
  });
});
