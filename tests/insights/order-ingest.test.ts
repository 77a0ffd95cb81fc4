// Orders through the real boundaries: the emulator's signed webhooks (orders/create,
// orders/updated, orders/cancelled, refunds/create) → the app's intake → the worker's
// order.upserted → the order table and rollups → loadSalesReport. Figures are worked out by hand.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { orderEmailHashKey, parseEnv } from "~/config/env.server";
import { prisma } from "~/db.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { hashOrderEmail } from "~/services/orders/email-hash";
import { emulatorControl } from "../emulators/shopify/control-client";
import type { CustomerDataAccess } from "../emulators/shopify/state";
import { deliveriesFinished } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();

async function newShop(customerDataAccess: CustomerDataAccess = "level2") {
  const shop = `orders-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, customerDataAccess });
  return shop;
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** Waits until every webhook sent to the shop has been handled by its job. */
const settled = (shop: string) => waitUntil(() => deliveriesFinished(control, shop));

const report = (shop: string, start: string, end = today()) =>
  loadSalesReport({ db: prisma, shop, range: { start, end }, comparison: "previous-period", granularity: "day" });
const figure = (r: Awaited<ReturnType<typeof report>>, id: string) => r.metrics.find((m) => m.id === id)?.value;

const emailKey = orderEmailHashKey(parseEnv(inject("appEnv")));

describe("the order ingest", () => {
  it("GIVEN an order, a partial refund, a full refund and a cancellation THEN the report counts each once, refunds on their day", async () => {
    const shop = await newShop();
    const a = await control.createOrder(shop, {
      customer: { email: "Ada@Example.com" },
      lineItems: [
        { title: "Kettle", quantity: 2, price: "40.00" },
        { title: "Mug", quantity: 1, price: "20.00" },
      ],
      discountCodes: [{ code: "TEN", amount: "10.00" }],
      totalTax: "9.00",
      totalShipping: "5.00",
      shippingAddress: { countryCode: "GB", country: "United Kingdom" },
      presentmentCurrency: "GBP",
      presentmentRate: 0.8,
    });
    const b = await control.createOrder(shop, {
      customer: { email: "ada@example.com" },
      lineItems: [{ title: "Tea", quantity: 3, price: "10.00" }],
    });
    const test = await control.createOrder(shop, { test: true, lineItems: [{ quantity: 1, price: "500.00" }] });
    const cancelled = await control.createOrder(shop, { lineItems: [{ quantity: 1, price: "70.00" }] });
    await settled(shop);

    // Refund the mug of A (20.00 + its tax share 9 × 20/100 = 1.80), all of B, and cancel the last.
    await control.refundOrder(shop, a.id, { lines: [{ index: 1, quantity: 1 }] });
    await control.refundOrder(shop, b.id, { full: true });
    await control.updateOrder(shop, cancelled.id, { cancelledAt: new Date().toISOString(), cancelReason: "customer" });
    await settled(shop);

    const rows = await prisma.order.findMany({ where: { shopDomain: shop }, orderBy: { name: "asc" } });
    expect(rows.map((r) => r.name)).toEqual([a.name, b.name, test.name, cancelled.name]);
    const [rowA, rowB] = rows;
    // The email never lands in the table: only its keyed hash, case-insensitively the same for both.
    expect(JSON.stringify(rows)).not.toMatch(/example\.com/i);
    expect(rowA?.emailHash).toBe(hashOrderEmail(emailKey, "ada@example.com"));
    expect(rowB?.emailHash).toBe(rowA?.emailHash);
    expect(rowA).toMatchObject({ countryCode: "GB", presentmentCurrency: "GBP", firstOrder: true, currency: "USD" });
    expect(rowB).toMatchObject({ firstOrder: false, financialStatus: "REFUNDED" });
    expect(rowA?.refunds).toEqual([
      expect.objectContaining({ amount: "21.80", lines: [expect.objectContaining({ quantity: 1, amount: "20.00" })] }),
    ]);

    const r = await report(shop, today());
    // Gross: A 100.00 (90.00 after the 10.00 discount) + B 30.00. Refunds: 21.80 + B's 30.00.
    expect(figure(r, "gross_sales")).toBe(13_000);
    expect(figure(r, "discounts")).toBe(1_000);
    expect(figure(r, "refunds")).toBe(5_180);
    expect(figure(r, "net_sales")).toBe(6_820);
    expect(figure(r, "orders")).toBe(2);
    expect(figure(r, "units")).toBe(6);
    expect(figure(r, "new_customers")).toBe(1);
    expect(figure(r, "returning_customer_orders")).toBe(1);
    // Amounts stay in the shop's money; the currency is who paid in what.
    expect(r.byCurrency).toEqual([
      { currency: "GBP", grossSales: 10_000, netSales: 6_820, orders: 1 },
      { currency: "USD", grossSales: 3_000, netSales: 0, orders: 1 },
    ]);
  });

  it("GIVEN a redelivered and an out-of-order webhook THEN nothing counts twice and the older version never wins", async () => {
    const shop = await newShop();
    const order = await control.createOrder(shop, { lineItems: [{ quantity: 1, price: "50.00" }] });
    await settled(shop);
    const older = await control.getOrder(shop, order.id);
    await control.refundOrder(shop, order.id, { lines: [{ index: 0, quantity: 1 }] });
    await settled(shop);

    // Replay the older orders/updated body (a late, out-of-order delivery) twice with new webhook ids.
    for (let i = 0; i < 2; i++) {
      await control.triggerWebhook(shop, "orders/updated", older);
    }
    await settled(shop);

    const row = await prisma.order.findUniqueOrThrow({
      where: { shopDomain_orderId: { shopDomain: shop, orderId: String(order.admin_graphql_api_id) } },
    });
    expect(row.financialStatus).toBe("REFUNDED");
    const r = await report(shop, today());
    expect(figure(r, "orders")).toBe(1);
    expect(figure(r, "gross_sales")).toBe(5_000);
    expect(figure(r, "refunds")).toBe(5_000);
    expect(figure(r, "net_sales")).toBe(0);
  });

  it("GIVEN a refund dated later than its order THEN the order counts on its day and the refund on the refund's", async () => {
    const shop = await newShop();
    const order = await control.createOrder(shop, {
      createdAt: daysAgo(10),
      lineItems: [{ quantity: 2, price: "15.00" }],
    });
    await control.refundOrder(shop, order.id, { lines: [{ index: 0, quantity: 1 }], createdAt: daysAgo(3) });
    await settled(shop);
    const r = await report(shop, daysAgo(12).slice(0, 10));
    const day = (iso: string) => r.series.find((p) => p.start === iso.slice(0, 10))?.values;
    expect(day(daysAgo(10))).toMatchObject({ gross_sales: 3_000, refunds: 0, orders: 1 });
    expect(day(daysAgo(3))).toMatchObject({ gross_sales: 0, refunds: 1_500, orders: 0 });
  });

  it("GIVEN a shop at protected customer data level 1 THEN orders are recorded without an email hash", async () => {
    const shop = await newShop("level1");
    const order = await control.createOrder(shop, { customer: { email: "grace@example.com" } });
    await settled(shop);
    const row = await waitUntil(() =>
      prisma.order.findUnique({
        where: { shopDomain_orderId: { shopDomain: shop, orderId: String(order.admin_graphql_api_id) } },
      }),
    );
    expect(row.emailHash).toBeNull();
    expect(row.customerId).toEqual(expect.any(String));
  });
});
