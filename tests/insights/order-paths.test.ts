// The same orders reach the rollups by two paths: their signed webhooks (orders/create,
// refunds/create → intake → order.upserted) and, for a shop that installs later, the 60-day
// backfill (bulk export → orders.backfill). Both must add exactly the same rollup rows (decision
// 029): the customer (read_customers granted), the refund lines, every discount allocated to the
// lines, and the shop's days in its own time zone. Figures are worked out by hand.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { parseEnv } from "~/config/env.server";
import { prisma } from "~/db.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { startOrderBackfill } from "~/services/orders/backfill-orders.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { deliveriesFinished } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker({ waitMs: 40_000 });
const settled = (shop: string) => waitUntil(() => deliveriesFinished(control, shop));

const ZONE = "America/New_York";
const DAY = 86_400_000;

/** 23:30 in New York on the calendar day `n` days before today's (UTC) date: 03:30 or 04:30 UTC the next day. */
function lateEveningInNewYork(daysBack: number) {
  const day = new Date(Date.now() - daysBack * DAY).toISOString().slice(0, 10);
  // EST (UTC−5) or EDT (UTC−4): try both and keep the one that is 23:30 in New York.
  for (const offset of [4, 5]) {
    const at = new Date(Date.parse(`${day}T23:30:00Z`) + offset * 3_600_000);
    const local = new Intl.DateTimeFormat("en-CA", {
      timeZone: ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(at);
    if (local === `${day}, 23:30`)
      return { at: at.toISOString(), localDay: day, utcDay: at.toISOString().slice(0, 10) };
  }
  throw new Error("no 23:30 in New York");
}

async function rollups(shop: string) {
  const strip = <T extends { shopDomain: string; day: Date }>(rows: T[]): Array<Record<string, unknown>> =>
    rows.map(({ shopDomain: _shop, day, ...rest }) => ({
      day: day.toISOString().slice(0, 10),
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === "object" ? String(v) : v])),
    }));
  const order = [{ day: "asc" as const }];
  return {
    days: strip(await prisma.salesDay.findMany({ where: { shopDomain: shop }, orderBy: order })),
    products: strip(
      await prisma.salesDayProduct.findMany({ where: { shopDomain: shop }, orderBy: [...order, { productId: "asc" }] }),
    ),
    segments: strip(await prisma.salesDaySegment.findMany({ where: { shopDomain: shop }, orderBy: order })),
  };
}

describe("webhook and backfill paths", () => {
  it("GIVEN the same orders through their webhooks and through the backfill THEN both give identical rollups, in the shop's days, with customers, refund lines and order-level discounts on the products", async () => {
    const shop = `paths-${randomUUID().slice(0, 8)}.myshopify.com`;
    const scopes = [...parseEnv(inject("appEnv")).SCOPES.split(","), "read_customers"];
    await seedShop(control, prisma, {
      shop,
      accessToken: `shpat_${randomUUID()}`,
      customerDataAccess: "level2",
      ianaTimezone: ZONE,
      scopes,
    });
    const kettle = await control.createProduct(shop, { title: "Kettle" }, { silent: true });
    const mug = await control.createProduct(shop, { title: "Mug" }, { silent: true });

    const late = lateEveningInNewYork(10);
    const first = await control.createOrder(shop, {
      customer: { email: "ada@example.com" },
      createdAt: late.at,
      processedAt: late.at,
      lineItems: [
        { title: "Kettle", quantity: 2, price: "40.00", productId: kettle.id },
        { title: "Mug", quantity: 1, price: "20.00", productId: mug.id },
      ],
      // Order-level: 10.00 across the lines in proportion to 80.00 and 20.00 → 8.00 and 2.00.
      discountCodes: [{ code: "TEN", amount: "10.00" }],
      totalShipping: "5.00",
      shippingAddress: { countryCode: "GB", country: "United Kingdom" },
    });
    const refundAt = new Date(Date.parse(late.at) + 2 * DAY).toISOString();
    await control.refundOrder(shop, first.id, { lines: [{ index: 1, quantity: 1 }], createdAt: refundAt });
    const second = await control.createOrder(shop, {
      customer: { email: "ada@example.com" },
      createdAt: new Date(Date.parse(late.at) + 3 * DAY).toISOString(),
      lineItems: [{ title: "Mug", quantity: 3, price: "20.00", productId: mug.id }],
    });
    await settled(shop);
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(2);
    const viaWebhooks = await rollups(shop);

    // The first order is on New York's day, not UTC's (23:30 there is already tomorrow in UTC).
    expect(late.localDay).not.toBe(late.utcDay);
    const firstDay = viaWebhooks.days.find((d) => d.day === late.localDay);
    expect(firstDay).toMatchObject({ grossSales: "100", discounts: "10", orders: 1, units: 3, newCustomers: 1 });
    expect(viaWebhooks.days.find((d) => d.day === late.utcDay)).toBeUndefined();
    // Products carry their share of the order-level discount: kettle 80 − 8, mug 20 − 2 (+ 60 later).
    const productOn = (day: string, id: string) =>
      viaWebhooks.products.find((p) => p.day === day && p.productId === id);
    expect(productOn(late.localDay, kettle.id)).toMatchObject({ revenue: 7_200, units: 2 });
    expect(productOn(late.localDay, mug.id)).toMatchObject({ revenue: 1_800, units: 1 });
    // The mug's refund line lands on the refund's (New York) day.
    const refundDay = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(refundAt));
    expect(productOn(refundDay, mug.id)).toMatchObject({ refundedUnits: 1 });
    expect(viaWebhooks.days.some((d) => d.returningCustomerOrders === 1)).toBe(true);

    // The same shop installs only now: nothing recorded, then the backfill reads the same orders.
    await prisma.$transaction([
      prisma.order.deleteMany({ where: { shopDomain: shop } }),
      prisma.salesDay.deleteMany({ where: { shopDomain: shop } }),
      prisma.salesDayProduct.deleteMany({ where: { shopDomain: shop } }),
      prisma.salesDaySegment.deleteMany({ where: { shopDomain: shop } }),
      prisma.shop.update({ where: { domain: shop }, data: { ianaTimezone: null } }),
    ]);
    await startOrderBackfill({ shop });
    const backfill = await waitUntil(async () => {
      const row = await prisma.orderBackfill.findUnique({ where: { shopDomain: shop } });
      return row && row.status !== "running" ? row : null;
    });
    expect(backfill).toMatchObject({ status: "completed", ordersRecorded: 2 });
    expect(await rollups(shop)).toEqual(viaWebhooks);
    const recorded = await prisma.order.findMany({ where: { shopDomain: shop }, orderBy: { name: "asc" } });
    expect(recorded.map((o) => [o.name, o.customerId !== null, o.firstOrder])).toEqual([
      [first.name, true, true],
      [second.name, true, false],
    ]);

    // The report's figures agree: New customers is no longer 0 for backfilled orders.
    const report = await loadSalesReport({
      db: prisma,
      shop,
      range: {
        start: new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10),
        end: new Date().toISOString().slice(0, 10),
      },
      comparison: "none",
      granularity: "day",
    });
    const value = (id: string) => report.metrics.find((m) => m.id === id)?.value;
    expect(value("new_customers")).toBe(1);
    expect(value("returning_customer_orders")).toBe(1);
    expect(value("gross_sales")).toBe(16_000);
    expect(value("discounts")).toBe(1_000);
  });
});
