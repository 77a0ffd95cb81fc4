import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, inject, it, vi } from "vitest";

// This file's app code talks to a Redis that is not there (nothing listens on port 1); Postgres
// is the real one. Set before any app module reads its env.
vi.hoisted(() => {
  process.env.REDIS_URL = "redis://127.0.0.1:1/0";
});

import { prisma } from "~/db.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { retryBulkRunItems } from "~/services/content/bulk-runs/retry-bulk-run-items.server";
import { resumePausedProducts } from "~/services/content/resume-paused-products.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";

const control = emulatorControl(inject("shopifyUrl"));

afterAll(async () => {
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

async function newShop() {
  const shop = `noredis-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  return shop;
}

describe("when the queue cannot be reached", () => {
  it("resuming paused products leaves them paused, so the merchant can resume again", async () => {
    const shop = await newShop();
    await prisma.productContent.createMany({
      data: [1, 2, 3].map((i) => ({
        shopDomain: shop,
        productId: `gid://shopify/Product/${i}`,
        title: `Paused ${i}`,
        status: "PAUSED" as const,
        skippedReason: "This month's token cap is used up",
      })),
    });
    await expect(resumePausedProducts({ db: prisma, shop })).rejects.toMatchObject({ code: "QUEUE_UNAVAILABLE" });
    const rows = await prisma.productContent.findMany({ where: { shopDomain: shop } });
    expect(rows.map((row) => row.status)).toEqual(["PAUSED", "PAUSED", "PAUSED"]);
  });

  it("retrying failed bulk-run items leaves them failed with Retry, and the run as it was", async () => {
    const shop = await newShop();
    const run = await prisma.bulkRun.create({
      data: { shopDomain: shop, scope: "ALL", status: "COMPLETED", total: 2, finishedAt: new Date() },
    });
    await prisma.bulkRunItem.createMany({
      data: [1, 2].map((i) => ({
        runId: run.id,
        productId: `gid://shopify/Product/${i}`,
        title: `Failed ${i}`,
        status: "FAILED" as const,
        errorCode: "LLM_UNAVAILABLE",
        error: "The AI service is unavailable right now.",
      })),
    });
    await expect(retryBulkRunItems({ db: prisma, shop, runId: run.id })).rejects.toMatchObject({
      code: "QUEUE_UNAVAILABLE",
    });
    const items = await prisma.bulkRunItem.findMany({ where: { runId: run.id } });
    expect(items.map((item) => item.status)).toEqual(["FAILED", "FAILED"]);
    expect(items.every((item) => item.error !== null)).toBe(true);
    expect((await prisma.bulkRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("COMPLETED");
  });
});
