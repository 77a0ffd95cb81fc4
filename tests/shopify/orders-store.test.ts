// The orders port over the Admin GraphQL API, against the emulator over HTTP: what the chat and the
// insights read. Facts stay readable at protected customer data level 1; contact details need
// level 2, and without approval the read fails as ADMIN_API_ACCESS_DENIED rather than answering
// empty data. https://shopify.dev/docs/apps/launch/protected-customer-data
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { shopifyOrders } from "~/integrations/shopify/shopify-orders.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import type { OrderExport } from "~/services/ports/orders";
import type { CustomerDataAccess } from "../emulators/shopify/state";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { seedShop } from "../support/seed";

const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);

afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

async function shopWithOrdersStore(customerDataAccess: CustomerDataAccess = "level2") {
  const shop = `orders-${randomUUID().slice(0, 8)}.myshopify.com`;
  const accessToken = `shpat_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken, customerDataAccess });
  const admin = new AdminClient({
    shop,
    origin: shopifyUrl,
    token: { get: async () => accessToken, invalidate: () => undefined },
    bucket: redisCostBucket(redis),
  });
  return { shop, store: shopifyOrders(admin) };
}

const linenOrder = {
  customer: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
  customerLocale: "fr",
  lineItems: [
    { title: "Linen Shirt", quantity: 2, price: "45.00", sku: "LS-1" },
    { title: "Wool Scarf", quantity: 1, price: "30.00", sku: "WS-1" },
  ],
  shippingLines: [{ title: "Standard", price: "5.00" }],
  financialStatus: "PAID" as const,
  fulfillments: [{ status: "SUCCESS" as const, trackingNumber: "1Z999", trackingCompany: "UPS" }],
  // The cart's attributes at checkout, such as the chat widget's dialog id (decision 026).
  noteAttributes: [{ name: "storewise_chat_dialog", value: "0123456789abcdef0123456789abcdef" }],
};

describe("the Shopify orders store", () => {
  it("reads an order's facts: name, money in the shop's currency, lines, fulfilment tracking and the customer's locale", async () => {
    const { shop, store } = await shopWithOrdersStore();
    const created = await control.createOrder(shop, linenOrder);
    const orderId = `gid://shopify/Order/${created.id}`;

    const order = await store.order(orderId);
    expect(order).toMatchObject({
      id: orderId,
      name: created.name,
      customerLocale: "fr",
      financialStatus: "PAID",
      test: false,
      cancelledAt: null,
    });
    expect(order?.lines.map(({ title, quantity, sku }) => ({ title, quantity, sku }))).toEqual([
      { title: "Linen Shirt", quantity: 2, sku: "LS-1" },
      { title: "Wool Scarf", quantity: 1, sku: "WS-1" },
    ]);
    expect(Number(order?.shipping)).toBe(5);
    expect(Number(order?.total)).toBe(Number(created.total_price));
    expect(order?.fulfillments[0]?.tracking).toEqual([expect.objectContaining({ number: "1Z999", company: "UPS" })]);
    expect(await store.orderContact(orderId)).toMatchObject({ email: "ada@example.com" });
    expect(order?.attributes).toEqual([{ key: "storewise_chat_dialog", value: "0123456789abcdef0123456789abcdef" }]);
  });

  it("reads every line of a wholesale order, past the first page", async () => {
    const { shop, store } = await shopWithOrdersStore();
    const lineItems = Array.from({ length: 45 }, (_, index) => ({
      title: `Sample ${index + 1}`,
      quantity: 1,
      price: "1.00",
    }));
    const created = await control.createOrder(shop, { lineItems });

    const order = await store.order(`gid://shopify/Order/${created.id}`);
    expect(order?.lines.map((line) => line.title)).toEqual(lineItems.map((line) => line.title));
  });

  it("an unknown order reads as null", async () => {
    const { store } = await shopWithOrdersStore();
    expect(await store.order("gid://shopify/Order/999999999")).toBeNull();
  });

  it("at level 1 the facts still read, and the contact details fail as access denied instead of coming back empty", async () => {
    const { shop, store } = await shopWithOrdersStore("level1");
    const created = await control.createOrder(shop, linenOrder);
    const orderId = `gid://shopify/Order/${created.id}`;

    expect((await store.order(orderId))?.lines).toHaveLength(2);
    await expect(store.orderContact(orderId)).rejects.toMatchObject({ code: "ADMIN_API_ACCESS_DENIED" });
  });

  it("without approval even the facts fail as access denied", async () => {
    const { shop, store } = await shopWithOrdersStore("none");
    const created = await control.createOrder(shop, linenOrder);
    await expect(store.order(`gid://shopify/Order/${created.id}`)).rejects.toMatchObject({
      code: "ADMIN_API_ACCESS_DENIED",
    });
  });

  it("exports the orders created since a date with their lines, and leaves older ones out", async () => {
    const { shop, store } = await shopWithOrdersStore();
    const old = await control.createOrder(shop, { ...linenOrder, createdAt: "2020-01-01T00:00:00Z" });
    const recent = await control.createOrder(shop, linenOrder);

    const exportId = await store.startOrderExport({ createdSince: new Date(Date.now() - 60 * 86_400_000) });
    const done = await eventually(async () => {
      const state = await store.orderExport(exportId);
      return state.status !== "running" && state;
    });
    expect(done.status).toBe("completed");
    const orders = (done as Extract<OrderExport, { status: "completed" }>).orders;
    expect(orders.map((order) => order.name)).toEqual([recent.name]);
    expect(orders.map((order) => order.name)).not.toContain(old.name);
    expect(orders[0]?.lines.map((line) => line.title)).toEqual(["Linen Shirt", "Wool Scarf"]);
    expect(orders[0]?.attributes).toEqual([
      { key: "storewise_chat_dialog", value: "0123456789abcdef0123456789abcdef" },
    ]);
  });
});
