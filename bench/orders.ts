// Order data benchmark, two phases against the Shopify emulator, the web app (from the build) and
// a worker, on the benchmark's own database and Redis:
//
// 1. Ingest: BENCH_INGEST_ORDERS (500) orders created in the emulator, each firing a signed
//    orders/create webhook → the app's intake → the orders queue → the worker's order.upserted
//    (which reads the order back from the Admin API) → the order table and its rollups. Reports
//    orders/s end to end and the p50/p95 latency from the order's creation (its webhook) to its
//    rollups being written.
// 2. Backfill: BENCH_BACKFILL_ORDERS (10,000; the 100,000 with BENCH_BACKFILL_ORDERS=100000)
//    orders of the last 60 days, 5% refunded, made before the install (no webhooks), read through
//    orders.backfill: the bulk export, polling, the refunded orders' refund lines, the ingest.
//    The emulator exports at BENCH_BULK_OBJECTS_PER_SECOND (2,000 JSONL objects/s; Shopify
//    publishes no figure, so this is an assumption stated in the JSON), so the bound is the
//    emulator's export time (objects / rate); the JSON reports the wall time and wall / export time.
//   npm run bench:orders -> bench/results/orders.json
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { parseEnv } from "../app/config/env.server";
import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { startWorker } from "../tests/support/processes";
import { count, cpuSeconds, db, resetStores, sleep, startStack } from "./support";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { REDIS_URL } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const INGEST_ORDERS = Number(process.env.BENCH_INGEST_ORDERS ?? 500);
const BACKFILL_ORDERS = Number(process.env.BENCH_BACKFILL_ORDERS ?? 10_000);
const OBJECTS_PER_SECOND = Number(process.env.BENCH_BULK_OBJECTS_PER_SECOND ?? 2_000);
const CREATE_CONCURRENCY = Number(process.env.BENCH_CREATE_CONCURRENCY ?? 8);
const PRODUCTS = 50;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function install(control: EmulatorControl, shop: string, scopes: string) {
  const accessToken = `shpat_${randomUUID()}`;
  await control.createShop({
    shop,
    accessToken,
    plan: "plus",
    scopes: scopes.split(","),
    ianaTimezone: "America/New_York",
  });
  await db.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, $3, $4)`,
    [`offline_${shop}`, shop, scopes, accessToken],
  );
  await db.query(`INSERT INTO "Shop" (id, domain, scopes, "updatedAt") VALUES ($1, $2, $3, now())`, [
    randomUUID(),
    shop,
    scopes,
  ]);
  const products: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    products.push((await control.createProduct(shop, { title: `Product ${i}` }, { silent: true })).id);
  }
  return products;
}

/** An order of 1-3 lines of the shop's products, some with an order-level discount code. */
function orderInput(products: string[], i: number) {
  const lines = 1 + (i % 3);
  return {
    lineItems: Array.from({ length: lines }, (_, l) => ({
      title: `Line ${l}`,
      quantity: 1 + ((i + l) % 2),
      price: (10 + ((i * 7 + l * 13) % 90)).toFixed(2),
      productId: products[(i + l * 17) % products.length],
    })),
    discountCodes: i % 4 === 0 ? [{ code: "SAVE5", amount: "5.00" }] : [],
    totalShipping: "4.90",
    shippingAddress: { countryCode: ["US", "CA", "GB", "DE", "FR"][i % 5], country: "" },
  };
}

async function ingestPhase(control: EmulatorControl, scopes: string, workerPid?: number) {
  const shop = `bench-orders-${randomUUID().slice(0, 6)}.myshopify.com`;
  const products = await install(control, shop, scopes);
  const sentAt = new Map<string, number>();
  const cpuBefore = cpuSeconds(workerPid);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < INGEST_ORDERS) {
        const i = next++;
        const before = Date.now();
        const order = await control.createOrder(shop, orderInput(products, i));
        sentAt.set(order.id, before);
      }
    }),
  );
  const createdSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + 15 * 60_000;
  while ((await count(`SELECT count(*) FROM "Order" WHERE "shopDomain" = $1`, [shop])) < INGEST_ORDERS) {
    if (Date.now() > deadline) throw new Error("ingest: not every order recorded after 15 minutes");
    await sleep(200);
  }
  const { rows } = await db.query<{ orderId: string; recordedAt: Date }>(
    `SELECT "orderId", "recordedAt" FROM "Order" WHERE "shopDomain" = $1`,
    [shop],
  );
  const latencies = rows.map((r) => r.recordedAt.getTime() - (sentAt.get(r.orderId) ?? started)).sort((a, b) => a - b);
  const lastRecorded = Math.max(...rows.map((r) => r.recordedAt.getTime()));
  const wallSeconds = (lastRecorded - started) / 1000;
  const rollupOrders = await count(`SELECT COALESCE(sum(orders), 0) AS count FROM "SalesDay" WHERE "shopDomain" = $1`, [
    shop,
  ]);
  const failed = await count(`SELECT count(*) FROM "JobRun" WHERE "shopDomain" = $1 AND status = 'FAILED'`, [shop]);
  return {
    orders: INGEST_ORDERS,
    createConcurrency: CREATE_CONCURRENCY,
    createSeconds: round(createdSeconds),
    wallSeconds: round(wallSeconds),
    ordersPerSecond: round(INGEST_ORDERS / wallSeconds),
    webhookToRollupMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.at(-1) ?? 0,
    },
    workerCpuSecondsPer1000: round(((cpuSeconds(workerPid) - cpuBefore) / INGEST_ORDERS) * 1000),
    sanity: { rollupOrders, failedJobs: failed },
  };
}

async function backfillPhase(control: EmulatorControl, scopes: string) {
  const shop = `bench-backfill-${randomUUID().slice(0, 6)}.myshopify.com`;
  const products = await install(control, shop, scopes);
  const seedStarted = Date.now();
  // Ten kinds of order (lines, products, discounts, countries), created in bulk without webhooks.
  const kinds = 10;
  const refundIds: string[] = [];
  for (let k = 0; k < kinds; k++) {
    const n = Math.floor(BACKFILL_ORDERS / kinds) + (k < BACKFILL_ORDERS % kinds ? 1 : 0);
    const { ids } = await control.createOrders(shop, { count: n, template: orderInput(products, k), silent: true });
    refundIds.push(...ids.filter((_, i) => i % 20 === 0));
  }
  for (const id of refundIds)
    await control.refundOrder(shop, id, { lines: [{ index: 0, quantity: 1 }] }, { silent: true });
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const redis = new Redis(REDIS_URL);
  const orders = new Queue("orders", { connection: redis, prefix: "storewise" });
  const started = Date.now();
  await orders.add("orders.backfill", { shop }, { jobId: `orders-backfill-${shop}` });
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const { rows } = await db.query<{ status: string; ordersRecorded: number; error: string | null }>(
      `SELECT status, "ordersRecorded", error FROM "OrderBackfill" WHERE "shopDomain" = $1`,
      [shop],
    );
    const row = rows[0];
    if (row && row.status !== "running") {
      if (row.status !== "completed") throw new Error(`backfill ${row.status}: ${row.error}`);
      break;
    }
    if (Date.now() > deadline) throw new Error("backfill: not done after 60 minutes");
    await sleep(250);
  }
  const wallSeconds = (Date.now() - started) / 1000;
  await orders.close();
  await redis.quit();
  const recorded = await count(`SELECT count(*) FROM "Order" WHERE "shopDomain" = $1`, [shop]);
  const rollupOrders = await count(`SELECT COALESCE(sum(orders), 0) AS count FROM "SalesDay" WHERE "shopDomain" = $1`, [
    shop,
  ]);
  const refundLines = await count(
    `SELECT COALESCE(sum("refundedUnits"), 0) AS count FROM "SalesDayProduct" WHERE "shopDomain" = $1`,
    [shop],
  );
  return {
    shop,
    orders: BACKFILL_ORDERS,
    refundedOrders: refundIds.length,
    seedSeconds: round(seedSeconds),
    wallSeconds,
    recorded,
    rollupOrders,
    refundLines,
  };
}

async function main() {
  await resetStores();
  const { env, control, close } = await startStack({
    webhookConcurrency: 64,
    bulk: { objectsPerSecond: OBJECTS_PER_SECOND },
    env: { WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? "32" },
  });
  const worker = await startWorker(env);
  const scopes = parseEnv(env).SCOPES;
  try {
    const ingest = await ingestPhase(control, scopes, worker.child.pid);
    console.warn(`ingest: ${JSON.stringify(ingest)}`);
    const b = await backfillPhase(control, scopes);
    // One JSONL object per order and one per line item (the export's __parentId lines).
    const lineObjects = await count(
      `SELECT COALESCE(sum(jsonb_array_length(lines)), 0) AS count FROM "Order" WHERE "shopDomain" = $1`,
      [b.shop],
    );
    const objects = b.recorded + lineObjects;
    const emulatorExportSeconds = objects / OBJECTS_PER_SECOND;
    const backfill = {
      orders: b.orders,
      refundedOrders: b.refundedOrders,
      seedSeconds: b.seedSeconds,
      exportObjects: objects,
      emulatorObjectsPerSecond: OBJECTS_PER_SECOND,
      emulatorExportSeconds: round(emulatorExportSeconds),
      wallSeconds: round(b.wallSeconds),
      ratioWallToEmulatorExport: round(b.wallSeconds / emulatorExportSeconds),
      ingestSecondsAfterExport: round(b.wallSeconds - emulatorExportSeconds),
      ordersPerSecondOverall: round(b.recorded / b.wallSeconds),
      sanity: { recorded: b.recorded, rollupOrders: b.rollupOrders, refundedUnits: b.refundLines },
    };
    console.warn(`backfill: ${JSON.stringify(backfill)}`);
    const report = {
      benchmark: "orders",
      at: new Date().toISOString(),
      settings: {
        workerConcurrency: Number(env.WORKER_CONCURRENCY),
        plan: "plus",
        bulkObjectsPerSecondAssumed: OBJECTS_PER_SECOND,
        note: "Shopify publishes no bulk-export throughput; the emulator's rate is an assumption (BENCH_BULK_OBJECTS_PER_SECOND).",
      },
      // The machine's 1/5/15-minute load when measured (2 shared cores).
      loadAverage: os.loadavg().map((load) => round(load)),
      ingest,
      backfill,
    };
    const file = path.join(ROOT, "bench/results/orders.json");
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.warn(`wrote ${path.relative(ROOT, file)}`);
  } finally {
    await worker.stop();
    await close();
    await db.end();
  }
}

await main();
process.exit(0);
