import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { closeQueues, getQueue } from "~/jobs/queues.server";
import { evictionPolicy } from "~/lib/redis-eviction.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { allowErrorLogs } from "../support/error-logs";
import { eventually } from "../support/eventually";
import { freePort } from "../support/ports";
import { startNodeProcess, startWorker, type RunningProcess } from "../support/processes";
import { seedShop } from "../support/seed";

const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const servers: ChildProcess[] = [];

afterAll(async () => {
  await llmControl.clearFaults();
  for (const server of servers) server.kill("SIGKILL");
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

/** A private, throw-away redis-server (the shared one's policy is not ours to change). */
async function privateRedis(args: string[]): Promise<string> {
  const port = await freePort();
  const server = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", ...args], {
    stdio: "ignore",
  });
  servers.push(server);
  const url = `redis://127.0.0.1:${port}`;
  await eventually(async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  });
  return url;
}

async function exitOf(processHandle: RunningProcess, timeoutMs = 20_000) {
  const { child } = processHandle;
  if (child.exitCode !== null) return child.exitCode;
  return new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running:\n${processHandle.output()}`)), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("the Redis eviction policy at start", () => {
  it("is read with CONFIG GET, or from INFO where CONFIG is disabled", async () => {
    const plain = new Redis(await privateRedis(["--maxmemory-policy", "allkeys-lru"]));
    const managed = new Redis(
      await privateRedis(["--maxmemory-policy", "volatile-ttl", "--rename-command", "CONFIG", ""]),
    );
    try {
      expect(await evictionPolicy(plain)).toBe("allkeys-lru");
      await expect(managed.call("CONFIG", "GET", "maxmemory-policy")).rejects.toThrow();
      expect(await evictionPolicy(managed)).toBe("volatile-ttl");
    } finally {
      plain.disconnect();
      managed.disconnect();
    }
  });

  // The refusal to start is logged at fatal: that is the message these tests look for.
  const EVICTION_REFUSAL = /^Redis maxmemory-policy is "allkeys-lru", but BullMQ requires "noeviction"/;

  it("stops the worker with a clear message when Redis may evict job keys", async () => {
    allowErrorLogs(EVICTION_REFUSAL);
    const url = await privateRedis(["--maxmemory-policy", "allkeys-lru", "--rename-command", "CONFIG", ""]);
    const worker = startNodeProcess("workers/index.ts", [], { ...inject("appEnv"), REDIS_URL: url, LOG_LEVEL: "info" });
    const code = await exitOf(worker).finally(() => worker.stop("SIGKILL"));
    expect(code).toBe(1);
    // pino writes JSON, so the quotes in the message are escaped.
    expect(worker.output()).toContain(
      'Redis maxmemory-policy is \\"allkeys-lru\\", but BullMQ requires \\"noeviction\\"',
    );
    expect(worker.output()).not.toContain("storewise worker started");
  });

  it("stops the web app the same way", async () => {
    allowErrorLogs(EVICTION_REFUSAL);
    const url = await privateRedis(["--maxmemory-policy", "allkeys-lru"]);
    const port = await freePort();
    const web = startNodeProcess("server.ts", ["--build"], { ...inject("appEnv"), REDIS_URL: url, PORT: String(port) });
    const code = await exitOf(web).finally(() => web.stop("SIGKILL"));
    expect(code).toBe(1);
    expect(web.output()).toContain('BullMQ requires \\"noeviction\\"');
  });

  it("only warns when told to, and starts", async () => {
    const url = await privateRedis(["--maxmemory-policy", "allkeys-lru"]);
    const worker = await startWorker({ ...inject("appEnv"), REDIS_URL: url, REDIS_EVICTION_CHECK: "warn" });
    try {
      expect(worker.output()).toContain('Redis maxmemory-policy is \\"allkeys-lru\\"');
      // Its lines say which process wrote them.
      expect(worker.output()).toContain('"role":"worker"');
    } finally {
      await worker.stop();
    }
  });
});

describe("a worker stopped during an LLM call", () => {
  it("waits its grace period, aborts the call, and the job runs again without spending an attempt", async () => {
    const shop = `sigterm-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
    let worker = await startWorker({ ...inject("appEnv"), WORKER_SHUTDOWN_GRACE_MS: "1500" });
    await llmControl.setFaults({ latencyMs: 30_000 });
    const product = await control.createProduct(shop, { title: "Slow Thought Lamp" });
    // The job is running (its audit row says ACTIVE after a second) and waiting for the LLM.
    const active = await eventually(
      () => prisma.jobRun.findFirst({ where: { shopDomain: shop, name: "product.created", status: "ACTIVE" } }),
      { timeoutMs: 20_000, context: () => worker.output().slice(-3000) },
    );

    const stoppedAt = Date.now();
    expect(await worker.stop("SIGTERM")).toBe(0);
    const stopMs = Date.now() - stoppedAt;
    expect(stopMs).toBeGreaterThanOrEqual(1_400);
    expect(stopMs).toBeLessThan(12_000);
    const job = await getQueue("content").getJob(active.jobId);
    expect(job?.attemptsMade).toBe(0);
    expect(["delayed", "waiting", "prioritized"]).toContain(await job?.getState());

    await llmControl.clearFaults();
    worker = await startWorker(inject("appEnv"));
    try {
      const record = await eventually(
        async () => {
          const row = await prisma.productContent.findUnique({
            where: { shopDomain_productId: { shopDomain: shop, productId: product.id } },
          });
          return row?.status === "LIVE" ? row : null;
        },
        { timeoutMs: 30_000, context: () => worker.output().slice(-3000) },
      );
      expect(record.liveVersionId).toBeTruthy();
      const run = await eventually(() =>
        prisma.jobRun.findFirst({ where: { jobId: active.jobId, status: "COMPLETED" } }),
      );
      expect(run.attempts).toBe(1);
    } finally {
      await worker.stop();
    }
  }, 90_000);
});
