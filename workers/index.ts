// The worker process: one BullMQ Worker per queue, all sharing the job harness in run-job.ts.
// Started with `npm run worker`; stops taking jobs on SIGTERM and exits once active jobs finish.
process.env.STOREWISE_ROLE ??= "worker";

import { UnrecoverableError, Worker, type Job } from "bullmq";

import { env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { closeQueues, QUEUE_PREFIX } from "~/jobs/queues.server";
import { logger } from "~/lib/logger.server";
import { registry } from "~/lib/metrics.server";
import { closeSharedRedis, createRedisConnection } from "~/lib/redis.server";
import { flushJobRuns, recordJobRun } from "./job-runs";
import { startMetricsServer } from "./metrics-server";
import { runJob } from "./run-job";

const config = env();

/** Share of WORKER_CONCURRENCY per queue: content generation is slow I/O, shop jobs are rare. */
const CONCURRENCY: Record<QueueName, number> = {
  shop: 2,
  content: config.WORKER_CONCURRENCY,
  orders: 4,
};

function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}

const workers = QUEUE_NAMES.map((queue) => {
  const worker = new Worker(queue, runJob, {
    connection: createRedisConnection("worker", `worker:${queue}`),
    prefix: QUEUE_PREFIX,
    concurrency: CONCURRENCY[queue],
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

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down worker: waiting for active jobs");
  const forced = setTimeout(() => {
    logger.error("active jobs did not finish in time; exiting (their locks expire and they run again)");
    process.exit(1);
  }, 25_000).unref();
  await Promise.all(workers.map((worker) => worker.close()));
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
