// What the pipeline and worker-memory benchmarks share: their database and Redis, a clean start,
// installing the app on an emulator shop, starting a bulk run the way the worker sees one, and
// reading a process's memory.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";

import path from "node:path";

import { startLlmEmulator, type LlmEmulatorOptions } from "../tests/emulators/llm/server";
import { emulatorControl, type EmulatorControl } from "../tests/emulators/shopify/control-client";
import { startShopifyEmulator } from "../tests/emulators/shopify/server";
import { freePort } from "../tests/support/ports";
import { startAppServer } from "../tests/support/processes";
import { appEnv, TEST_API_KEY, TEST_API_SECRET } from "../tests/support/test-env";

export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/storewise_bench";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/2";

export const db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Empties every table but Prisma's own, and the benchmark's Redis database. */
export async function resetStores() {
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  await db.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(", ")} CASCADE`);
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  await redis.quit();
}

/** Installs the app on a shop: the emulator shop, its offline session, and content settings. */
export async function installShop(
  control: EmulatorControl,
  shop: string,
  plan: "plus" | "standard",
  contentMode: "REVIEW" | "AUTO_PUBLISH",
) {
  const accessToken = `shpat_${randomUUID()}`;
  await control.createShop({ shop, accessToken, plan });
  await db.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, $3, $4)`,
    [`offline_${shop}`, shop, "read_products,write_products", accessToken],
  );
  const shopId = randomUUID();
  await db.query(`INSERT INTO "Shop" (id, domain, "updatedAt") VALUES ($1, $2, now())`, [shopId, shop]);
  await db.query(`INSERT INTO "ShopSettings" ("shopId", "contentMode", "updatedAt") VALUES ($1, $2, now())`, [
    shopId,
    contentMode,
  ]);
}

export async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ count: string }>(sql, params);
  return Number(rows[0]?.count ?? 0);
}

/**
 * A whole-catalog bulk run as the admin page starts one: its row, and the catalog-read job the
 * worker takes from there. Returns the run id and the content queue (close it when done).
 */
export async function startBulkRun(shop: string) {
  const runId = randomUUID();
  await db.query(`INSERT INTO "BulkRun" (id, "shopDomain", scope, status) VALUES ($1, $2, 'ALL', 'READING')`, [
    runId,
    shop,
  ]);
  const redis = new Redis(REDIS_URL);
  const content = new Queue("content", { connection: redis, prefix: "storewise" });
  await content.add("bulk-run.read", { shop, runId }, { jobId: `bulk-run-read-${runId}` });
  return {
    runId,
    content,
    async close() {
      await content.close();
      await redis.quit();
    },
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (0 once it is gone). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB (0 once it is gone). */
export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * Both emulators and the web app from the build, pointed at the benchmark's database and Redis.
 * `env` is what a worker for this stack needs; `close()` stops all three.
 */
export async function startStack(
  options: {
    webhookConcurrency?: number;
    env?: Record<string, string>;
    bulk?: { objectsPerSecond?: number };
    llm?: LlmEmulatorOptions;
  } = {},
) {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const shopify = await startShopifyEmulator({
    port: 0,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl,
    tomlPath: path.resolve(import.meta.dirname, "../shopify.app.toml"),
    webhookConcurrency: options.webhookConcurrency,
    strict: true,
    bulk: options.bulk,
  });
  const llm = await startLlmEmulator({ ...options.llm, port: 0 });
  const env: Record<string, string> = {
    ...appEnv({ appUrl, shopifyUrl: shopify.url, llmUrl: llm.url }),
    DATABASE_URL,
    REDIS_URL,
    LOG_LEVEL: "error",
    ...options.env,
  };
  const app = await startAppServer(env, appPort);
  return {
    env,
    llm,
    control: emulatorControl(shopify.url),
    shopifyUrl: shopify.url,
    appUrl,
    /** The web app's process (the emulators run inside the benchmark's own process). */
    appPid: app.child.pid,
    async close() {
      await app.stop();
      await shopify.close();
      await llm.close();
    },
  };
}
