// Copy + translation pipeline benchmark: products created in a Shopify emulator shop that publishes
// fr, de and es, with auto-publish and auto-translate on, flow through the real webhook intake,
// queues and worker: copy generated and published, then every translatable resource of the product
// translated with the LLM and registered with translationsRegister, until every product is live and
// translated. The emulated LLM answers each admitted completion in a random 1-3 s and enforces an
// OpenAI tier's requests and tokens per minute (translation-support.ts).
//   npm run bench:translations   -> bench/results/translations.json
// BENCH_TR_PRODUCTS (default 300; the full size is 2,000) at Plus (1,000 points/s) and
// BENCH_TR_STANDARD_PRODUCTS (default 200) at Standard (100 points/s).
//
// Lower bound: no run can beat any single resource it shares, so
//   lowerBoundSeconds = max(admin, llmRequests, llmTokens, llmLatency)
//   admin       = max(0, P − B) / R: P the points the emulator charged the shop (actual costs after
//                 refunds), B the bucket (Plus 20,000, Standard 2,000), R the restore rate
//   llmRequests = max(0, calls − RPM) / RPM · 60 (OpenAI's bucket starts full at RPM)
//   llmTokens   = max(0, tokens − TPM) / TPM · 60, tokens as the emulator's TPM limiter charged them
//   llmLatency  = Σ completion latency / LLM_MAX_CONCURRENCY (the app's bulkhead: no more calls in
//                 flight at once)
// translationsRegister requests per product are counted from the emulator's request counts (aliases in one request count once).
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { PLAN_LIMITS } from "../tests/emulators/shopify/bucket";
import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import type { LlmEmulator } from "../tests/emulators/llm/types";
import { startWorker } from "../tests/support/processes";
import { count, cpuSeconds, db, installShop, resetStores, rssMb, startStack } from "./support";
import {
  LLM_MAX_CONCURRENCY,
  LLM_RPM,
  LLM_TPM,
  llmDelta,
  LOCALES,
  publishLocales,
  queuesIdle,
  round,
  sleep,
  WORKER_CONCURRENCY,
  DATABASE_POOL_MAX,
} from "./translation-support";

const ROOT = path.resolve(import.meta.dirname, "..");
const PLUS_PRODUCTS = Number(process.env.BENCH_TR_PRODUCTS ?? 300);
const STANDARD_PRODUCTS = Number(process.env.BENCH_TR_STANDARD_PRODUCTS ?? 200);
const LATENCY = { min: 1_000, max: 3_000 };

/** Products whose translation run has ended (translated, partial or failed), and when the last one ended. */
async function translated(shop: string) {
  const { rows } = await db.query<{ count: string; last: Date | null }>(
    `SELECT count(DISTINCT "resourceId") AS count, max("createdAt") AS last FROM "TranslationRun"
      WHERE "shopDomain" = $1 AND "resourceId" LIKE 'gid://shopify/Product/%'
        AND outcome IN ('translated', 'partial', 'failed')`,
    [shop],
  );
  return { count: Number(rows[0]?.count ?? 0), last: rows[0]?.last ?? null };
}

async function run(
  name: string,
  options: {
    control: EmulatorControl;
    llm: LlmEmulator;
    workerPid?: number;
    plan: "plus" | "standard";
    products: number;
  },
) {
  const { control, llm } = options;
  await queuesIdle();
  const shop = `bench-tr-${name}-${randomUUID().slice(0, 6)}.myshopify.com`;
  await installShop(control, shop, options.plan, "AUTO_PUBLISH");
  await publishLocales(control, shop);
  // Let the limiter's buckets refill after the previous phase, as they would between two imports.
  await sleep(6_000);
  const llmBefore = llm.stats();
  let peakRss = rssMb(options.workerPid);
  const cpuBefore = cpuSeconds(options.workerPid);
  const started = Date.now();
  await control.createProducts(shop, {
    count: options.products,
    silent: false,
    template: { vendor: "Northwind", productType: "Gear", descriptionHtml: "" },
  });

  let lastReport = 0;
  let done = await translated(shop);
  while (done.count < options.products) {
    peakRss = Math.max(peakRss, rssMb(options.workerPid));
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      const live = await count(`SELECT count(*) FROM "ProductContent" WHERE "shopDomain" = $1 AND status = 'LIVE'`, [
        shop,
      ]);
      const s = llm.stats();
      console.warn(
        `${name}: ${live} copy live, ${done.count}/${options.products} translated after ${Math.round((Date.now() - started) / 1000)} s; llm in flight ${s.inFlight}, 429s ${s.rateLimited - llmBefore.rateLimited}`,
      );
    }
    if (Date.now() - started > 60 * 60_000) throw new Error(`${name}: not done after 60 minutes`);
    await sleep(500);
    done = await translated(shop);
  }
  const wallSeconds = ((done.last?.getTime() ?? Date.now()) - started) / 1000;
  await control.waitForWebhooks(60_000);
  await queuesIdle(); // the echoes are part of the work (and must cost no tokens)
  const cpuAfter = cpuSeconds(options.workerPid);

  const stats = await control.stats(shop);
  const llmUsed = llmDelta(llmBefore, llm.stats());
  const usage = await db.query<{ task: string; calls: string; tokens: string }>(
    `SELECT task, count(*) AS calls, sum("promptTokens" + "completionTokens") AS tokens FROM "LlmUsage"
      WHERE "shopDomain" = $1 GROUP BY task`,
    [shop],
  );
  const byTask = Object.fromEntries(
    usage.rows.map((row) => [row.task, { calls: Number(row.calls), tokens: Number(row.tokens) }]),
  );
  const failedJobs = await count(`SELECT count(*) FROM "JobRun" WHERE "shopDomain" = $1 AND status = 'FAILED'`, [shop]);
  const failedTranslations = await count(
    `SELECT count(*) FROM "TranslationEntry" WHERE "shopDomain" = $1 AND status = 'FAILED'`,
    [shop],
  );
  const translatedKeys = await count(
    `SELECT count(*) FROM "TranslationEntry" WHERE "shopDomain" = $1 AND status = 'TRANSLATED'`,
    [shop],
  );
  const runs = await db.query<{ outcome: string; n: string }>(
    `SELECT outcome, count(*) AS n FROM "TranslationRun" WHERE "shopDomain" = $1 GROUP BY outcome`,
    [shop],
  );
  const { restoreRate, bucketSize } = PLAN_LIMITS[options.plan];
  const reported = await control.setBucket(shop, {});
  if (reported.maximumAvailable !== bucketSize || reported.restoreRate !== restoreRate) {
    throw new Error(`${name}: the shop reports ${JSON.stringify(reported)}, not ${bucketSize}/${restoreRate}`);
  }
  const bounds = {
    admin: Math.max(0, stats.pointsSpent - bucketSize) / restoreRate,
    llmRequests: (Math.max(0, llmUsed.calls - LLM_RPM) / LLM_RPM) * 60,
    llmTokens: (Math.max(0, llmUsed.tokensCharged - LLM_TPM) / LLM_TPM) * 60,
    llmLatency: llmUsed.latencyMsTotal / LLM_MAX_CONCURRENCY / 1000,
  };
  const lowerBoundSeconds = Math.max(...Object.values(bounds));
  const binding = Object.entries(bounds).sort((a, b) => b[1] - a[1])[0]![0];
  const translation = byTask.translation ?? { calls: 0, tokens: 0 };
  // Requests, not aliases: one request registering a product and its nested resources counts once.
  const registers = stats.requestsWith.translationsRegister ?? 0;
  return {
    products: options.products,
    plan: options.plan,
    locales: LOCALES,
    adminLimits: { restoreRate, bucketSize },
    wallSeconds: round(wallSeconds),
    lowerBoundSeconds: round(lowerBoundSeconds),
    ratioToLowerBound: lowerBoundSeconds > 0 ? round(wallSeconds / lowerBoundSeconds, 3) : null,
    bindingLimit: binding,
    boundsSeconds: Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, round(v)])),
    adminPointsPerProduct: round(stats.pointsSpent / options.products),
    adminOperationsPerProduct: Object.fromEntries(
      Object.entries(stats.operations).map(([op, n]) => [op, round(n / options.products, 3)]),
    ),
    translationsRegisterPerProduct: round(registers / options.products, 3),
    llmCalls: llmUsed.calls,
    llmCallsPerProduct: round(llmUsed.calls / options.products, 3),
    llmTokensCharged: llmUsed.tokensCharged,
    llmMeanLatencyMs: llmUsed.calls > 0 ? Math.round(llmUsed.latencyMsTotal / llmUsed.calls) : 0,
    llm429s: { requests: llmUsed.rateLimitedRequests, tokens: llmUsed.rateLimitedTokens },
    llmByTask: byTask,
    translationTokensPerProductLocale: round(translation.tokens / (options.products * LOCALES.length)),
    translationCallsPerProductLocale: round(translation.calls / (options.products * LOCALES.length), 3),
    translatedKeys,
    translationRuns: Object.fromEntries(runs.rows.map((row) => [row.outcome, Number(row.n)])),
    failed: { jobs: failedJobs, translations: failedTranslations },
    adminThrottled: stats.throttled,
    workerPeakRssMb: peakRss,
    workerCpuSecondsPer1000Products: round(((cpuAfter - cpuBefore) / options.products) * 1000, 1),
  };
}

async function main() {
  await resetStores();
  const { env, llm, control, close } = await startStack({
    webhookConcurrency: 64,
    llm: { rpm: LLM_RPM, tpm: LLM_TPM, completionLatencyMs: LATENCY },
    env: {
      LLM_REQUESTS_PER_MINUTE: String(LLM_RPM),
      LLM_MAX_CONCURRENCY: String(LLM_MAX_CONCURRENCY),
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    },
  });
  // The worker alone gets the larger pool (the web app keeps the default).
  const worker = await startWorker({ ...env, DATABASE_POOL_MAX: String(DATABASE_POOL_MAX) });
  console.warn("app and worker started");
  try {
    const plus = await run("plus", {
      control,
      llm,
      workerPid: worker.child.pid,
      plan: "plus",
      products: PLUS_PRODUCTS,
    });
    console.warn(`plus: ${JSON.stringify(plus)}`);
    // BENCH_TR_STANDARD_PRODUCTS=0 skips the Standard phase (a long Plus-only run).
    const standard =
      STANDARD_PRODUCTS > 0
        ? await run("standard", {
            control,
            llm,
            workerPid: worker.child.pid,
            plan: "standard",
            products: STANDARD_PRODUCTS,
          })
        : null;
    console.warn(`standard: ${JSON.stringify(standard)}`);
    const bar = (limit: number, value: number | null) => ({ limit, value, met: value !== null && value <= limit });
    const report = {
      benchmark: "copy-and-translation-pipeline",
      at: new Date().toISOString(),
      settings: {
        llm: {
          model: "gpt-4o-mini",
          requestsPerMinute: LLM_RPM,
          tokensPerMinute: LLM_TPM,
          completionLatencyMs: LATENCY,
          tier: "OpenAI usage tier 4 for gpt-4o-mini unless BENCH_LLM_RPM/TPM say otherwise",
        },
        app: {
          LLM_MAX_CONCURRENCY,
          LLM_REQUESTS_PER_MINUTE: LLM_RPM,
          WORKER_CONCURRENCY,
          DATABASE_POOL_MAX,
        },
      },
      plus,
      standard,
      bars: {
        plusRatio: bar(1.1, plus.ratioToLowerBound),
        standardRatio: bar(1.1, standard?.ratioToLowerBound ?? null),
        translationsRegisterPerProduct: bar(1, plus.translationsRegisterPerProduct),
        failed: bar(
          0,
          plus.failed.jobs +
            plus.failed.translations +
            (standard?.failed.jobs ?? 0) +
            (standard?.failed.translations ?? 0),
        ),
      },
    };
    // BENCH_TR_RESULT names another file (e.g. translations-full.json for the full sizes).
    const file = path.join(ROOT, "bench/results", process.env.BENCH_TR_RESULT ?? "translations.json");
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
