// The worker process: one BullMQ Worker per queue, all sharing the job harness in run-job.ts.
// Started with `npm run worker`. On SIGTERM it stops taking jobs and waits for active ones up to
// WORKER_SHUTDOWN_GRACE_MS (default LLM_TIMEOUT_MS + 15 s, so an LLM call in flight can finish);
// then it aborts them (they go back to the queue without spending an attempt) and exits. The
// container's stop grace period must be longer than that (README, docs/decisions/011).
import "./role";

import { UnrecoverableError, Worker, type Job } from "bullmq";

import { env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { allQueues, closeQueues, QUEUE_PREFIX } from "~/jobs/queues.server";
import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { registry } from "~/lib/metrics.server";
import { checkEvictionPolicyAtStart } from "~/lib/redis-eviction.server";
import { closeSharedRedis, createRedisConnection, redis, whenReady } from "~/lib/redis.server";
import { flushJobRuns, reconcileFailedJobs, recordJobRun } from "./job-runs";
import { startMetricsServer } from "./metrics-server";
import { runJob } from "./run-job";
import { startPublishSweeper } from "./sweeper";

const config = env();

/** Share of WORKER_CONCURRENCY per queue: content generation is slow I/O, shop jobs are rare. */
const CONCURRENCY: Record<QueueName, number> = {
  shop: 2,
  content: config.WORKER_CONCURRENCY,
  orders: 4,
  // Translation is LLM-bound like content and shares the same LLM and Admin clients' limits. A
  // translation job makes its LLM calls one after another, so it holds at most one of the LLM
  // client's LLM_MAX_CONCURRENCY slots: with fewer jobs than slots, slots sit idle once the copy is
  // done (bench/translations.ts measured half the bulkhead unused); extra jobs wait on the bulkhead.
  translation: Math.max(config.WORKER_CONCURRENCY, config.LLM_MAX_CONCURRENCY),
};

/** How long a stopping worker waits for active jobs before aborting them. */
export const SHUTDOWN_GRACE_MS = config.WORKER_SHUTDOWN_GRACE_MS ?? config.LLM_TIMEOUT_MS + 15_000;
/** After aborting, how long jobs get to hand themselves back before the process exits anyway. */
const ABORT_SETTLE_MS = 10_000;

function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}

// BullMQ requires noeviction; a Redis that can evict job keys loses work silently.
await checkEvictionPolicyAtStart(() => whenReady(redis(), 5_000), config.REDIS_EVICTION_CHECK, logger);

const workers = QUEUE_NAMES.map((queue) => {
  const worker = new Worker(queue, runJob, {
    connection: createRedisConnection("worker", `worker:${queue}`),
    prefix: QUEUE_PREFIX,
    concurrency: CONCURRENCY[queue],
    // A job of a SIGKILLed worker stalls through no fault of its own; BullMQ's default (1) fails
    // one that a second kill catches again, as the translation fault scenario does. Three still
    // stops a job that itself crashes the worker.
    maxStalledCount: 3,
  });
  worker.on("failed", (job, error) => {
    if (!job) return;
    const final = isFinalFailure(job, error);
    logger.warn({ err: error, jobId: job.id, queue, final }, final ? "job failed" : "job failed; will retry");
    void recordJobRun(job, final ? "FAILED" : "RETRYING", (error as Error & { cause?: unknown }).cause ?? error);
  });
  worker.on("completed", (job) => void recordJobRun(job, "COMPLETED"));
  worker.on("error", (error) => logger.error({ err: error, queue }, "worker error"));
  return worker;
});

const metricsServer = startMetricsServer(registry, config.WORKER_METRICS_PORT, config.METRICS_TOKEN);
logger.info({ queues: QUEUE_NAMES, concurrency: CONCURRENCY }, "storewise worker started");

// Failures whose audit row could not be written (Postgres was down) are rebuilt from the failed
// set, so each is visible in admin with Retry: at start, then every few minutes (a worker that
// lives through an outage has failures of its own to bring back), and every 30 s while Postgres
// does not answer.
const RECONCILE_EVERY_MS = 5 * 60_000;
let reconcileTimer: NodeJS.Timeout | undefined;
async function reconcile(): Promise<void> {
  let nextInMs = RECONCILE_EVERY_MS;
  try {
    const written = await reconcileFailedJobs(allQueues());
    if (written > 0) logger.info({ written }, "failed jobs reconciled into JobRun");
  } catch (error) {
    logger.warn({ err: error }, "could not reconcile failed jobs; trying again in 30 s");
    nextInMs = 30_000;
  }
  if (!stopping) reconcileTimer = setTimeout(() => void reconcile(), nextInMs).unref();
}
void reconcile();

// Versions left PUBLISHING by a dead attempt get their publish job again (workers/sweeper.ts).
const sweeper = startPublishSweeper(config.PUBLISH_SWEEP_INTERVAL_MS);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, "shutting down worker: waiting for active jobs");
  clearTimeout(reconcileTimer);
  sweeper.stop();
  const abort = setTimeout(() => {
    logger.warn("active jobs did not finish in time; aborting them (they run again without spending an attempt)");
    const reason = new AppError("WORKER_STOPPING", "the worker is stopping", { retryable: true });
    for (const worker of workers) worker.cancelAllJobs(reason as unknown as string);
  }, SHUTDOWN_GRACE_MS).unref();
  const forced = setTimeout(() => {
    logger.error("aborted jobs did not hand back in time; exiting (their locks expire and they run again)");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS + ABORT_SETTLE_MS).unref();
  await Promise.all(workers.map((worker) => worker.close()));
  clearTimeout(abort);
  metricsServer.close();
  await flushJobRuns();
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
  clearTimeout(forced);
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
