import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { isAppError } from "~/lib/errors";
import { registry } from "~/lib/metrics.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";

const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);

const PRODUCTS = `#graphql
  query AdminClientTestProducts {
    products(first: 5) {
      nodes {
        id
        title
      }
    }
  }
`;

const UPDATE_PRODUCT = `#graphql
  mutation AdminClientTestUpdate($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** A client as another process would build it: its own instance, the same Redis bucket. */
function clientFor(shop: string, token: string, options: { maxWaitMs?: number; prefix?: string } = {}) {
  let current = token;
  return new AdminClient({
    shop,
    origin: shopifyUrl,
    token: { get: async () => current, invalidate: () => (current = token) },
    bucket: redisCostBucket(redis, options.prefix),
    maxWaitMs: options.maxWaitMs,
  });
}

async function newShop(restoreRate: number, bucketSize: number) {
  const shop = `admin-${randomUUID().slice(0, 8)}.myshopify.com`;
  const accessToken = `shpat_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken, restoreRate, bucketSize });
  await control.createProducts(shop, { count: 10, silent: true });
  return { shop, accessToken };
}

beforeAll(async () => {
  await control.clearFaults();
});
afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

describe("the Admin client against the emulator's leaky bucket", () => {
  it("paces a burst from two processes to the bucket without a single THROTTLED answer", async () => {
    // A tiny bucket (60 points, 40/s) makes 60 requests of ~7 points need ~10 s of refill.
    const { shop, accessToken } = await newShop(40, 60);
    const prefix = `bucket-${randomUUID()}`;
    const processA = clientFor(shop, accessToken, { prefix });
    const processB = clientFor(shop, accessToken, { prefix });
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        (index % 2 ? processA : processB).request<{ products: { nodes: unknown[] } }>(PRODUCTS),
      ),
    );
    const elapsedMs = Date.now() - started;
    expect(results.every((result) => result.products.nodes.length === 5)).toBe(true);

    const stats = await control.stats(shop);
    expect(stats.throttled).toBe(0);
    // Pacing, not luck: the points spent beyond the initial bucket took at least the refill time.
    const floorMs = ((stats.pointsSpent - 60) / 40) * 1000;
    expect(elapsedMs).toBeGreaterThanOrEqual(floorMs * 0.9);
  });

  it("retries a THROTTLED answer inside HTTP 200 and returns the data", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    await control.setFaults({ shop, throttleNext: 2 });
    const throttlesBefore = await metricValue("storewise_admin_api_throttled_total");
    const result = await clientFor(shop, accessToken).request<{ products: { nodes: unknown[] } }>(PRODUCTS);
    expect(result.products.nodes).toHaveLength(5);
    expect((await control.stats(shop)).throttled).toBe(2);
    // Throttles, requests and points are counted for /metrics.
    expect((await metricValue("storewise_admin_api_throttled_total")) - throttlesBefore).toBe(2);
    expect(await metricValue("storewise_admin_api_points_total")).toBeGreaterThan(0);
  });

  it("retries 5xx answers with backoff", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    await control.setFaults({ shop, graphql5xx: 2, status: 503 });
    const result = await clientFor(shop, accessToken).request<{ products: { nodes: unknown[] } }>(PRODUCTS);
    expect(result.products.nodes).toHaveLength(5);
    expect((await control.stats(shop)).faultsInjected).toBe(2);
  });

  it("never sends a mutation twice: a 5xx after sending goes back to the caller marked sent", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    const [product] = (
      await clientFor(shop, accessToken).request<{ products: { nodes: Array<{ id: string }> } }>(PRODUCTS)
    ).products.nodes;
    await control.setFaults({ shop, graphql5xx: 1, status: 502 });
    const error = await clientFor(shop, accessToken)
      .mutate(UPDATE_PRODUCT, { product: { id: product!.id, title: "Once Only" } }, "productUpdate")
      .catch((caught: unknown) => caught);
    // The emulator failed the answer, not necessarily the write: a second send could write twice.
    expect(isAppError(error, "ADMIN_API_HTTP_ERROR")).toBe(true);
    expect((error as { details: { sent?: boolean } }).details.sent).toBe(true);
    expect((await control.stats(shop)).faultsInjected).toBe(1);
    expect((await control.stats(shop)).operations?.productUpdate ?? 0).toBeLessThanOrEqual(1);
  });

  it("turns userErrors into an ADMIN_API_USER_ERRORS error naming the field", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    const error = await clientFor(shop, accessToken)
      .mutate(UPDATE_PRODUCT, { product: { id: "gid://shopify/Product/999999999", title: "Ghost" } }, "productUpdate")
      .catch((caught: unknown) => caught);
    expect(isAppError(error, "ADMIN_API_USER_ERRORS")).toBe(true);
    expect((error as Error).message).toMatch(/id: Product does not exist/);
  });

  it("fails fast with ADMIN_API_BUDGET_EXHAUSTED when the wait would exceed the caller's limit", async () => {
    const { shop, accessToken } = await newShop(10, 50);
    const client = clientFor(shop, accessToken, { maxWaitMs: 100, prefix: `budget-${randomUUID()}` });
    await client.request(PRODUCTS); // learns the cost and the plan
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => client.request(PRODUCTS)));
    const exhausted = outcomes.filter(
      (outcome) => outcome.status === "rejected" && isAppError(outcome.reason, "ADMIN_API_BUDGET_EXHAUSTED"),
    );
    expect(exhausted.length).toBeGreaterThan(0);
    const reason = (exhausted[0] as PromiseRejectedResult).reason as { details: { retryInMs: number } };
    expect(reason.details.retryInMs).toBeGreaterThan(100);
    expect((await control.stats(shop)).throttled).toBe(0);
  });

  // 402 (frozen, unpaid) and 423 (locked): https://shopify.dev/docs/api/usage/response-codes.
  it("fails a frozen or locked shop's call at once with SHOP_UNAVAILABLE, without retrying it", async () => {
    for (const [state, status] of [
      ["frozen", 402],
      ["locked", 423],
    ] as const) {
      const { shop, accessToken } = await newShop(1000, 1000);
      await control.setShopState(shop, state);
      const error = await clientFor(shop, accessToken)
        .request(PRODUCTS)
        .catch((caught: unknown) => caught);
      expect(isAppError(error, "SHOP_UNAVAILABLE")).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(false);
      expect((error as { details: Record<string, unknown> }).details).toMatchObject({ shop, state, status });
      // One request: not retried like a 5xx, and no token reload like a 401.
      expect((await control.stats(shop)).shopUnavailable).toBe(1);
    }
  });

  // A 429 (REST-style, which Shopify can also send GraphQL clients) carries Retry-After:
  // https://shopify.dev/docs/api/admin-rest/usage/rate-limits
  it("waits out a 429's Retry-After before trying again", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    await control.setFaults({ shop, http429Next: 1, retryAfterSeconds: 1.5 });
    const started = Date.now();
    const result = await clientFor(shop, accessToken).request<{ products: { nodes: unknown[] } }>(PRODUCTS);
    expect(result.products.nodes).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect((await control.stats(shop)).throttled).toBe(1);
  });

  it("reports a revoked token as ADMIN_API_UNAUTHORIZED after reloading it once", async () => {
    const { shop, accessToken } = await newShop(1000, 1000);
    await control.revokeToken(shop, accessToken);
    // A revoked token no longer names its shop, so the emulator counts it globally.
    const before = (await control.stats()).unauthorized;
    const error = await clientFor(shop, accessToken)
      .request(PRODUCTS)
      .catch((caught: unknown) => caught);
    expect(isAppError(error, "ADMIN_API_UNAUTHORIZED")).toBe(true);
    expect((await control.stats()).unauthorized - before).toBe(2);
  });
});

async function metricValue(name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return (metric?.values ?? []).reduce((sum, value) => sum + Number(value.value), 0);
}
