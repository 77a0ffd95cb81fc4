import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { BudgetExceededError, redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { TEST_REDIS_URL } from "../support/test-env";

const connection = new Redis(TEST_REDIS_URL);
afterAll(() => connection.quit());

const status = (currentlyAvailable: number, maximumAvailable = 1000, restoreRate = 100) => ({
  currentlyAvailable,
  maximumAvailable,
  restoreRate,
});

describe("the shared Admin API cost bucket (real Redis)", () => {
  it("queues concurrent callers: each later reservation waits for the refill the earlier ones used", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "queue.myshopify.com";
    // Learn the plan: 100 points, 50/s restore, 100 available.
    await bucket.settle(shop, { refund: 0, status: status(100, 100, 50) });

    const waits = await Promise.all(Array.from({ length: 4 }, () => bucket.reserve(shop, 50, 60_000)));
    const sorted = [...waits].sort((a, b) => a - b);
    // 100 points cover two requests; the third waits ~1 s (50 points at 50/s), the fourth ~2 s.
    expect(sorted[0]).toBe(0);
    expect(sorted[1]).toBe(0);
    expect(sorted[2]).toBeGreaterThan(900);
    expect(sorted[2]).toBeLessThanOrEqual(1000);
    expect(sorted[3]).toBeGreaterThan(1900);
    expect(sorted[3]).toBeLessThanOrEqual(2000);
  });

  it("refuses a reservation that would wait longer than the caller accepts, without taking the points", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "budget.myshopify.com";
    await bucket.settle(shop, { refund: 0, status: status(10, 100, 10) });
    const error = await bucket.reserve(shop, 60, 1_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).retryInMs).toBeGreaterThan(4_000);
    // Nothing was taken: a small request still fits right away.
    await expect(bucket.reserve(shop, 10, 0)).resolves.toBe(0);
  });

  it("refunds unspent points and never believes it has more than Shopify reports", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "refund.myshopify.com";
    await bucket.settle(shop, { refund: 0, status: status(1000, 1000, 100) });
    await bucket.reserve(shop, 600, 0);
    // The request actually cost 100: 500 come back.
    await bucket.settle(shop, { refund: 500, status: status(900, 1000, 100) });
    await expect(bucket.reserve(shop, 850, 0)).resolves.toBe(0);
    // Shopify says only 20 are left (someone else spent them): we follow it down.
    await bucket.settle(shop, { refund: 0, status: status(20, 1000, 100) });
    const wait = await bucket.reserve(shop, 120, 10_000);
    expect(wait).toBeGreaterThan(900);
  });
});
