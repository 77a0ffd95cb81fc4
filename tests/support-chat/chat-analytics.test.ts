// GIVEN a shop's chats and orders over three days (hand-computed below) WHEN the merchant opens
// the chat analytics THEN conversations, handoff and resolution rates, answer sources, p95 latency
// and the orders placed after chatting are the figures worked out by hand, and another shop's
// chats and orders change none of them (docs/decisions/026).
import { randomBytes, randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrderFacts } from "~/services/ports/orders";
import { percentile, resolutionOf } from "~/services/support/chat-analytics";
import { loadChatAnalytics } from "~/services/support/chat-analytics.server";
import { CHAT_CART_ATTRIBUTE, chatDialogIdOf } from "~/services/support/chat-attribution";
import { CHAT_ATTRIBUTION_METRICS, chatAttributionTotals } from "~/services/insights/metrics";

const shop = `chat-stats-${randomUUID().slice(0, 8)}.myshopify.com`;
const other = `chat-stats-other-${randomUUID().slice(0, 8)}.myshopify.com`;
const id = () => randomBytes(16).toString("hex");
const at = (iso: string) => new Date(`${iso}Z`);
const d = { d1: id(), d2: id(), d3: id(), d4: id(), d5: id(), d6: id(), d7: id(), d8: id() };

async function dialog(
  dialogId: string,
  options: { shop?: string; visitor: string; start: string; last: string },
  replies: Array<{ at: string; source: string; latencyMs: number | null; action?: string }>,
) {
  await prisma.supportDialog.create({
    data: {
      id: dialogId,
      shopDomain: options.shop ?? shop,
      visitorKey: options.visitor,
      createdAt: at(options.start),
      lastMessageAt: at(options.last),
    },
  });
  for (const reply of replies) {
    await prisma.supportMessage.createMany({
      data: [
        { dialogId, role: "user", text: "question", createdAt: at(reply.at) },
        {
          dialogId,
          role: "assistant",
          text: "answer",
          source: reply.source,
          action: reply.action ?? (reply.source === "handoff" ? "handoff" : "answer"),
          latencyMs: reply.latencyMs,
          createdAt: at(reply.at),
        },
      ],
    });
  }
}

const facts = (processedAt: string, over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: `gid://shopify/Order/${randomUUID()}`,
  name: "#1001",
  createdAt: `${processedAt}Z`,
  updatedAt: `${processedAt}Z`,
  processedAt: `${processedAt}Z`,
  cancelledAt: null,
  test: false,
  financialStatus: "PAID",
  fulfillmentStatus: "UNFULFILLED",
  currencyCode: "EUR",
  presentmentCurrencyCode: "EUR",
  customerLocale: "en",
  subtotal: "10.00",
  discounts: "0.00",
  shipping: "5.00",
  tax: "0.00",
  total: "15.00",
  lines: [],
  fulfillments: [],
  refunds: [],
  countryCode: "FR",
  ...over,
});
const chatted = (dialogId: string) => [{ key: CHAT_CART_ATTRIBUTE, value: dialogId }];
const order = (orderShop: string, f: OrderFacts) =>
  ingestOrder({ db: prisma, shop: orderShop, facts: f, customerId: null, emailHash: null });

beforeAll(async () => {
  // v1 asks on the 1st and comes back the next morning (d2 starts 22 h 55 min after d1's last
  // message): d1 is followed up, d2 (never followed up) is resolved.
  await dialog(d.d1, { visitor: "visitor:v1", start: "2026-11-01T10:00:00", last: "2026-11-01T10:05:00" }, [
    { at: "2026-11-01T10:00:00", source: "faq", latencyMs: 40 },
    { at: "2026-11-01T10:05:00", source: "faq", latencyMs: 60 },
  ]);
  await dialog(d.d2, { visitor: "visitor:v1", start: "2026-11-02T09:00:00", last: "2026-11-02T09:02:00" }, [
    { at: "2026-11-02T09:00:00", source: "llm", latencyMs: 900 },
    { at: "2026-11-02T09:02:00", source: "order", latencyMs: 120 },
  ]);
  // v2 is offered a person.
  await dialog(d.d3, { visitor: "visitor:v2", start: "2026-11-01T12:00:00", last: "2026-11-01T12:00:00" }, [
    { at: "2026-11-01T12:00:00", source: "handoff", latencyMs: 30 },
  ]);
  // v3 comes back 24 h 59 min after d4's last message (d5, after the range): not a follow-up.
  await dialog(d.d4, { visitor: "customer:7", start: "2026-11-03T08:00:00", last: "2026-11-03T08:01:00" }, [
    { at: "2026-11-03T08:00:00", source: "faq", latencyMs: 50 },
  ]);
  await dialog(d.d5, { visitor: "customer:7", start: "2026-11-04T09:00:00", last: "2026-11-04T09:00:00" }, []);
  // v4's answer was from the model, but they filed a ticket from the dialog: handed off.
  await dialog(d.d6, { visitor: "visitor:v4", start: "2026-11-03T20:00:00", last: "2026-11-03T20:00:00" }, [
    { at: "2026-11-03T20:00:00", source: "llm", latencyMs: 2000 },
  ]);
  await prisma.supportTicket.create({
    data: { shopDomain: shop, dialogId: d.d6, email: "x@example.com", question: "?", transcript: [] },
  });
  // v5's last message is under 24 h before "now": pending, not yet resolved or unresolved.
  await dialog(d.d7, { visitor: "visitor:v5", start: "2026-11-03T15:00:00", last: "2026-11-03T15:10:00" }, [
    { at: "2026-11-03T15:00:00", source: "llm", latencyMs: 1500 },
    { at: "2026-11-03T15:10:00", source: "faq", latencyMs: null },
  ]);
  // Another shop: same visitor key as d4's (it would make d4 a follow-up), a slow reply.
  await dialog(
    d.d8,
    { shop: other, visitor: "customer:7", start: "2026-11-03T09:00:00", last: "2026-11-03T09:00:00" },
    [{ at: "2026-11-03T09:00:00", source: "llm", latencyMs: 99_999 }],
  );

  await order(shop, facts("2026-11-02T10:00:00", { subtotal: "50.00", attributes: chatted(d.d2) }));
  await order(shop, facts("2026-11-03T12:00:00", { subtotal: "20.50", attributes: chatted(d.d3) }));
  // Not attributed: placed before its dialog started, another shop's dialog, a test order, a
  // cancelled one, a forged value, and no attribute at all.
  await order(shop, facts("2026-11-03T07:00:00", { attributes: chatted(d.d4) }));
  await order(shop, facts("2026-11-03T10:00:00", { attributes: chatted(d.d8) }));
  await order(shop, facts("2026-11-02T11:00:00", { test: true, attributes: chatted(d.d1) }));
  await order(shop, facts("2026-11-03T21:00:00", { cancelledAt: "2026-11-03T22:00:00Z", attributes: chatted(d.d6) }));
  await order(shop, facts("2026-11-02T12:00:00", { attributes: [{ key: CHAT_CART_ATTRIBUTE, value: "' OR 1=1 --" }] }));
  await order(shop, facts("2026-11-02T13:00:00"));
  await order(other, facts("2026-11-03T10:00:00", { subtotal: "999.00", attributes: chatted(d.d8) }));
});

const range = { start: "2026-11-01", end: "2026-11-03" };
const now = at("2026-11-04T12:00:00");

describe("chat analytics", () => {
  it("counts conversations, handoffs and resolutions as worked out by hand", async () => {
    const figures = await loadChatAnalytics({ db: prisma, shop, range, now });
    // d1, d2, d3, d4, d6, d7 (d5 started after the range; d8 is another shop's).
    expect(figures.conversations).toBe(6);
    expect(figures.handedOff).toBe(2); // d3 (offered a person), d6 (filed a ticket)
    expect(figures.handoffRate).toBeCloseTo(2 / 6);
    expect({ resolved: figures.resolved, unresolved: figures.unresolved, pending: figures.pending }).toEqual({
      resolved: 2, // d2, d4
      unresolved: 3, // d1 (followed up), d3, d6 (handed off)
      pending: 1, // d7
    });
    expect(figures.resolutionRate).toBeCloseTo(2 / 5);
  });

  it("breaks the replies down by source, with the p95 of their latency, overall and per day", async () => {
    const figures = await loadChatAnalytics({ db: prisma, shop, range, now });
    expect(figures.replies).toBe(9);
    expect(figures.sources.map(({ source, replies }) => [source, replies])).toEqual([
      ["faq", 4],
      ["llm", 3],
      ["handoff", 1],
      ["order", 1],
    ]);
    // 30 40 50 60 120 900 1500 2000: the 8th of 8 (ceil(0.95 × 8) = 8); 99 999 ms is another shop's.
    expect(figures.p95LatencyMs).toBe(2000);
    expect(figures.days).toEqual([
      {
        day: "2026-11-01",
        conversations: 2,
        handedOff: 1,
        resolved: 0,
        unresolved: 2,
        pending: 0,
        replies: 3,
        p95LatencyMs: 60,
      },
      {
        day: "2026-11-02",
        conversations: 1,
        handedOff: 0,
        resolved: 1,
        unresolved: 0,
        pending: 0,
        replies: 2,
        p95LatencyMs: 900,
      },
      {
        day: "2026-11-03",
        conversations: 3,
        handedOff: 1,
        resolved: 1,
        unresolved: 1,
        pending: 1,
        replies: 4,
        p95LatencyMs: 2000,
      },
    ]);
  });

  it("attributes to the chat only orders whose cart named one of the shop's dialogs started before them", async () => {
    const { attribution } = await loadChatAnalytics({ db: prisma, shop, range, now });
    expect(attribution.totals).toEqual({ attributedOrders: 2, attributedSales: 7050 });
    expect(attribution.days).toEqual([
      { day: "2026-11-02", attributedOrders: 1, attributedSales: 5000 },
      { day: "2026-11-03", attributedOrders: 1, attributedSales: 2050 },
    ]);
    expect(CHAT_ATTRIBUTION_METRICS.map((metric) => [metric.id, metric.compute(attribution.totals)])).toEqual([
      ["chat_attributed_orders", 2],
      ["chat_attributed_sales", 7050],
    ]);
    // The ingest kept the id only when it had a dialog id's shape.
    const forged = await prisma.order.count({ where: { shopDomain: shop, chatDialogId: { not: null } } });
    expect(forged).toBe(6);
  });

  it("judges a dialog pending until 24 h after its last message, then resolved", () => {
    const dialog = {
      id: "a",
      visitorKey: "visitor:x",
      createdAt: at("2026-11-01T10:00:00"),
      lastMessageAt: at("2026-11-01T10:30:00"),
      handedOff: false,
    };
    expect(resolutionOf(dialog, [dialog], at("2026-11-02T10:29:59"))).toBe("pending");
    expect(resolutionOf(dialog, [dialog], at("2026-11-02T10:30:00"))).toBe("resolved");
    const followUp = {
      ...dialog,
      id: "b",
      createdAt: at("2026-11-02T10:30:00"),
      lastMessageAt: at("2026-11-02T10:31:00"),
    };
    expect(resolutionOf(dialog, [dialog, followUp], at("2026-11-05T00:00:00"))).toBe("unresolved");
    const tooLate = { ...followUp, createdAt: at("2026-11-02T10:30:01") };
    expect(resolutionOf(dialog, [dialog, tooLate], at("2026-11-05T00:00:00"))).toBe("resolved");
  });

  it("takes the nearest-rank percentile", () => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => (i + 1) * 10),
        95,
      ),
    ).toBe(190);
    expect(percentile([], 95)).toBeNull();
  });

  it("reads the dialog id the widget writes into the cart, and nothing else", async () => {
    const widget = await import("node:fs/promises").then((fs) =>
      fs.readFile(new URL("../../extensions/support-chat-src/ui.ts", import.meta.url), "utf8"),
    );
    expect(widget).toContain(`const CART_ATTRIBUTE = "${CHAT_CART_ATTRIBUTE}"`);
    const dialogId = id();
    expect(chatDialogIdOf([{ key: "gift", value: "yes" }, ...chatted(dialogId)])).toBe(dialogId);
    expect(chatDialogIdOf([{ key: CHAT_CART_ATTRIBUTE, value: dialogId.toUpperCase() }])).toBeNull();
    expect(chatDialogIdOf([{ key: CHAT_CART_ATTRIBUTE, value: null }])).toBeNull();
    expect(chatAttributionTotals([])).toEqual({ attributedOrders: 0, attributedSales: 0 });
  });
});
