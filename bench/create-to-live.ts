// Create-to-live latency: how long from a product's creation until its copy is live and its
// translations in fr, de and es are registered against the store's current digests (read from the
// Shopify emulator), while another shop runs a bulk run over its whole catalog. The emulated LLM
// answers each admitted completion in a random 2-5 s under an OpenAI tier's RPM/TPM.
//   npm run bench:create-to-live   -> bench/results/create-to-live.json
// BENCH_CTL_PRODUCTS (50) products created one every BENCH_CTL_INTERVAL_MS (2,000) in a Standard
// shop; BENCH_CTL_BULK_PRODUCTS (2,000) in the bulk-run shop (Plus), whose publishes' echoes queue
// its own translations too. Bar: p95 ≤ 20 s.
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";

import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { startWorker } from "../tests/support/processes";
import { count, db, installShop, resetStores, startBulkRun, startStack } from "./support";
import {
  copyLive,
  notLiveReason,
  LLM_MAX_CONCURRENCY,
  LLM_RPM,
  LLM_TPM,
  llmDelta,
  publishLocales,
  round,
  sleep,
  WORKER_CONCURRENCY,
  DATABASE_POOL_MAX,
} from "./translation-support";

const ROOT = path.resolve(import.meta.dirname, "..");
const PRODUCTS = Number(process.env.BENCH_CTL_PRODUCTS ?? 50);
const INTERVAL_MS = Number(process.env.BENCH_CTL_INTERVAL_MS ?? 2_000);
const BULK_PRODUCTS = Number(process.env.BENCH_CTL_BULK_PRODUCTS ?? 2_000);
const LATENCY = { min: 2_000, max: 5_000 };
const GIVE_UP_MS = Number(process.env.BENCH_CTL_GIVE_UP_MS ?? 5 * 60_000);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

/** Follows one product from its creation until its copy and all three locales are live. */
async function follow(control: EmulatorControl, shop: string, index: number) {
  const created = Date.now();
  const product = await control.createProduct(shop, {
    title: `Trail lantern ${index + 1}`,
    vendor: "Northwind",
    productType: "Gear",
    descriptionHtml: "",
  });
  let copyMs: number | null = null;
  let reason: string | null = "copy not live";
  for (;;) {
    const elapsed = Date.now() - created;
    if (copyMs === null && (await copyLive(shop, product.id))) copyMs = Date.now() - created;
    if (copyMs !== null) {
      reason = await notLiveReason(control, shop, product.id);
      if (reason === null) return { productId: product.id, copyMs, liveMs: Date.now() - created };
    }
    if (elapsed > GIVE_UP_MS) {
      console.warn(`${product.id}: not live after ${GIVE_UP_MS} ms: ${reason}`);
      return { productId: product.id, copyMs, liveMs: null };
    }
    await sleep(250);
  }
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
    // The other shop: its whole catalog through a bulk run; each publish's echo queues its translation.
    const bulkShop = `bench-ctl-bulk-${randomUUID().slice(0, 6)}.myshopify.com`;
    await installShop(control, bulkShop, "plus", "AUTO_PUBLISH");
    await publishLocales(control, bulkShop);
    await control.createProducts(bulkShop, { count: BULK_PRODUCTS, silent: true, template: { descriptionHtml: "" } });
    const bulk = await startBulkRun(bulkShop);
    const itemsDone = () =>
      count(`SELECT count(*) FROM "BulkRunItem" WHERE "runId" = $1 AND status IN ('DONE', 'SKIPPED', 'FAILED')`, [
        bulk.runId,
      ]);
    const bulkTranslationRuns = () =>
      count(`SELECT count(*) FROM "TranslationRun" WHERE "shopDomain" = $1`, [bulkShop]);
    // Start measuring once the bulk run is in full flow: its items and their translations queued.
    while ((await itemsDone()) < Math.min(200, BULK_PRODUCTS)) await sleep(250);
    const bulkAtStart = { items: await itemsDone(), translationRuns: await bulkTranslationRuns() };
    console.warn(`bulk run under way: ${JSON.stringify(bulkAtStart)}`);

    const shop = `bench-ctl-${randomUUID().slice(0, 6)}.myshopify.com`;
    await installShop(control, shop, "standard", "AUTO_PUBLISH");
    await publishLocales(control, shop);
    const llmBefore = llm.stats();
    const followed: Array<Promise<Awaited<ReturnType<typeof follow>>>> = [];
    for (let i = 0; i < PRODUCTS; i++) {
      followed.push(follow(control, shop, i));
      await sleep(INTERVAL_MS);
    }
    const results = await Promise.all(followed);
    const llmUsed = llmDelta(llmBefore, llm.stats());
    const bulkAtEnd = { items: await itemsDone(), translationRuns: await bulkTranslationRuns() };
    console.warn(`bulk run when the last product was live: ${JSON.stringify(bulkAtEnd)}`);
    await bulk.close();

    const live = results
      .map((r) => r.liveMs)
      .filter((ms): ms is number => ms !== null)
      .sort((a, b) => a - b);
    const copy = results
      .map((r) => r.copyMs)
      .filter((ms): ms is number => ms !== null)
      .sort((a, b) => a - b);
    // Requests, not aliases: one request registering a product and its nested resources counts once.
    const registers = (await control.stats(shop)).requestsWith.translationsRegister ?? 0;
    const failed = await count(
      `SELECT count(*) FROM "TranslationEntry" WHERE "shopDomain" = $1 AND status = 'FAILED'`,
      [shop],
    );
    const p95 = percentile(live, 95);
    const report = {
      benchmark: "create-to-live",
      at: new Date().toISOString(),
      settings: {
        products: PRODUCTS,
        intervalMs: INTERVAL_MS,
        bulkRunProducts: BULK_PRODUCTS,
        llm: { requestsPerMinute: LLM_RPM, tokensPerMinute: LLM_TPM, completionLatencyMs: LATENCY },
        app: { LLM_MAX_CONCURRENCY, LLM_REQUESTS_PER_MINUTE: LLM_RPM, WORKER_CONCURRENCY, DATABASE_POOL_MAX },
      },
      liveMs: {
        p50: percentile(live, 50),
        p95,
        max: live.at(-1) ?? null,
        min: live[0] ?? null,
        notLive: results.length - live.length,
      },
      copyLiveMs: { p50: percentile(copy, 50), p95: percentile(copy, 95) },
      translationsRegisterPerProduct: round(registers / PRODUCTS, 3),
      failedTranslations: failed,
      // LLM calls over the window (both shops); 429s are refusals by the emulated account's limits.
      llmDuringWindow: {
        calls: llmUsed.calls,
        meanLatencyMs: llmUsed.calls > 0 ? Math.round(llmUsed.latencyMsTotal / llmUsed.calls) : 0,
        rateLimited: llmUsed.rateLimitedRequests + llmUsed.rateLimitedTokens,
      },
      bulkRun: { atStart: bulkAtStart, whenLastLive: bulkAtEnd },
      bars: { p95Ms: { limit: 20_000, value: p95, met: live.length === results.length && p95 <= 20_000 } },
    };
    const file = path.join(ROOT, "bench/results/create-to-live.json");
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.warn(`wrote ${path.relative(ROOT, file)}\n${JSON.stringify({ liveMs: report.liveMs, bars: report.bars })}`);
  } finally {
    await worker.stop();
    await close();
    await db.end();
  }
}

await main();
process.exit(0);
