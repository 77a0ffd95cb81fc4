import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { startWorker, type RunningProcess } from "../support/processes";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";

const control = emulatorControl(inject("shopifyUrl"));
let worker: RunningProcess;
const leftovers: string[] = [];

beforeAll(async () => {
  // Two content slots: a worker that slept while waiting for shop A's budget would block shop B.
  worker = await startWorker({ ...inject("appEnv"), WORKER_CONCURRENCY: "2" });
});
afterAll(async () => {
  await worker.stop();
  // Shop A's bulk run would otherwise keep running in the next test file's worker.
  const queues = queueInspector();
  const pending = await queues.jobs((job) => leftovers.includes((job.data as { shop?: string }).shop ?? ""));
  await Promise.all(pending.map((job) => job.remove().catch(() => undefined)));
  await queues.close();
  await prisma.$disconnect();
});

async function autoPublishShop(restoreRate: number, bucketSize: number) {
  const shop = `fair-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, restoreRate, bucketSize });
  await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
  return shop;
}

/** True once one of the shop's content jobs waits, delayed, for its Admin API budget to refill. */
async function waitingForBudget(shop: string) {
  const inspector = queueInspector();
  try {
    const delayed = await inspector.jobs((job) => (job.data as { shop?: string }).shop === shop, ["delayed"]);
    return delayed.length > 0;
  } finally {
    await inspector.close();
  }
}

const liveCount = (shop: string) => prisma.productContent.count({ where: { shopDomain: shop, status: "LIVE" } });

const waitFor = <T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number) =>
  eventually(check, { timeoutMs, context: () => worker.output().slice(-3000) });

/** Waits until the product's copy is live, failing with the worker's log. */
const published = (shop: string, productId: string) =>
  waitFor(async () => {
    const row = await prisma.productContent.findUnique({
      where: { shopDomain_productId: { shopDomain: shop, productId } },
    });
    return row?.status === "LIVE";
  }, 30_000);

describe("fairness between shops", () => {
  it("publishes a new product in shop B while shop A is out of Admin API budget", async () => {
    // Shop A: 100-point bucket refilling at 5 points/s; each product costs ~50 points (~10 s of
    // refill), so 12 products need about two minutes. A worker that waited for that refill inside
    // its two slots would hold shop B's job back by 10 s or more.
    const shopA = await autoPublishShop(5, 100);
    leftovers.push(shopA);
    const shopB = await autoPublishShop(1000, 1000);
    for (let index = 0; index < 12; index += 1) {
      await control.createProduct(shopA, { title: `Bulk Item ${index}`, vendor: "Northwind", productType: "Gear" });
    }
    // Shop A is out of budget once the worker has put one of its jobs back to wait for the refill.
    await waitFor(() => waitingForBudget(shopA), 30_000);

    const started = Date.now();
    const product = await control.createProduct(shopB, { title: "Urgent New Arrival", vendor: "Saltwater" });
    for (;;) {
      const row = await prisma.productContent.findUnique({
        where: { shopDomain_productId: { shopDomain: shopB, productId: product.id } },
      });
      if (row?.status === "LIVE") break;
      if (Date.now() - started > 15_000)
        throw new Error(`shop B not published in 15 s\n${worker.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const latencyMs = Date.now() - started;

    // Shop A is still working through its budget, without failures or THROTTLED answers.
    expect(await liveCount(shopA)).toBeLessThan(12);
    expect(latencyMs).toBeLessThan(5_000);
    expect((await control.stats(shopA)).throttled).toBe(0);
    expect(await prisma.jobRun.count({ where: { shopDomain: shopA, status: "FAILED" } })).toBe(0);
  });

  it("publishes a new product in shop B ahead of shop A's bulk run", async () => {
    const shopA = await autoPublishShop(1000, 10000);
    leftovers.push(shopA);
    const shopB = await autoPublishShop(1000, 1000);
    await control.createProducts(shopA, { count: 200, silent: true, template: { descriptionHtml: "" } });
    const run = await startBulkRun({ db: prisma, shop: shopA, selection: { scope: "ALL" } });
    const itemsOf = (status: "QUEUED" | "DONE") => prisma.bulkRunItem.count({ where: { runId: run.id, status } });
    await waitFor(async () => (await itemsOf("DONE")) >= 5, 20_000);

    const product = await control.createProduct(shopB, { title: "Arrival During A Bulk Run", vendor: "Saltwater" });
    await published(shopB, product.id);

    // Shop B did not wait for shop A's backlog: most of the run was still queued behind it.
    expect(await itemsOf("QUEUED")).toBeGreaterThan(100);
  });

  it("publishes a new product in shop B while shop A imports many products at once", async () => {
    const llm = new LlmEmulatorControl(inject("llmUrl"));
    const shopA = await autoPublishShop(1000, 10000);
    leftovers.push(shopA);
    const shopB = await autoPublishShop(1000, 1000);
    // A slower model keeps shop A's import queued for a while behind the two worker slots.
    await llm.setFaults({ latencyMs: 300 });
    try {
      await control.createProducts(shopA, { count: 60, silent: false, template: { descriptionHtml: "" } });
      await waitFor(async () => (await liveCount(shopA)) >= 3, 20_000);

      const product = await control.createProduct(shopB, { title: "Arrival During An Import", vendor: "Saltwater" });
      await published(shopB, product.id);

      // Shop B took its turn: most of shop A's import was still waiting.
      expect(await liveCount(shopA)).toBeLessThan(40);
    } finally {
      await llm.clearFaults();
    }
  });
});
