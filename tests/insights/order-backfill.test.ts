// The 60-day backfill through the real boundaries: orders.backfill → the store's bulk export
// (emulator) → polling → ingest in batches → rollups, with the window recorded for the report.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { startOrderBackfill } from "~/services/orders/backfill-orders.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker({ waitMs: 40_000 });

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe("the order backfill", () => {
  it("GIVEN orders from before the app was installed THEN the last 60 days land in the report, refunds included, and the window is recorded", async () => {
    const shop = `backfill-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    // Silent: these happened before the app was there, so no webhook ever told it.
    const recent = await control.createOrder(
      shop,
      { createdAt: daysAgo(20), lineItems: [{ quantity: 2, price: "25.00" }] },
      { silent: true },
    );
    await control.refundOrder(
      shop,
      recent.id,
      { lines: [{ index: 0, quantity: 1 }], createdAt: daysAgo(18) },
      { silent: true },
    );
    await control.createOrder(
      shop,
      { createdAt: daysAgo(5), lineItems: [{ quantity: 1, price: "40.00" }] },
      { silent: true },
    );
    await control.createOrder(
      shop,
      { createdAt: daysAgo(70), lineItems: [{ quantity: 1, price: "999.00" }] },
      { silent: true },
    );

    await startOrderBackfill({ shop });
    const backfill = await waitUntil(async () => {
      const row = await prisma.orderBackfill.findUnique({ where: { shopDomain: shop } });
      return row && row.status !== "running" ? row : null;
    });
    expect(backfill).toMatchObject({ status: "completed", ordersRecorded: 2, error: null });
    expect(backfill.windowEnd.getTime() - backfill.windowStart.getTime()).toBe(60 * 86_400_000);

    const report = await loadSalesReport({
      db: prisma,
      shop,
      range: { start: daysAgo(89).slice(0, 10), end: daysAgo(0).slice(0, 10) },
      comparison: "previous-period",
      granularity: "week",
    });
    const value = (id: string) => report.metrics.find((m) => m.id === id)?.value;
    // 50.00 + 40.00 gross (the 70-day-old order is outside the window); one 25.00 line refunded.
    expect(value("gross_sales")).toBe(9_000);
    expect(value("refunds")).toBe(2_500);
    expect(value("orders")).toBe(2);
    expect(report.backfill).toMatchObject({ status: "completed", ordersRecorded: 2 });

    // Asking again queues nothing new: one backfill per shop.
    await startOrderBackfill({ shop });
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(2);
  });
});
