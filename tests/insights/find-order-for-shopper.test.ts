// The chat's order lookup (decision 018): an order is shown only to its logged-in customer or to
// a guest giving its email, and every other answer is the same null as for a missing order.
import { randomBytes, randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { hashOrderEmail } from "~/services/orders/email-hash";
import { findOrderForShopper } from "~/services/orders/find-order-for-shopper.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrderFacts } from "~/services/ports/orders";

const key = randomBytes(32);
const shop = `lookup-${randomUUID().slice(0, 8)}.myshopify.com`;
const other = `lookup-${randomUUID().slice(0, 8)}.myshopify.com`;

const facts = (name: string): OrderFacts => ({
  id: `gid://shopify/Order/${randomUUID()}`,
  name,
  createdAt: "2026-11-02T10:00:00Z",
  updatedAt: "2026-11-02T10:00:00Z",
  processedAt: "2026-11-02T10:00:00Z",
  cancelledAt: null,
  test: false,
  financialStatus: "PAID",
  fulfillmentStatus: "FULFILLED",
  currencyCode: "EUR",
  presentmentCurrencyCode: "EUR",
  customerLocale: "fr",
  subtotal: "30.00",
  discounts: "0.00",
  shipping: "5.00",
  tax: "0.00",
  total: "35.00",
  lines: [
    { productId: "gid://shopify/Product/9", variantId: null, title: "Mug", sku: null, quantity: 3, total: "30.00" },
  ],
  fulfillments: [
    {
      status: "SUCCESS",
      createdAt: "2026-11-03T10:00:00Z",
      tracking: [{ number: "1Z9", url: "https://ups.example/1Z9", company: "UPS" }],
    },
  ],
  refunds: [],
  countryCode: "FR",
});

beforeAll(async () => {
  await ingestOrder({
    db: prisma,
    shop,
    facts: facts("#1001"),
    customerId: "501",
    emailHash: hashOrderEmail(key, "ana@example.com"),
  });
  await ingestOrder({ db: prisma, shop, facts: facts("#1002"), customerId: null, emailHash: null });
  await ingestOrder({
    db: prisma,
    shop: other,
    facts: facts("#1001"),
    customerId: "501",
    emailHash: hashOrderEmail(key, "ana@example.com"),
  });
});
afterAll(() => prisma.$disconnect());

const find = (options: { orderName: string; email?: string; customerId?: string; shop?: string }) =>
  findOrderForShopper({ db: prisma, shop, emailHashKey: key, ...options });

describe("findOrderForShopper", () => {
  it("GIVEN the logged-in customer who owns it THEN the order with its tracking", async () => {
    expect(await find({ orderName: "#1001", customerId: "501" })).toMatchObject({
      name: "#1001",
      fulfillmentStatus: "FULFILLED",
      tracking: [{ number: "1Z9", url: "https://ups.example/1Z9", company: "UPS" }],
      total: "35.00",
      currency: "EUR",
    });
  });

  it("GIVEN a guest with the order's email, typed differently and without the # THEN the order", async () => {
    expect(await find({ orderName: "1001", email: "  ANA@example.com " })).toMatchObject({ name: "#1001" });
  });

  it("GIVEN another customer, a wrong email, no proof, an unknown name or an order without email THEN the same null", async () => {
    expect(await find({ orderName: "#1001", customerId: "999" })).toBeNull();
    expect(await find({ orderName: "#1001", email: "eve@example.com" })).toBeNull();
    expect(await find({ orderName: "#1001" })).toBeNull();
    expect(await find({ orderName: "#4040", email: "ana@example.com" })).toBeNull();
    // A level-1 order keeps no hash: a guest cannot prove it is theirs by email.
    expect(await find({ orderName: "#1002", email: "ana@example.com" })).toBeNull();
  });

  it("GIVEN the same order name in another shop THEN each shop only finds its own", async () => {
    const mine = await find({ orderName: "#1001", customerId: "501" });
    const theirs = await find({ orderName: "#1001", customerId: "501", shop: other });
    expect(mine).not.toBeNull();
    expect(theirs).not.toBeNull();
    expect(await find({ orderName: "#1002", customerId: "501", shop: other })).toBeNull();
  });
});
