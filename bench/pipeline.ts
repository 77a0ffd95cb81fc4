// Content pipeline benchmark: products created in the Shopify emulator flow through the real
// webhook intake, queue and worker (generate with the LLM emulator, publish with one productUpdate)
// until every one is live. Compares wall time with the lower bound the emulator's cost limits set.
//   npm run bench:pipeline   -> bench/results/pipeline.json
// BENCH_PRODUCTS (2000) at Plus and BENCH_STANDARD_PRODUCTS (200) at Standard, then a BENCH_PRODUCTS
// bulk run in one shop while another shop creates a product (fairness).
//
// The bound is the time Shopify's bucket allows for the Admin API work the run really did. The
// bucket (B points, Shopify's `maximumAvailable`) starts full and restores R points/s, so by time t
// an app can have spent at most B + R·t points; spending P points takes at least
//     lowerBoundSeconds = max(0, (P − B) / R)
// with P the points the emulator charged the shop (actual costs, after refunds), and B and R
// Shopify's documented plan limits (tests/emulators/shopify/bucket.ts: Standard 2,000 / 100 per s,
// Plus 20,000 / 1,000 per s), checked against the throttleStatus the shop reports.
//
// CPU: seconds of user + system time per 1,000 products over each phase (from the first product to
// the last echo handled), for the worker and the web app (from /proc) and for this process, which
// runs both emulators (process.cpuUsage). Postgres and Redis are shared with the machine and not
// attributed.
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { Redis } from "ioredis";

import { PLAN_LIMITS } from "../tests/emulators/shopify/bucket";
import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { startWorker } from "../tests/support/processes";
import { count, cpuSeconds, db, installShop, REDIS_URL, resetStores, rssMb, startBulkRun, startStack } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const PLUS_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const STANDARD_PRODUCTS = Number(process.env.BENCH_STANDARD_PRODUCTS ?? 200);

/** Waits until no queue holds a job (the echoes of the previous phase included), so phases do not overlap. */
async function queuesIdle() {
  const redis = new Redis(REDIS_URL);
  try {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const counts = await Promise.all(
        ["shop", "content", "orders", "translation"].flatMap((queue) => [
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
 * Fairness during a bulk run: shop A runs a bulk run over its whole catalog (read through a Shopify bulk
 * operation, one item job per product) while shop B creates a product.
 */
async function bulkRunFairness(control: EmulatorControl, products: number) {
  await queuesIdle();
  const shop = `bench-bulk-run-${randomUUID().slice(0, 6)}.myshopify.com`;
  await installShop(control, shop, "plus", "AUTO_PUBLISH");
  await control.createProducts(shop, { count: products, silent: true, template: { descriptionHtml: "" } });
  const started = Date.now();
  const run = await startBulkRun(shop);
  const itemsDone = () =>
    count(`SELECT count(*) FROM "BulkRunItem" WHERE "runId" = $1 AND status IN ('DONE', 'SKIPPED', 'FAILED')`, [
      run.runId,
    ]);
  while ((await itemsDone()) < Math.min(100, products)) await new Promise((resolve) => setTimeout(resolve, 100));
  const latencyMs = await probeOtherShop(control);
  const doneWhenProbed = await itemsDone();
  while ((await itemsDone()) < products) {
    if (Date.now() - started > 30 * 60_000) throw new Error("bulk run: not done after 30 minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wallSeconds = (Date.now() - started) / 1000;
  await run.close();
  return {
    products,
    latencyMs,
    bulkRunItemsDoneWhenProbed: doneWhenProbed,
    bulkRunWallSeconds: Math.round(wallSeconds * 100) / 100,
  };
}

function liveCount(shop: string): Promise<number> {
  return count(`SELECT count(*) FROM "ProductContent" WHERE "shopDomain" = $1 AND status = 'LIVE'`, [shop]);
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function run(
  name: string,
  options: {
    control: EmulatorControl;
    llmStats: () => Promise<{ completionTokens: number; promptTokens: number; chatCompletions: number }>;
    workerPid?: number;
    appPid?: number;
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

  const cpuAt = () => ({
    worker: cpuSeconds(options.workerPid),
    app: cpuSeconds(options.appPid),
    emulators: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  const cpuBefore = cpuAt();
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
  await queuesIdle(); // the echoes (products/update from the app's own writes) are part of the work
  const cpuAfter = cpuAt();
  const per1000 = (seconds: number) => round((seconds / options.products) * 1000, 1);

  const stats = await control.stats(shop);
  const llmAfter = await options.llmStats();
  const { rows: failed } = await db.query<{ count: string }>(
    `SELECT count(*) FROM "JobRun" WHERE "shopDomain" = $1 AND status = 'FAILED'`,
    [shop],
  );
  const { restoreRate, bucketSize } = PLAN_LIMITS[options.plan];
  const limits = { restoreRate, bucketSize };
  const reported = await control.setBucket(shop, {});
  if (reported.maximumAvailable !== bucketSize || reported.restoreRate !== restoreRate) {
    throw new Error(`${name}: the shop reports ${JSON.stringify(reported)}, not ${JSON.stringify(limits)}`);
  }
  const lowerBoundSeconds = Math.max(0, (stats.pointsSpent - bucketSize) / restoreRate);
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
    cpuSecondsPer1000Products: {
      worker: per1000(cpuAfter.worker - cpuBefore.worker),
      app: per1000(cpuAfter.app - cpuBefore.app),
      emulators: per1000(cpuAfter.emulators - cpuBefore.emulators),
    },
    fairness,
  };
}

async function main() {
  await resetStores();
  const { env, llm, control, appPid, close } = await startStack({
    webhookConcurrency: 64,
    env: {
      // The local LLM emulator has no rate limit worth respecting; the Admin API is the bound here.
      LLM_REQUESTS_PER_MINUTE: "1000000",
      LLM_MAX_CONCURRENCY: "64",
      WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? "32",
    },
  });
  // BENCH_WORKER_NODE_OPTIONS: node options for the worker alone, e.g. a CPU profile written when it
  // stops: "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const workerOptions = process.env.BENCH_WORKER_NODE_OPTIONS;
  const worker = await startWorker(
    workerOptions ? { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} ${workerOptions}`.trim() } : env,
  );
  console.warn("app and worker started");
  const llmStats = async () => llm.stats();

  try {
    const plus = await run("plus", {
      control,
      llmStats,
      workerPid: worker.child.pid,
      appPid,
      plan: "plus",
      products: PLUS_PRODUCTS,
      fairnessProbe: true,
    });
    console.warn(`plus: ${JSON.stringify(plus)}`);
    const standard = await run("standard", {
      control,
      llmStats,
      workerPid: worker.child.pid,
      appPid,
      plan: "standard",
      products: STANDARD_PRODUCTS,
      fairnessProbe: false,
    });
    console.warn(`standard: ${JSON.stringify(standard)}`);
    const duringBulkRun = await bulkRunFairness(control, PLUS_PRODUCTS);
    console.warn(`bulk-run fairness: ${JSON.stringify(duringBulkRun)}`);
    const report = {
      benchmark: "content-pipeline",
      at: new Date().toISOString(),
      settings: { workerConcurrency: Number(env.WORKER_CONCURRENCY), llmLatencyMs: 0 },
      plus,
      standard,
      // A second shop's new product: while shop A's 2,000 new products arrive by webhook (plus.fairness)
      // and while shop A runs a 2,000-product bulk run (here).
      fairnessDuringBulkRun: duringBulkRun,
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
        fairnessDuringBulkRunMs: {
          limit: 30_000,
          value: duringBulkRun.latencyMs,
          met: duringBulkRun.latencyMs <= 30_000,
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
