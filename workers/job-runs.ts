import { randomUUID } from "node:crypto";

import { Prisma, type JobRunStatus } from "@prisma/client";
import type { Job, Queue } from "bullmq";

import { prisma } from "~/db.server";
import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import {
  erasedShopsAmong,
  isSkippedForErasedShop,
  skipAuditForErasedShop,
} from "~/services/compliance/erased-shops.server";

function shopOf(job: Job): string | null {
  const shop = (job.data as { shop?: unknown } | undefined)?.shop;
  return typeof shop === "string" ? shop : null;
}

/**
 * The job audit the merchant sees: one row per job, updated as it runs, fails, retries and ends.
 * Auditing must never fail a job, so errors here are logged and swallowed.
 * Completed jobs are the bulk of the rows and nobody waits for them: they are written in batches
 * (one statement per batch), while failures are written at once.
 */
export async function recordJobRun(job: Job, status: JobRunStatus, error?: unknown): Promise<void> {
  // A job of a shop erased by shop/redact leaves no audit row behind (compliance/erased-shops).
  if (isSkippedForErasedShop(job.returnvalue)) return;
  if (status === "COMPLETED") return completedRuns.add(job);
  const erased = await skipAuditForErasedShop({ db: prisma, shop: shopOf(job), job: job.name }).catch(
    (checkError: unknown) => {
      // Written anyway: the shop/redact sweep removes a row an erased shop should not have.
      logger.warn({ err: checkError, shop: shopOf(job), jobId: job.id }, "could not check for an erased shop");
      return false;
    },
  );
  if (erased) return;
  const failure =
    error === undefined
      ? { errorCode: null, error: null }
      : {
          errorCode: isAppError(error) ? error.code : "UNEXPECTED",
          error: isAppError(error) ? error.userMessage : ((error as Error)?.message?.slice(0, 500) ?? String(error)),
        };
  try {
    await upsertJobRun(job, job.queueName, { status, finishedAt: status === "FAILED" ? new Date() : null, ...failure });
  } catch (auditError) {
    logger.error({ err: auditError, jobId: job.id, queue: job.queueName }, "could not record job run");
  }
}

/** The job's audit row, created or brought up to date (one row per queue and job id). */
function upsertJobRun(
  job: Job,
  queue: string,
  row: { status: JobRunStatus; finishedAt: Date | null; errorCode: string | null; error: string | null },
) {
  const current = { ...row, attempts: job.attemptsMade };
  return prisma.jobRun.upsert({
    where: { queue_jobId: { queue, jobId: job.id ?? "" } },
    create: { queue, jobId: job.id ?? "", name: job.name, shopDomain: shopOf(job), ...current },
    update: current,
  });
}

/** Writes every completed run still waiting for its batch (the worker calls this on shutdown). */
export function flushJobRuns(): Promise<void> {
  return completedRuns.flush();
}

const BATCH_ROWS = 200;
const BATCH_MS = 100;

interface CompletedRun {
  queue: string;
  jobId: string;
  name: string;
  shopDomain: string | null;
  attempts: number;
  startedAt: Date;
  finishedAt: Date;
}

const completedRuns = new (class CompletedRunBatch {
  private pending = new Map<string, CompletedRun>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  add(job: Job): Promise<void> {
    const run = {
      queue: job.queueName,
      jobId: job.id ?? "",
      name: job.name,
      shopDomain: shopOf(job),
      attempts: job.attemptsMade,
      startedAt: new Date(job.processedOn ?? Date.now()),
      finishedAt: new Date(),
    };
    this.pending.set(`${run.queue}\u0000${run.jobId}`, run);
    if (this.pending.size >= BATCH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), BATCH_MS);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const runs = [...this.pending.values()];
    this.pending.clear();
    // Batches go one after another, so a later status never lands before an earlier one.
    this.writing = this.writing.then(() => (runs.length ? write(runs) : undefined));
    return this.writing;
  }
})();

// A row already FAILED stays failed only if no later attempt completed: completion wins.
async function write(batch: CompletedRun[]): Promise<void> {
  let runs = batch;
  try {
    const shops = [...new Set(batch.flatMap((run) => (run.shopDomain ? [run.shopDomain] : [])))];
    const erased = await erasedShopsAmong({ db: prisma, shops });
    runs = batch.filter((run) => !run.shopDomain || !erased.has(run.shopDomain));
    // An erased shop keeps no audit rows: this also takes the erasure job's own ACTIVE or RETRYING
    // row, and any row a job finishing during the erase wrote after it.
    if (erased.size) await prisma.jobRun.deleteMany({ where: { shopDomain: { in: [...erased] } } });
  } catch (error) {
    // The insert below fails too if the database is unreachable; this keeps the first cause.
    logger.warn(
      { err: error, jobIds: batch.map((run) => run.jobId) },
      "could not filter completed runs of erased shops",
    );
  }
  if (runs.length === 0) return;
  const rows = runs.map(
    (run) =>
      Prisma.sql`(${randomUUID()}, ${run.shopDomain}, ${run.queue}, ${run.name}, ${run.jobId}, 'COMPLETED'::"JobRunStatus", ${run.attempts}, ${run.startedAt}, ${run.finishedAt})`,
  );
  try {
    await prisma.$executeRaw`
      INSERT INTO "JobRun" ("id", "shopDomain", "queue", "name", "jobId", "status", "attempts", "startedAt", "finishedAt")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("queue", "jobId") DO UPDATE SET
        "status" = EXCLUDED."status", "attempts" = EXCLUDED."attempts", "finishedAt" = EXCLUDED."finishedAt",
        "errorCode" = NULL, "error" = NULL`;
  } catch (auditError) {
    logger.error({ err: auditError, rows: runs.length }, "could not record completed job runs");
  }
}

/** Shown for a failure whose audit row was rebuilt from the queue (its own write was lost). */
const RECONCILED_MESSAGE = "This job failed while its record could not be saved. Retry it to run it again.";
const RECONCILE_PAGE = 500;

/**
 * Makes every job in BullMQ's failed set visible as FAILED in JobRun, so a failure whose audit
 * write was lost (Postgres was down when it failed) still reaches the admin with Retry. Run by the
 * worker at start. Idempotent: rows already FAILED are left alone, others are upserted by
 * (queue, jobId). Returns how many rows it wrote.
 */
export async function reconcileFailedJobs(queues: Array<Pick<Queue, "name" | "getFailed">>): Promise<number> {
  let written = 0;
  for (const queue of queues) {
    for (let start = 0; ; start += RECONCILE_PAGE) {
      const jobs = (await queue.getFailed(start, start + RECONCILE_PAGE - 1)).filter((job): job is Job => !!job?.id);
      if (jobs.length === 0) break;
      const recorded = await prisma.jobRun.findMany({
        where: { queue: queue.name, jobId: { in: jobs.map((job) => job.id ?? "") }, status: "FAILED" },
        select: { jobId: true },
      });
      const known = new Set(recorded.map((row) => row.jobId));
      for (const job of jobs.filter((candidate) => !known.has(candidate.id ?? ""))) {
        await upsertJobRun(job, queue.name, {
          status: "FAILED",
          finishedAt: new Date(job.finishedOn ?? Date.now()),
          errorCode: "UNEXPECTED",
          error: RECONCILED_MESSAGE,
        });
        written++;
      }
      if (jobs.length < RECONCILE_PAGE) break;
    }
  }
  return written;
}
