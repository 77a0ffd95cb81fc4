// Content pipeline benchmark: products created in the Shopify emulator flow through the real
// webhook intake, queue and worker (generate with the LLM emulator, publish with one productUpdate)
// until every one is live. Compares wall time with the lower bound the emulator's cost limits set.
//   npm run bench:pipeline   -> bench/results/pipeline.json
// BENCH_PRODUCTS (2000) at Plus (1000 points/s) and BENCH_STANDARD_PRODUCTS (200) at Standard, then
// a BENCH_PRODUCTS bulk run in one shop while another shop creates a product (fairness).
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { Redis } from "ioredis";

import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { startWorker } from "../tests/support/processes";
import { count, db, installShop, REDIS_URL, resetStores, rssMb, startBulkRun, startStack } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const PLUS_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const STANDARD_PRODUCTS = Number(process.env.BENCH_STANDARD_PRODUCTS ?? 200);

/** Waits until no queue holds a job (the echoes of the previous phase included), so phases do not overlap. */
async function queuesIdle() {
  const redis = new Redis(REDIS_URL);
  try {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const counts = await Promise.all(
        ["shop", "content", "orders"].flatMap((queue) => [
          redis.llen(`storewise:${queue}:wait`),
          redis.llen(`storewise:${queue}:active`),
          redis.zcard(`storewise:${queue}:delayed`),
          redis.zcard(`storewise:${queue}:prioritized`),
        ]),
      );
      if (counts.every((count) => count === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await redis.quit();
  }
}

/** Publishes one new product in a second shop and measures how long until it is live. */
async function probeOtherShop(control: EmulatorControl): Promise<number> {
  const other = `bench-other-${randomUUID().slice(0, 6)}.myshopify.com`;
  await installShop(control, other, "standard", "AUTO_PUBLISH");
  const probeStarted = Date.now();
  await control.createProduct(other, { title: "New arrival in another shop", vendor: "Saltwater" });
  while ((await liveCount(other)) < 1) {
    if (Date.now() - probeStarted > 120_000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - probeStarted;
}

/**
 * Fairness during a bulk run: shop A backfills its whole catalog (read through a Shopify bulk
 * operation, one item job per product) while shop B creates a product.
 */
async function backfillFairness(control: EmulatorControl, products: number) {
  await queuesIdle();
  const shop = `bench-backfill-${randomUUID().slice(0, 6)}.myshopify.com`;
  await installShop(control, shop, "plus", "AUTO_PUBLISH");
  await control.createProducts(shop, { count: products, silent: true, template: { descriptionHtml: "" } });
  const started = Date.now();
  const run = await startBulkRun(shop);
  const itemsDone = () =>
    count(`SELECT count(*) FROM "BackfillItem" WHERE "runId" = $1 AND status IN ('DONE', 'SKIPPED', 'FAILED')`, [
      run.runId,
    ]);
  while ((await itemsDone()) < Math.min(100, products)) await new Promise((resolve) => setTimeout(resolve, 100));
  const latencyMs = await probeOtherShop(control);
  const doneWhenProbed = await itemsDone();
  while ((await itemsDone()) < products) {
    if (Date.now() - started > 30 * 60_000) throw new Error("backfill: not done after 30 minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wallSeconds = (Date.now() - started) / 1000;
  await run.close();
  return {
    products,
    latencyMs,
    backfillItemsDoneWhenProbed: doneWhenProbed,
    backfillWallSeconds: Math.round(wallSeconds * 100) / 100,
  };
}

function liveCount(shop: string): Promise<number> {
  return count(`SELECT count(*) FROM "ProductContent" WHERE "shopDomain" = $1 AND status = 'LIVE'`, [shop]);
}

async function run(
  name: string,
  options: {
    control: EmulatorControl;
    llmStats: () => Promise<{ completionTokens: number; promptTokens: number; chatCompletions: number }>;
    workerPid?: number;
    plan: "plus" | "standard";
    products: number;
    fairnessProbe: boolean;
  },
) {
  const { control } = options;
  await queuesIdle();
  const shop = `bench-${name}-${randomUUID().slice(0, 6)}.myshopify.com`;
  await installShop(control, shop, options.plan, "AUTO_PUBLISH");
  const llmBefore = await options.llmStats();
  let peakRss = rssMb(options.workerPid);

  const started = Date.now();
  await control.createProducts(shop, {
    count: options.products,
    silent: false,
    template: { vendor: "Northwind", productType: "Gear", descriptionHtml: "" },
  });

  let fairness: { latencyMs: number } | null = null;
  if (options.fairnessProbe) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    fairness = { latencyMs: await probeOtherShop(control) };
  }

  let lastReport = 0;
  for (;;) {
    peakRss = Math.max(peakRss, rssMb(options.workerPid));
    const live = await liveCount(shop);
    if (live >= options.products) break;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.warn(`${name}: ${live}/${options.products} live after ${Math.round((Date.now() - started) / 1000)} s`);
    }
    if (Date.now() - started > 30 * 60_000) throw new Error(`${name}: not done after 30 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wallSeconds = (Date.now() - started) / 1000;
  await control.waitForWebhooks(60_000);
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the echoes drain

  const stats = await control.stats(shop);
  const llmAfter = await options.llmStats();
  const { rows: failed } = await db.query<{ count: string }>(
    `SELECT count(*) FROM "JobRun" WHERE "shopDomain" = $1 AND status = 'FAILED'`,
    [shop],
  );
  const limits =
    options.plan === "plus" ? { restoreRate: 1000, bucketSize: 10000 } : { restoreRate: 100, bucketSize: 1000 };
  const lowerBoundSeconds = Math.max(0, (stats.pointsSpent - limits.bucketSize) / limits.restoreRate);
  const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    products: options.products,
    plan: options.plan,
    limits,
    wallSeconds: round(wallSeconds),
    lowerBoundSeconds: round(lowerBoundSeconds),
    ratioToLowerBound: lowerBoundSeconds > 0 ? round(wallSeconds / lowerBoundSeconds, 3) : null,
    adminPointsPerProduct: round(stats.pointsSpent / options.products),
    adminWritesPerProduct: round((stats.operations.productUpdate ?? 0) / options.products, 3),
    metafieldsSetCalls: stats.operations.metafieldsSet ?? 0,
    failedJobs: Number(failed[0]?.count ?? 0),
    throttledAnswers: stats.throttled,
    llmTokensPerProduct: round(
      (llmAfter.promptTokens + llmAfter.completionTokens - llmBefore.promptTokens - llmBefore.completionTokens) /
        options.products,
    ),
    llmCallsPerProduct: round((llmAfter.chatCompletions - llmBefore.chatCompletions) / options.products, 3),
    workerPeakRssMb: peakRss,
    fairness,
  };
}

async function main() {
  await resetStores();
  const { env, llm, control, close } = await startStack({
    webhookConcurrency: 64,
    env: {
      // The local LLM emulator has no rate limit worth respecting; the Admin API is the bound here.
      LLM_REQUESTS_PER_MINUTE: "1000000",
      LLM_MAX_CONCURRENCY: "64",
      WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? "32",
    },
  });
  const worker = await startWorker(env);
  console.warn("app and worker started");
  const llmStats = async () => llm.stats();

  try {
    const plus = await run("plus", {
      control,
      llmStats,
      workerPid: worker.child.pid,
      plan: "plus",
      products: PLUS_PRODUCTS,
      fairnessProbe: true,
    });
    console.warn(`plus: ${JSON.stringify(plus)}`);
    const standard = await run("standard", {
      control,
      llmStats,
      workerPid: worker.child.pid,
      plan: "standard",
      products: STANDARD_PRODUCTS,
      fairnessProbe: false,
    });
    console.warn(`standard: ${JSON.stringify(standard)}`);
    const duringBackfill = await backfillFairness(control, PLUS_PRODUCTS);
    console.warn(`backfill fairness: ${JSON.stringify(duringBackfill)}`);
    const report = {
      benchmark: "content-pipeline",
      at: new Date().toISOString(),
      settings: { workerConcurrency: Number(env.WORKER_CONCURRENCY), llmLatencyMs: 0 },
      plus,
      standard,
      // A second shop's new product: while shop A's 2,000 new products arrive by webhook (plus.fairness)
      // and while shop A runs a 2,000-product bulk run (here).
      fairnessDuringBackfill: duringBackfill,
      bars: {
        plusRatio: { limit: 1.1, value: plus.ratioToLowerBound, met: (plus.ratioToLowerBound ?? Infinity) <= 1.1 },
        standardRatio: {
          limit: 1.1,
          value: standard.ratioToLowerBound,
          met: (standard.ratioToLowerBound ?? Infinity) <= 1.1,
        },
        writesPerProduct: { limit: 1, value: plus.adminWritesPerProduct, met: plus.adminWritesPerProduct <= 1 },
        failedAndThrottled: {
          limit: 0,
          value: plus.failedJobs + plus.throttledAnswers,
          met: plus.failedJobs + plus.throttledAnswers === 0,
        },
        fairnessDuringImportMs: {
          limit: 30_000,
          value: plus.fairness?.latencyMs ?? null,
          met: (plus.fairness?.latencyMs ?? Infinity) <= 30_000,
        },
        fairnessDuringBackfillMs: {
          limit: 30_000,
          value: duringBackfill.latencyMs,
          met: duringBackfill.latencyMs <= 30_000,
        },
      },
    };
    const file = path.join(ROOT, "bench/results/pipeline.json");
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.warn(`wrote ${path.relative(ROOT, file)}\n${JSON.stringify(report.bars)}`);
  } finally {
    await worker.stop();
    await close();
    await db.end();
  }
}

await main();
process.exit(0);
