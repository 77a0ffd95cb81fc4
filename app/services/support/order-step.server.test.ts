// GIVEN a seeded stand-in for the order table WHEN a shopper asks the chat about an order THEN a
// logged-in customer gets their own order, a guest must give both the order name and its email,
// failed lookups are throttled, and an order question never reaches the model.
import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import type { Llm } from "~/services/ports/llm";
import { answerChatMessage, type ChatDeps } from "~/services/support/answer-chat-message.server";
import type { ShopperOrder, ShopperOrderLookup, ShopperOrderQuery } from "~/services/support/order-lookup";
import { TEST_REDIS_URL } from "../../../tests/support/test-env";

const redis = new Redis(TEST_REDIS_URL);
afterAll(() => redis.quit());

/** Orders the stand-in knows: #1001 is customer 501's, placed with pat@example.com. */
class SeededOrders implements ShopperOrderLookup {
  readonly queries: ShopperOrderQuery[] = [];
  private readonly order: ShopperOrder = {
    name: "#1001",
    createdAt: "2026-11-30T10:00:00Z",
    status: "fulfilled",
    tracking: [{ company: "UPS", number: "1Z999", url: null }],
  };
  async findOrderForShopper(query: ShopperOrderQuery) {
    this.queries.push(query);
    const owner = query.customerId === "501" && (!query.orderName || query.orderName === "#1001");
    const guest = !query.customerId && query.orderName === "#1001" && query.email === "pat@example.com";
    return owner || guest ? this.order : null;
  }
}

const noModel = {
  generateStructured: () => Promise.reject(new Error("the order step must not reach the model")),
} as unknown as Llm;

function deps(orders: ShopperOrderLookup): ChatDeps {
  return {
    db: prisma,
    redis,
    llm: noModel,
    orders,
    visitorSecret: "test-secret",
    visitorPerMinute: 100,
    llmBudgetMs: 500,
  };
}

async function ask(
  orders: SeededOrders,
  shop: string,
  message: string,
  customerId: string | null = null,
  visitorToken?: string,
) {
  const result = await answerChatMessage({
    ...deps(orders),
    shop,
    customerId,
    input: { message, visitorToken, locale: "en" },
  });
  if (result.kind !== "reply") throw new Error(`expected a reply, got ${result.kind}`);
  return result.reply;
}

describe("the order step", () => {
  it("tells a logged-in customer where their order is", async () => {
    const orders = new SeededOrders();
    const reply = await ask(orders, `orders-${randomUUID().slice(0, 8)}.myshopify.com`, "Where is my order?", "501");
    expect(reply).toMatchObject({ source: "order", action: "answer", answer: "Order #1001: fulfilled (UPS 1Z999)." });
  });

  it("does not show another customer's order", async () => {
    const orders = new SeededOrders();
    const reply = await ask(orders, `orders-${randomUUID().slice(0, 8)}.myshopify.com`, "Where is order #1001?", "777");
    expect(reply.source).toBe("order");
    expect(reply.answer).not.toContain("fulfilled");
  });

  it("asks a guest for the order name and email, then answers only when both match", async () => {
    const orders = new SeededOrders();
    const shop = `orders-${randomUUID().slice(0, 8)}.myshopify.com`;
    const asked = await ask(orders, shop, "Where is my order #1001?");
    expect(asked).toMatchObject({ source: "order", action: "ask" });
    expect(orders.queries).toEqual([]);
    const found = await ask(orders, shop, "Order #1001, email pat@example.com", null, asked.visitorToken!);
    expect(found.answer).toBe("Order #1001: fulfilled (UPS 1Z999).");
    // The email was used for the lookup, and is not in the saved transcript.
    const saved = await prisma.supportMessage.findMany({ where: { dialogId: found.dialogId, role: "user" } });
    expect(saved.map((message) => message.text).join(" ")).not.toContain("pat@example.com");
  });

  it("throttles a guest's failed lookups", async () => {
    const orders = new SeededOrders();
    const shop = `orders-${randomUUID().slice(0, 8)}.myshopify.com`;
    let token: string | undefined;
    for (let i = 0; i < 5; i++) {
      const reply = await ask(orders, shop, `Order #20${i}0 email guess${i}@example.com`, null, token);
      token = reply.visitorToken!;
      expect(reply.answer).toMatch(/couldn't find an order/);
    }
    const throttled = await ask(orders, shop, "Order #1001 email pat@example.com", null, token);
    expect(throttled.answer).toMatch(/Too many order lookups/);
    expect(orders.queries).toHaveLength(5);
  });

  it("throttles guesses at one order name across visitors, but never its logged-in owner", async () => {
    const orders = new SeededOrders();
    const shop = `orders-${randomUUID().slice(0, 8)}.myshopify.com`;
    // Ten visitors (each a fresh identity, so none reaches its own limit) guess #1001's email.
    for (let i = 0; i < 10; i++) {
      const reply = await ask(orders, shop, `Order #1001 email guess${i}@example.com`);
      expect(reply.answer).toMatch(/couldn't find an order/);
    }
    // The next guest with the right email learns nothing: #1001 is throttled for every guest.
    const guest = await ask(orders, shop, "Order #1001 email pat@example.com");
    expect(guest.answer).toMatch(/Too many order lookups/);
    expect(guest.answer).not.toContain("fulfilled");
    expect(orders.queries).toHaveLength(10);
    // Another order name is not affected, and the owner still sees their order.
    const other = await ask(orders, shop, "Order #2002 email pat@example.com");
    expect(other.answer).toMatch(/couldn't find an order/);
    const owner = await ask(orders, shop, "Where is order #1001?", "501");
    expect(owner.answer).toBe("Order #1001: fulfilled (UPS 1Z999).");
  });
});
