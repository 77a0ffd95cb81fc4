import type { JobRunStatus } from "@prisma/client";
import type { Job } from "bullmq";

import { prisma } from "~/db.server";
import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";

function shopOf(job: Job): string | null {
  const shop = (job.data as { shop?: unknown } | undefined)?.shop;
  return typeof shop === "string" ? shop : null;
}

/**
 * The job audit the merchant sees: one row per job, updated as it runs, fails, retries and ends.
 * Auditing must never fail a job, so errors here are logged and swallowed.
 */
export async function recordJobRun(job: Job, status: JobRunStatus, error?: unknown): Promise<void> {
  const failure =
    error === undefined
      ? { errorCode: null, error: null }
      : {
          errorCode: isAppError(error) ? error.code : "UNEXPECTED",
          error: isAppError(error) ? error.userMessage : ((error as Error)?.message?.slice(0, 500) ?? String(error)),
        };
  const finished = status === "COMPLETED" || status === "FAILED";
  try {
    await prisma.jobRun.upsert({
      where: { queue_jobId: { queue: job.queueName, jobId: job.id ?? "" } },
      create: {
        queue: job.queueName,
        jobId: job.id ?? "",
        name: job.name,
        shopDomain: shopOf(job),
        status,
        attempts: job.attemptsMade,
        finishedAt: finished ? new Date() : null,
        ...failure,
      },
      update: { status, attempts: job.attemptsMade, finishedAt: finished ? new Date() : null, ...failure },
    });
  } catch (auditError) {
    logger.error({ err: auditError, jobId: job.id, queue: job.queueName }, "could not record job run");
  }
}
