import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { shopifyStore } from "~/integrations/shopify/shopify-store.server";
import { enqueue } from "~/jobs/enqueue.server";
import { bulkPriority, LIVE_PRIORITY_MAX } from "~/jobs/fair-share.server";
import { cancelBulkRun } from "~/services/content/bulk-runs/cancel-bulk-run.server";
import { loadBulkRuns, UNCHANGED_OUTCOME } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { retryBulkRunItems } from "~/services/content/bulk-runs/retry-bulk-run-items.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import type { BulkRunSelection } from "~/services/content/bulk-runs/bulk-run-scope";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";
import { adminClientFor } from "~/shopify.server";

const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker({ waitMs: 30_000 });

async function newShop(options: { plan?: "standard" | "plus"; contentMode?: "REVIEW" | "AUTO_PUBLISH" } = {}) {
  const shop = `bulk-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, plan: options.plan });
  await prisma.shopSettings.updateMany({
    where: { shop: { domain: shop } },
    data: { contentMode: options.contentMode ?? "REVIEW" },
  });
  return shop;
}

async function run(shop: string, selection: BulkRunSelection) {
  const started = await startBulkRun({ db: prisma, shop, selection });
  return started.id;
}

const finished = (shop: string, runId: string) =>
  waitUntil(async () => {
    const { latest } = await loadBulkRuns({ db: prisma, shop });
    return latest?.id === runId && latest.status !== "READING" && latest.status !== "RUNNING" ? latest : null;
  }, 60_000);

/** True once the job of every item of the run has finished (its audit row is terminal). */
async function itemJobsFinished(runId: string) {
  const items = await prisma.bulkRunItem.findMany({ where: { runId }, select: { id: true } });
  const finished = await prisma.jobRun.count({
    where: { jobId: { in: items.map((item) => `bulk-run-item-${item.id}`) }, status: { in: ["COMPLETED", "FAILED"] } },
  });
  return items.length > 0 && finished === items.length;
}

describe("a bulk run over a small catalog", () => {
  it("writes copy for the products without a description and leaves the others alone", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    await control.createProducts(shop, {
      count: 4,
      silent: true,
      template: { descriptionHtml: "", title: "Bare {i}" },
    });
    const kept = await control.createProduct(
      shop,
      { title: "Written Already", descriptionHtml: "<p>The merchant's own words.</p>" },
      { silent: true },
    );

    const progress = await finished(shop, await run(shop, { scope: "MISSING_DESCRIPTION" }));

    expect(progress).toMatchObject({ status: "COMPLETED", total: 4, done: 4, failed: 0, remaining: 0 });
    // The run's cost is the sum of its products' copy, as the LLM billed it.
    const billed = await prisma.contentVersion.aggregate({
      where: { productContent: { shopDomain: shop } },
      _sum: { promptTokens: true, completionTokens: true },
    });
    expect(progress?.tokens).toBe((billed._sum.promptTokens ?? 0) + (billed._sum.completionTokens ?? 0));
    expect(progress?.tokens).toBeGreaterThan(0);
    const products = await control.listProducts(shop);
    for (const listed of products.filter((candidate) => candidate.title.startsWith("Bare"))) {
      const product = await control.getProduct(shop, listed.id);
      expect(product.descriptionHtml).not.toBe("");
      expect(product.seo.title).toBeTruthy();
    }
    expect((await control.getProduct(shop, kept.id)).descriptionHtml).toBe("<p>The merchant's own words.</p>");
    const stats = await control.stats(shop);
    expect(stats.operations.productUpdate).toBe(4);
    expect(stats.operations.bulkOperationRunQuery ?? 0).toBe(0);
    expect(stats.throttled).toBe(0);
  });

  it("covers one collection or one tag, and a second run costs 0 tokens for unchanged products", async () => {
    const shop = await newShop();
    await control.createProducts(shop, {
      count: 3,
      silent: true,
      template: { descriptionHtml: "", title: "Summer {i}", collections: [{ title: "Summer" }], tags: ["sun"] },
    });
    await control.createProducts(shop, {
      count: 2,
      silent: true,
      template: { descriptionHtml: "", title: "Other {i}" },
    });
    const collections = await shopifyStore(adminClientFor(shop)).collections();
    const summer = collections.find((collection) => collection.title === "Summer");
    expect(summer).toBeDefined();

    const byCollection = await finished(
      shop,
      await run(shop, { scope: "COLLECTION", collectionId: summer!.id, collectionTitle: "Summer" }),
    );
    expect(byCollection).toMatchObject({ status: "COMPLETED", scope: "Collection: Summer", total: 3, done: 3 });

    const before = await llmControl.stats();
    const byTag = await finished(shop, await run(shop, { scope: "TAG", tag: "sun" }));
    // Unchanged products count as skipped, so the savings show.
    expect(byTag).toMatchObject({ status: "COMPLETED", total: 3, done: 0, skipped: 3, unchanged: 3, tokens: 0 });
    expect((await llmControl.stats()).chatCompletions - before.chatCompletions).toBe(0);
    const outcomes = await prisma.bulkRunItem.findMany({ where: { runId: byTag.id }, select: { outcome: true } });
    expect(outcomes.map((item) => item.outcome)).toEqual(Array(3).fill(UNCHANGED_OUTCOME));
  });
});

describe("a bulk run over a large catalog", () => {
  it("reads the catalog through a Shopify bulk operation", async () => {
    const shop = await newShop({ plan: "plus" });
    await control.createProducts(shop, { count: 300, silent: true });
    await control.createProducts(shop, {
      count: 5,
      silent: true,
      template: { descriptionHtml: "", title: "Bare {i}" },
    });

    const progress = await finished(shop, await run(shop, { scope: "MISSING_DESCRIPTION" }));

    expect(progress).toMatchObject({ status: "COMPLETED", total: 5, done: 5, failed: 0 });
    expect((await control.stats(shop)).operations.bulkOperationRunQuery).toBe(1);
    const drafted = await prisma.productContent.findMany({ where: { shopDomain: shop }, select: { title: true } });
    expect(drafted.map((record) => record.title).sort()).toEqual([
      "Bare 301",
      "Bare 302",
      "Bare 303",
      "Bare 304",
      "Bare 305",
    ]);
  });

  it("can be canceled: products not started are never written and cost no tokens", async () => {
    const shop = await newShop({ plan: "plus" });
    await control.createProducts(shop, { count: 400, silent: true, template: { descriptionHtml: "" } });
    const runId = await run(shop, { scope: "ALL" });
    await waitUntil(async () => (await prisma.bulkRunItem.count({ where: { runId, status: "DONE" } })) >= 5);

    const { canceled } = await cancelBulkRun({ db: prisma, shop, runId });

    expect(canceled).toBeGreaterThan(0);
    // Products already being written when the run stopped finish; the canceled ones' jobs still
    // run, find their item canceled and do nothing. Once every item's own job has finished,
    // nothing of the run is left to write anything.
    await waitUntil(() => itemJobsFinished(runId), 60_000);
    const settledDrafts = await prisma.contentVersion.count({ where: { productContent: { shopDomain: shop } } });
    const { latest } = await loadBulkRuns({ db: prisma, shop });
    expect(latest).toMatchObject({ status: "CANCELED", remaining: 0 });
    expect(latest!.canceled).toBeGreaterThan(300);
    expect(latest!.done + latest!.canceled).toBe(400);
    expect(settledDrafts).toBe(latest!.done);
  });
});

describe("a failed product in a bulk run", () => {
  it("is listed with its error and can be retried once the cause is fixed", async () => {
    const shop = await newShop();
    await control.createProducts(shop, { count: 2, silent: true, template: { descriptionHtml: "" } });
    const broken = await control.createProduct(
      shop,
      { title: "Broken Reply Mug [[emulator:invalid-json]]", descriptionHtml: "" },
      { silent: true },
    );

    const progress = await finished(shop, await run(shop, { scope: "ALL" }));

    expect(progress).toMatchObject({ status: "COMPLETED", total: 3, done: 2, failed: 1 });
    expect(progress.failures).toEqual([
      expect.objectContaining({ title: broken.title, errorCode: "LLM_INVALID_OUTPUT", error: expect.any(String) }),
    ]);

    await control.updateProduct(shop, broken.id, { title: "Repaired Mug" }, { silent: true });
    const { retried } = await retryBulkRunItems({ db: prisma, shop, runId: progress.id });
    expect(retried).toBe(1);
    const after = await finished(shop, progress.id);
    expect(after).toMatchObject({ status: "COMPLETED", done: 3, failed: 0, failures: [] });
  });

  it("records a product deleted after the catalog was read", async () => {
    const shop = await newShop();
    const product = await control.createProduct(shop, { title: "Short-lived Scarf" }, { silent: true });
    await control.deleteProduct(shop, product.id, { silent: true });
    // What a read left behind just before the product was deleted: its item, queued.
    const queued = await prisma.bulkRun.create({
      data: {
        shopDomain: shop,
        scope: "ALL",
        status: "RUNNING",
        total: 1,
        queuedAt: new Date(),
        items: { create: { productId: product.id, title: "Short-lived Scarf" } },
      },
      include: { items: true },
    });
    await enqueue("bulk-run.item", { shop, itemId: queued.items[0]!.id }, { jobId: `test-${queued.items[0]!.id}` });

    const progress = await finished(shop, queued.id);

    expect(progress).toMatchObject({ status: "COMPLETED", failed: 1 });
    expect(progress.failures).toEqual([
      expect.objectContaining({
        title: "Short-lived Scarf",
        errorCode: "RESOURCE_NOT_FOUND",
        error: "The product was deleted before its copy could be written.",
      }),
    ]);
  });
});

describe("bad bulk run requests", () => {
  it("refuses a second run while one is in progress, and cancel of a finished run", async () => {
    const shop = await newShop({ plan: "plus" });
    await control.createProducts(shop, { count: 300, silent: true, template: { descriptionHtml: "" } });
    const runId = await run(shop, { scope: "ALL" });
    await expect(run(shop, { scope: "ALL" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      userMessage: "A bulk run is already in progress. Cancel it or wait for it to finish.",
    });
    await cancelBulkRun({ db: prisma, shop, runId });
    await expect(cancelBulkRun({ db: prisma, shop, runId })).rejects.toMatchObject({
      userMessage: "That bulk run has already finished.",
    });
    // Two clicks at the same moment start one run.
    const racing = await newShop();
    const attempts = await Promise.allSettled([run(racing, { scope: "ALL" }), run(racing, { scope: "ALL" })]);
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await prisma.bulkRun.count({ where: { shopDomain: racing } })).toBe(1);
    // Another shop cannot touch this shop's run.
    const other = await newShop();
    await expect(retryBulkRunItems({ db: prisma, shop: other, runId })).rejects.toMatchObject({
      code: "RESOURCE_NOT_FOUND",
    });
  });
});

describe("bulk item priorities", () => {
  it("stay within what BullMQ accepts for a run of any size, after all live work", () => {
    expect(bulkPriority(0)).toBe(LIVE_PRIORITY_MAX + 1);
    expect(bulkPriority(5_000_000)).toBe(2_097_151);
  });
});
