// GIVEN orders that reached the app through the real ingest (the emulator's signed orders/create
// → intake → worker → the order table) WHEN a storefront visitor asks the chat about one THEN the
// owner (logged in, or a guest giving the order's name and its email) sees its status and
// tracking, and anyone else is told nothing about it, not even that it exists.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { proxyPost } from "../support/app-proxy";
import { deliveriesFinished } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();

interface ChatReply {
  answer: string;
  source: string;
  action: string;
}

async function ask(shop: string, message: string, customerId?: string): Promise<ChatReply> {
  const response = await proxyPost(appUrl, "chat", { shop, ...(customerId ? { customerId } : {}) }, { message });
  expect(response.status).toBe(200);
  return response.body as unknown as ChatReply;
}

describe("order answers from the order table", () => {
  it("tells the owner where the order is, and tells anyone else nothing", async () => {
    const shop = `chat-orders-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    const tracking = `1Z${randomUUID().replaceAll("-", "").slice(0, 14).toUpperCase()}`;
    const order = await control.createOrder(shop, {
      customer: { email: "ada@example.com" },
      lineItems: [{ title: "Kettle", quantity: 1, price: "40.00" }],
      fulfillments: [
        { trackingNumber: tracking, trackingCompany: "UPS", trackingUrl: `https://ups.example/${tracking}` },
      ],
    });
    await waitUntil(() => deliveriesFinished(control, shop));
    await waitUntil(async () => (await prisma.order.count({ where: { shopDomain: shop } })) === 1);
    const customerId = String((order.customer as { id: number | string }).id);

    const guest = await ask(shop, `Where is my order ${order.name}? My email is Ada@Example.com`);
    expect(guest).toMatchObject({ source: "order", action: "answer" });
    expect(guest.answer).toContain(order.name);
    expect(guest.answer).toContain(tracking);

    const owner = await ask(shop, "Where is my order?", customerId);
    expect(owner.source).toBe("order");
    expect(owner.answer).toContain(order.name);
    expect(owner.answer).toContain(tracking);

    // A wrong email, another logged-in customer, or a name alone: the same answer as for no order.
    const wrongEmail = await ask(shop, `Where is my order ${order.name}? My email is eve@example.com`);
    const stranger = await ask(shop, `Where is order ${order.name}?`, "999999999");
    const noSuchOrder = await ask(shop, "Where is my order #99999? My email is eve@example.com");
    for (const reply of [wrongEmail, stranger]) {
      expect(reply.answer).not.toContain(tracking);
      expect(reply.answer).toBe(noSuchOrder.answer);
    }
    const nameOnly = await ask(shop, `Where is my order ${order.name}?`);
    expect(nameOnly).toMatchObject({ source: "order", action: "ask" });
    expect(nameOnly.answer).not.toContain(tracking);
  });
});

describe("order words in the merchant's FAQ", () => {
  it("answers an FAQ that mentions orders or delivery from the FAQ, and still asks for the order otherwise", async () => {
    const shop = `chat-order-faq-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await prisma.supportFaq.create({
      data: {
        shopDomain: shop,
        question: "How long does delivery take?",
        answer: "Delivery takes 3 to 5 working days.",
      },
    });

    const faq = await ask(shop, "How long does delivery take?");
    expect(faq).toMatchObject({ source: "faq", answer: "Delivery takes 3 to 5 working days." });

    const order = await ask(shop, "Where is my order?");
    expect(order).toMatchObject({ source: "order", action: "ask" });
  });
});
