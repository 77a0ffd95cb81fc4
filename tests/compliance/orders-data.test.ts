// The order table under the privacy topics (decision 018): customers/data_request exports the
// customer's orders (found by customer id or by the order ids named), customers/redact deletes
// them and nothing else, and the shop's sales rollups (sums naming no one) stay.
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { exportCustomerData } from "~/services/compliance/export-customer-data.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrderFacts } from "~/services/ports/orders";

afterAll(() => prisma.$disconnect());

const facts = (id: number, over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  createdAt: "2026-11-02T10:00:00Z",
  updatedAt: "2026-11-02T10:00:00Z",
  processedAt: "2026-11-02T10:00:00Z",
  cancelledAt: null,
  test: false,
  financialStatus: "PAID",
  fulfillmentStatus: "UNFULFILLED",
  currencyCode: "USD",
  presentmentCurrencyCode: "USD",
  customerLocale: "en",
  subtotal: "10.00",
  discounts: "0.00",
  shipping: "0.00",
  tax: "0.00",
  total: "10.00",
  lines: [
    { productId: "gid://shopify/Product/1", variantId: null, title: "Mug", sku: null, quantity: 1, total: "10.00" },
  ],
  fulfillments: [],
  refunds: [],
  countryCode: "CA",
  ...over,
});

describe("orders under customers/data_request and customers/redact", () => {
  it("GIVEN a customer's orders and a guest order they name THEN the export lists them without the email hash, and the redact deletes only them", async () => {
    const shop = `privacy-${randomUUID().slice(0, 8)}.myshopify.com`;
    await ingestOrder({ db: prisma, shop, facts: facts(1), customerId: "501", emailHash: "a".repeat(64) });
    await ingestOrder({ db: prisma, shop, facts: facts(2), customerId: "501", emailHash: "a".repeat(64) });
    await ingestOrder({ db: prisma, shop, facts: facts(3), customerId: null, emailHash: "a".repeat(64) });
    await ingestOrder({ db: prisma, shop, facts: facts(4), customerId: "777", emailHash: "b".repeat(64) });
    const customer = { id: "501", orderIds: ["gid://shopify/Order/3"] };

    await exportCustomerData({ db: prisma, shop, webhookId: randomUUID(), customer, dataRequestId: "42" });
    const request = await prisma.complianceRequest.findFirstOrThrow({
      where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST" },
    });
    const exported = (request.export as { sections: { orders: Array<Record<string, unknown>> } }).sections.orders;
    expect(exported.map((o) => o.name)).toEqual(["#1", "#2", "#3"]);
    expect(exported[0]).toMatchObject({ kind: "order", total: "10", emailHashKept: true, currency: "USD" });
    expect(JSON.stringify(exported)).not.toContain("a".repeat(64));

    await redactCustomer({ db: prisma, shop, webhookId: randomUUID(), customer });
    const left = await prisma.order.findMany({ where: { shopDomain: shop } });
    expect(left.map((o) => o.name)).toEqual(["#4"]);
    // The shop's sales figures do not change: the day still counts four orders.
    expect((await prisma.salesDay.findFirstOrThrow({ where: { shopDomain: shop } })).orders).toBe(4);
  });
});
