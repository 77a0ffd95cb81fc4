// Order and refund topics map to one order.upserted job carrying ids only (decision 018): the
// order's id, and its customer's id when the body names one; a refund names its order.
import { describe, expect, it } from "vitest";

import { ForeignDeliveryError } from "~/integrations/shopify/webhook-topics.server";
import { jobForWebhook } from "~/webhook-jobs.server";
import { samplePayload } from "../support/webhooks";

const shop = "topics.myshopify.com";
const job = (topic: Parameters<typeof jobForWebhook>[0], payload: unknown) =>
  jobForWebhook(topic, { shop, webhookId: "w-1", payload });

describe("order webhooks", () => {
  it.each(["orders/create", "orders/updated", "orders/cancelled"] as const)(
    "GIVEN %s THEN the job carries the order and customer ids, never the email",
    (topic) => {
      const queued = job(topic, samplePayload(topic, shop));
      expect(queued).toEqual({
        name: "order.upserted",
        payload: { shop, orderId: "gid://shopify/Order/9001", customerId: "501" },
      });
      expect(JSON.stringify(queued)).not.toContain("ana@example.com");
    },
  );

  it("GIVEN a guest order (no customer) THEN the job carries no customer", () => {
    expect(
      job("orders/create", { id: 9002, admin_graphql_api_id: "gid://shopify/Order/9002", customer: null }),
    ).toEqual({
      name: "order.upserted",
      payload: { shop, orderId: "gid://shopify/Order/9002", customerId: null },
    });
  });

  it("GIVEN refunds/create THEN the job re-reads the refund's order", () => {
    expect(job("refunds/create", samplePayload("refunds/create", shop))).toEqual({
      name: "order.upserted",
      payload: { shop, orderId: "gid://shopify/Order/9001", customerId: null },
    });
  });

  it("GIVEN an order body replayed as a refund, or a refund body without its order THEN it is refused", () => {
    expect(() => job("refunds/create", samplePayload("orders/create", shop))).toThrow(ForeignDeliveryError);
    expect(() => job("orders/cancelled", samplePayload("refunds/create", shop))).toThrow(ForeignDeliveryError);
    expect(() => job("refunds/create", { id: 1, admin_graphql_api_id: "gid://shopify/Refund/1" })).toThrow();
  });
});
