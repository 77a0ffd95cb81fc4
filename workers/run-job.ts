import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { ZodError } from "zod";

import { isJobName, parseJobPayload, type JobName } from "~/jobs/definitions";
import { AppError, isAppError } from "~/lib/errors";
import { logger, withLogContext } from "~/lib/logger.server";
import { jobsProcessed } from "~/lib/metrics.server";
import { prisma } from "~/db.server";
import { skipJobForErasedShop, SKIPPED_FOR_ERASED_SHOP } from "~/services/compliance/erased-shops.server";
import { recordJobRun } from "./job-runs";
import { processors, type Processor } from "./processors";

/** How long a job runs before its audit row shows it as ACTIVE. */
const ACTIVE_AFTER_MS = 1_000;

/**
 * Runs one job: validate its payload, call its processor, and translate failures for BullMQ.
 * - A shop out of Admin API budget does not hold the worker slot: the job is moved to delayed
 *   until the budget refills, and the attempt is not counted.
 * - An AppError that retrying cannot fix becomes UnrecoverableError (no further attempts).
 */
export async function runJob(job: Job, token: string | undefined): Promise<unknown> {
  const shop = (job.data as { shop?: string }).shop;
  return withLogContext({ jobId: job.id, queue: job.queueName, shop }, async () => {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
    const name: JobName = job.name;
    // Most jobs end within a few hundred ms: their audit row is written once, when they end (in
    // workers/index.ts). Only a job still running after a second is recorded as ACTIVE meanwhile.
    let active: Promise<void> | undefined;
    const timer = setTimeout(() => (active = recordJobRun(job, "ACTIVE")), ACTIVE_AFTER_MS);
    try {
      // A job queued before shop/redact (or retried after it) must not write the erased shop's data again.
      if (await skipJobForErasedShop({ db: prisma, shop, job: name })) return SKIPPED_FOR_ERASED_SHOP;
      const payload = parseJobPayload(name, job.data);
      // The last attempt is where a failure becomes final (what a merchant is shown as failed).
      const attempt = { final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) };
      const result = await (processors[name] as Processor<JobName>)(payload as never, attempt);
      jobsProcessed.inc({ queue: job.queueName, name, outcome: "completed" });
      return result;
    } catch (error) {
      if (isAppError(error, "ADMIN_API_BUDGET_EXHAUSTED") && token) {
        const retryInMs = Number(error.details.retryInMs ?? 1_000);
        await job.moveToDelayed(Date.now() + retryInMs, token);
        jobsProcessed.inc({ queue: job.queueName, name, outcome: "rescheduled" });
        throw new DelayedError();
      }
      jobsProcessed.inc({ queue: job.queueName, name, outcome: "failed" });
      const failure =
        error instanceof ZodError
          ? new AppError("INVALID_INPUT", `invalid payload for ${name}`, {
              userMessage: `invalid payload for ${name}: ${error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
              cause: error,
            })
          : error;
      if (failure instanceof AppError && !failure.retryable) {
        logger.warn({ err: failure, code: failure.code }, "job failed permanently");
        // job-runs.ts records the AppError (code and merchant-facing message), not this wrapper.
        const permanent = new UnrecoverableError(failure.message);
        (permanent as UnrecoverableError & { cause?: unknown }).cause = failure;
        throw permanent;
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      // The final status must land after ACTIVE, never before it.
      await active;
    }
  });
}
