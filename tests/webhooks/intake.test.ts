import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { closeQueues } from "~/jobs/queues.server";
import { isAppError } from "~/lib/errors";
import { closeSharedRedis } from "~/lib/redis.server";
import { WEBHOOK_TOPICS } from "~/integrations/shopify/webhook-topics.server";
import { jobIdFor } from "~/webhook-jobs.server";
import { freePort } from "../support/ports";
import { allowErrorLogs } from "../support/error-logs";
import { startAppServer } from "../support/processes";
import { queueInspector } from "../support/queues";
import { installShopRecords, samplePayload, sendWebhook } from "../support/webhooks";

const appUrl = inject("appUrl");
const queues = queueInspector();
afterAll(() => queues.close());

const shop = "intake-shop.myshopify.com";
beforeAll(() => installShopRecords(prisma, shop));
afterAll(async () => {
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

describe("webhook intake", () => {
  it.each(WEBHOOK_TOPICS)("answers 401 to a forged HMAC on %s and queues nothing", async (topic) => {
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic,
      shop,
      payload: samplePayload(topic, shop),
      webhookId,
      secret: "forged-secret",
    });
    expect(response.status).toBe(401);
    expect(await queues.jobs((job) => job.id === webhookId)).toHaveLength(0);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const response = await fetch(`${appUrl}/webhooks/products/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(400);
  });

  it("answers 400 to a correctly signed body that is not JSON, or has the wrong shape", async () => {
    const notJson = await sendWebhook(appUrl, { topic: "products/create", shop, payload: null, rawBody: "{not json" });
    expect(notJson.status).toBe(400);
    const noId = await sendWebhook(appUrl, {
      topic: "products/create",
      shop,
      payload: { title: "No id", updated_at: "2026-01-01T10:00:00Z" },
    });
    expect(noId.status).toBe(400);
    expect(await noId.text()).toMatch(/payload has no id/);
  });

  it("answers 413 to an oversized body without reading it all", async () => {
    const huge = JSON.stringify({ id: 1, body_html: "x".repeat(6 * 1024 * 1024) });
    const response = await sendWebhook(appUrl, { topic: "products/create", shop, payload: null, rawBody: huge });
    expect(response.status).toBe(413);
  });

  it("queues a job that carries ids and fingerprints, not the payload", async () => {
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "products/create",
      shop,
      payload: samplePayload("products/create", shop),
      webhookId,
    });
    expect(response.status).toBe(200);
    const [job] = await queues.jobs((candidate) => candidate.id === webhookId);
    expect(job?.name).toBe("product.created");
    expect(job?.data).toEqual({
      shop,
      productId: "gid://shopify/Product/7001",
      factsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      descriptionHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      updatedAt: "2026-01-01T15:00:00.000Z",
    });
  });

  it("queues app/scopes_update in its 2025-07 shape, which carries shop_id", async () => {
    // shopify.dev changelog, "Add shop_id to app/scopes_update webhook payload" (2025-07).
    const webhookId = randomUUID();
    const payload = { ...(samplePayload("app/scopes_update", shop) as object), shop_id: 1 };
    const response = await sendWebhook(appUrl, { topic: "app/scopes_update", shop, payload, webhookId });
    expect(response.status).toBe(200);
    expect((await queues.jobs((job) => job.id === webhookId)).map((job) => job.name)).toEqual(["shop.scopes-updated"]);
  });

  it("enqueues a duplicate delivery (same X-Shopify-Webhook-Id) once", async () => {
    const webhookId = randomUUID();
    const delivery = { topic: "orders/create", shop, payload: samplePayload("orders/create", shop), webhookId };
    const responses = await Promise.all([sendWebhook(appUrl, delivery), sendWebhook(appUrl, delivery)]);
    const again = await sendWebhook(appUrl, delivery);
    expect([...responses, again].map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await queues.jobs((job) => job.id === webhookId)).toHaveLength(1);
  });

  it("answers 400 when a topic is posted to another topic's endpoint", async () => {
    const response = await fetch(`${appUrl}/webhooks/orders/create`, {
      method: "POST",
      headers: (await signedHeaders("products/create")).headers,
      body: (await signedHeaders("products/create")).body,
    });
    expect(response.status).toBe(400);
  });
});

describe("a delivery that can never be queued", () => {
  // 503 tells Shopify "try again later"; these fail the same way on every try, so they must not get it.
  it("answers 400, not 503, to a signed delivery whose X-Shopify-Shop-Domain is no shop domain", async () => {
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "products/create",
      shop: "evil.example.com",
      payload: samplePayload("products/create", shop),
      webhookId,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("Retry-After")).toBeNull();
    expect(await queues.jobs((job) => job.id === jobIdFor(webhookId))).toHaveLength(0);
  });
  it.each(["12345", "evt:42"])(
    "queues a delivery whose webhook id BullMQ refuses as a job id (%s) once, instead of answering 503",
    async (webhookId) => {
      const delivery = { topic: "orders/create", shop, payload: samplePayload("orders/create", shop), webhookId };
      const first = await sendWebhook(appUrl, delivery);
      const again = await sendWebhook(appUrl, delivery);
      expect([first.status, again.status]).toEqual([200, 200]);
      const jobs = await queues.jobs((job) => job.name === "order.upserted" && job.id?.startsWith("webhook-") === true);
      const mine = jobs.filter((job) => job.id === jobIdFor(webhookId));
      expect(mine).toHaveLength(1);
    },
  );

  it("tells a command Redis refuses from Redis being out of reach", async () => {
    // BullMQ refuses an integer job id on every try: not QUEUE_UNAVAILABLE (which callers retry).
    const refused = await enqueue("order.upserted", { shop, orderId: "gid://shopify/Order/1" }, { jobId: "123" }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(isAppError(refused, "QUEUE_UNAVAILABLE")).toBe(false);
  });

  it("answers 400, not 503 or 500, when the delivery maps to a job its schema refuses", async () => {
    // Shopify's header is not validated by the library; a shop domain outside *.myshopify.com
    // with a session (so it gets as far as the queue) fails the job's schema on every try.
    const odd = "Odd-Case.myshopify.com";
    await installShopRecords(prisma, odd);
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "orders/create",
      shop: odd,
      payload: samplePayload("orders/create", odd),
      webhookId,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/myshopify\.com/);
    expect(await queues.jobs((job) => job.id === webhookId)).toHaveLength(0);
  });
});

describe("webhook intake while Redis is unreachable", () => {
  it("answers 503 quickly, so Shopify retries the delivery later", async () => {
    allowErrorLogs(/^webhook not queued; answering 503 so Shopify retries: could not enqueue product\.created/);
    const port = await freePort();
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const app = await startAppServer(
      { ...inject("appEnv"), REDIS_URL: deadRedis, SHOPIFY_APP_URL: `http://127.0.0.1:${port}` },
      port,
    );
    try {
      const started = Date.now();
      const response = await sendWebhook(app.url, {
        topic: "products/create",
        shop,
        payload: samplePayload("products/create", shop),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await app.stop();
    }
  });
});

async function signedHeaders(topic: string) {
  const { createHmac } = await import("node:crypto");
  const { TEST_API_SECRET } = await import("../support/test-env");
  const body = JSON.stringify(samplePayload(topic, shop));
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
    },
  };
}
