import { afterAll, beforeAll, inject } from "vitest";

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
