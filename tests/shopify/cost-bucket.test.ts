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

    const waits = await Promise.all(
      Array.from({ length: 4 }, async () => (await bucket.reserve(shop, 50, 60_000)).waitMs),
    );
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
    expect((await bucket.reserve(shop, 10, 0)).waitMs).toBe(0);
  });

  it("refunds unspent points and never believes it has more than Shopify reports", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "refund.myshopify.com";
    await bucket.settle(shop, { refund: 0, status: status(1000, 1000, 100) });
    const reservation = await bucket.reserve(shop, 600, 0);
    // The request actually cost 100: 500 come back.
    await bucket.settle(shop, { refund: 500, status: status(900, 1000, 100), reservation });
    expect((await bucket.reserve(shop, 850, 0)).waitMs).toBe(0);
    // Shopify says only 20 are left (someone else spent them): we follow it down.
    await bucket.settle(shop, { refund: 0, status: status(20, 1000, 100) });
    const { waitMs } = await bucket.reserve(shop, 120, 10_000);
    expect(waitMs).toBeGreaterThan(900);
  });

  it("lets a request dearer than the assumed plan go on a cold shop once that bucket is full, instead of refusing it for ever", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "cold-dear.myshopify.com";
    // A 172-point order read on a shop never called: the assumed bucket (100) is full, so it goes.
    expect((await bucket.reserve(shop, 172, 100)).waitMs).toBe(0);
    // The next waits for the assumed bucket to refill (a short retry), not for 172 points it can never hold.
    const refused = await bucket.reserve(shop, 172, 100).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).retryInMs).toBeLessThanOrEqual(250);
  });

  it("starts from Shopify's figure, not the assumed small plan, once the first answer reports it", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "cold.myshopify.com";
    // Cold: the assumed plan (100 points) covers one reservation of 60; a second is refused, with a
    // short retry hint because the real plan is not known yet.
    const first = await bucket.reserve(shop, 60, 100);
    const refused = await bucket.reserve(shop, 60, 100).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).retryInMs).toBeLessThanOrEqual(250);
    const second = await bucket.reserve(shop, 30, 100);
    // Shopify answers the first: a 1000-point bucket with 990 left. Nothing else settled meanwhile,
    // so the mirror rises to that figure less the 30 still in flight.
    await bucket.settle(shop, { refund: 50, status: status(990, 1000, 100), reservation: first });
    expect((await bucket.reserve(shop, 950, 0)).waitMs).toBe(0);
    // The second's answer is no longer the freshest (another settle came first): it may only lower.
    await bucket.settle(shop, { refund: 20, status: status(995, 1000, 100), reservation: second });
    const later = await bucket.reserve(shop, 200, 10_000);
    expect(later.waitMs).toBeGreaterThan(1_000);
  });

  it("never rises above Shopify's figure less the reservations still in flight", async () => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "inflight.myshopify.com";
    await bucket.settle(shop, { refund: 0, status: status(1000, 1000, 100) });
    const a = await bucket.reserve(shop, 400, 0);
    await bucket.reserve(shop, 400, 0); // still in flight when a settles
    // a cost 400; Shopify's figure (600) counts a but not the other reservation.
    await bucket.settle(shop, { refund: 0, status: status(600, 1000, 100), reservation: a });
    const refused = await bucket.reserve(shop, 300, 0).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(BudgetExceededError);
  });

  // Shopify's plans ("API rate limits", https://shopify.dev/docs/api/usage/limits#rate-limits):
  // the mirror takes the bucket and the restore rate from throttleStatus, assuming no size.
  it.each([
    [2000, 100],
    [4000, 200],
    [20000, 1000],
    [40000, 2000],
  ])("spends a whole %i-point bucket at once and then paces to its %i points/s", async (size, rate) => {
    const bucket = redisCostBucket(() => connection, `test-bucket-${randomUUID()}`);
    const shop = "plan.myshopify.com";
    await bucket.settle(shop, { refund: 0, status: status(size, size, rate) });
    for (let spent = 0; spent < size; spent += 1000) expect((await bucket.reserve(shop, 1000, 0)).waitMs).toBe(0);
    // Empty now: the next 1,000 points take 1000 / rate seconds to come back.
    const { waitMs } = await bucket.reserve(shop, 1000, 60_000);
    expect(waitMs).toBeGreaterThan((1000 / rate) * 1000 - 50);
    expect(waitMs).toBeLessThanOrEqual((1000 / rate) * 1000);
  });
});
