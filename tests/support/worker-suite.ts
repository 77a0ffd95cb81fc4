import { afterAll, afterEach, beforeAll, inject } from "vitest";

import { prisma } from "~/db.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { eventually } from "./eventually";
import { startWorker, type RunningProcess } from "./processes";

/**
 * A real worker for the test file's lifetime, and what the file opened (queues, Redis, Prisma)
 * closed after it. `waitUntil` polls an effect of the worker and fails with the worker's log.
 */
export function withWorker(options: { waitMs?: number } = {}) {
  let worker: RunningProcess;
  beforeAll(async () => {
    worker = await startWorker(inject("appEnv"));
  });
  afterAll(async () => {
    await worker.stop();
    await closeQueues();
    await closeSharedRedis();
    await prisma.$disconnect();
  });
  return {
    waitUntil: <T>(check: () => Promise<T | null | undefined | false>, timeoutMs = options.waitMs ?? 20_000) =>
      eventually(check, { timeoutMs, context: () => worker.output().slice(-3000) }),
  };
}

/**
 * A worker each test starts itself, with its own environment on top of the app's, stopped after
 * each test (after `cleanUp`, which undoes the test's emulator faults); what the file opened is
 * closed after it. `waitUntil` fails with the running worker's log.
 */
export function workerPerTest(options: { env?: Record<string, string>; cleanUp?: () => Promise<unknown> } = {}) {
  let worker: RunningProcess | undefined;
  afterEach(async () => {
    await options.cleanUp?.();
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await closeQueues();
    await closeSharedRedis();
    await prisma.$disconnect();
  });
  return {
    start: async (env: Record<string, string> = {}) =>
      (worker = await startWorker({ ...inject("appEnv"), ...options.env, ...env })),
    /** The worker the test started last (undefined before `start` and after each test). */
    get current() {
      return worker;
    },
    waitUntil: <T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) =>
      eventually(check, { timeoutMs, context: () => worker?.output().slice(-3000) ?? "" }),
  };
}
