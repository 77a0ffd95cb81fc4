// Webhook intake while Postgres or Redis is down or hung: a second app server reaches both through
// fault-injecting TCP proxies, so the outage disturbs nothing else.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { allowErrorLogs } from "../support/error-logs";
import { eventually } from "../support/eventually";
import { startFaultProxy, throughProxy, type FaultProxy } from "../support/fault-proxy";
import { freePort } from "../support/ports";
import { startAppServer, type RunningProcess } from "../support/processes";
import { queueInspector } from "../support/queues";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";
import { installShopRecords, samplePayload, sendWebhook } from "../support/webhooks";

const queues = queueInspector();
/** What the app logs once its session storage has given up its start-up checks (ready-session-storage.server.ts). */
const STORAGE_NOT_READY = "session storage is not ready";
let pg: FaultProxy;
let redis: FaultProxy;
let app: RunningProcess & { url: string };
const queued: string[] = [];

beforeAll(async () => {
  const database = new URL(TEST_DATABASE_URL);
  const cache = new URL(TEST_REDIS_URL);
  pg = await startFaultProxy({ targetHost: database.hostname, targetPort: Number(database.port || 5432) });
  redis = await startFaultProxy({ targetHost: cache.hostname, targetPort: Number(cache.port || 6379) });
  const port = await freePort();
  app = await startAppServer(
    {
      ...inject("appEnv"),
      DATABASE_URL: throughProxy(TEST_DATABASE_URL, pg),
      REDIS_URL: throughProxy(TEST_REDIS_URL, redis),
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    },
    port,
  );
});

afterAll(async () => {
  await app.stop();
  await Promise.all([pg.close(), redis.close()]);
  // No worker runs here: take back what this file queued, so no later test processes it.
  const ids = new Set(queued);
  for (const job of await queues.jobs((candidate) => ids.has(candidate.id ?? ""))) await job.remove();
  await queues.close();
  await prisma.$disconnect();
});

// What the app logs, at error level, for each delivery it answers 503 while a store is out.
// The session storage of an app booted during the outage reports itself not ready (it found no
// session table) instead of the driver's own message.
const POSTGRES_OUT =
  /^webhook not queued; answering 503 so Shopify retries: (session lookup: no answer|[\s\S]*Can't reach database server|[\s\S]*session storage is not ready)/;
const REDIS_OUT = /^webhook not queued; answering 503 so Shopify retries: could not enqueue product\.created/;

/** A product webhook for a fresh shop (the app caches sessions briefly, so each one reads Postgres). */
async function deliver() {
  const shop = `outage-${randomUUID().slice(0, 8)}.myshopify.com`;
  await installShopRecords(prisma, shop);
  const webhookId = randomUUID();
  queued.push(webhookId);
  const started = Date.now();
  const response = await sendWebhook(app.url, {
    topic: "products/create",
    shop,
    payload: samplePayload("products/create", shop),
    webhookId,
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), ms: Date.now() - started };
}

async function expectRecovered() {
  // Clients reconnect on their own schedule (ioredis backs off up to 2 s): poll for the 200.
  const ok = await eventually(async () => ((await deliver()).status === 200 ? true : null), { timeoutMs: 15_000 });
  expect(ok).toBe(true);
}

describe.each([
  ["Postgres", () => pg, POSTGRES_OUT],
  ["Redis", () => redis, REDIS_OUT],
])("webhook intake while %s is out", (_name, proxy, outageLog) => {
  it.each([
    ["hangs (no answer at all)", (out: FaultProxy) => out.pause()],
    ["refuses connections", (out: FaultProxy) => out.refuse()],
  ])("answers 503 with Retry-After within 2 s while it %s, and 200 after", async (_how, breakIt) => {
    allowErrorLogs(outageLog);
    expect((await deliver()).status).toBe(200);
    breakIt(proxy());
    try {
      for (let i = 0; i < 2; i++) {
        const outage = await deliver();
        expect(outage.status).toBe(503);
        expect(outage.retryAfter).toBeTruthy();
        expect(outage.ms).toBeLessThan(2_000);
      }
    } finally {
      proxy().resume();
    }
    await expectRecovered();
  });
});

describe("an app that starts while Postgres refuses connections", () => {
  it("answers 503 while it is out, and 200 once it is back, without a restart", async () => {
    const database = new URL(TEST_DATABASE_URL);
    const downAtBoot = await startFaultProxy({
      targetHost: database.hostname,
      targetPort: Number(database.port || 5432),
    });
    downAtBoot.refuse();
    allowErrorLogs(POSTGRES_OUT);
    const port = await freePort();
    const booted = await startAppServer(
      {
        ...inject("appEnv"),
        DATABASE_URL: throughProxy(TEST_DATABASE_URL, downAtBoot),
        REDIS_URL: TEST_REDIS_URL,
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      },
      port,
    );
    try {
      // The session storage checks its table when the app loads (twice, 5 s apart): let both
      // checks fail while the database is out, as in a deploy during a failover. Once they have,
      // the storage reports itself not ready, which the app logs with the 503 it answers.
      const shop = `boot-${randomUUID().slice(0, 8)}.myshopify.com`;
      await installShopRecords(prisma, shop);
      const send = async () => {
        const webhookId = randomUUID();
        queued.push(webhookId);
        const payload = samplePayload("products/create", shop);
        return (await sendWebhook(booted.url, { topic: "products/create", shop, payload, webhookId })).status;
      };
      const statusesDuringOutage: number[] = [];
      await eventually(
        async () => {
          statusesDuringOutage.push(await send());
          return booted.output().includes(STORAGE_NOT_READY) ? true : null;
        },
        { timeoutMs: 30_000, context: () => booted.output() },
      );
      expect(await send()).toBe(503);
      expect(new Set(statusesDuringOutage)).toEqual(new Set([503]));
      expect(booted.child.exitCode).toBeNull();

      downAtBoot.resume();
      const statuses: number[] = [];
      const recovered = await eventually(
        async () => {
          const status = await send();
          statuses.push(status);
          return status === 200 ? true : null;
        },
        { timeoutMs: 15_000 },
      ).catch(() => false);
      expect(recovered, `answers after the database came back: ${statuses.join(",")}\n${booted.output()}`).toBe(true);
    } finally {
      await booted.stop();
      await downAtBoot.close();
    }
  }, 60_000);
});
