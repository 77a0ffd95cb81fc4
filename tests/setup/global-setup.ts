import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { Redis } from "ioredis";
import pg from "pg";
import type { TestProject } from "vitest/node";

import { startLlmEmulator } from "../emulators/llm/server";
import { LOG_DIR_ENV } from "../support/error-logs";
import { startShopifyEmulator } from "../emulators/shopify/server";
import { freePort } from "../support/ports";
import { startAppServer } from "../support/processes";
import { appEnv, TEST_API_KEY, TEST_API_SECRET, TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    shopifyUrl: string;
    llmUrl: string;
    appEnv: Record<string, string>;
    /** Where started processes write their logs (tests/support/error-logs.ts). */
    testLogDir: string;
    /** The shared web app's log file, which each test file's error-log guard reads. */
    appLogFile: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Empties every table but Prisma's own, and the test Redis database, so each run starts clean. */
async function resetStores(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(", ")} CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(TEST_REDIS_URL);
  await redis.flushdb();
  await redis.quit();
}

/**
 * Starts what every integration test talks to over real HTTP: the Shopify Admin emulator, the
 * LLM emulator and the web app (from the production build). Workers are started by the tests
 * that need them.
 */
export default async function setup(project: TestProject) {
  await resetStores();
  // One directory per run: other runs on the machine have their own.
  const logDir = (process.env[LOG_DIR_ENV] = mkdtempSync(path.join(os.tmpdir(), "storewise-test-logs-")));
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const shopify = await startShopifyEmulator({
    port: 0,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl,
    tomlPath: path.join(ROOT, "shopify.app.toml"),
    webhookRetry: { attempts: 4, baseDelayMs: 100 },
    // An unmodelled field fails the request, so no test passes against empty data.
    strict: true,
  });
  const llm = await startLlmEmulator({ port: 0 });
  const env = appEnv({ appUrl, shopifyUrl: shopify.url, llmUrl: llm.url });
  const app = await startAppServer(env, appPort);

  project.provide("appUrl", appUrl);
  project.provide("shopifyUrl", shopify.url);
  project.provide("llmUrl", llm.url);
  project.provide("appEnv", env);
  project.provide("testLogDir", logDir);
  project.provide("appLogFile", app.logFile);

  return async () => {
    await app.stop();
    await shopify.close();
    await llm.close();
    rmSync(logDir, { recursive: true, force: true });
  };
}
