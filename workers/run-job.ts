import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { ZodError } from "zod";

import { env } from "~/config/env.server";
import { isJobName, parseJobPayload, type JobName } from "~/jobs/definitions";
import { AppError, isAppError, isOutage } from "~/lib/errors";
import { logger, withLogContext } from "~/lib/logger.server";
import { jobsProcessed } from "~/lib/metrics.server";
import { prisma } from "~/db.server";
import { skipJobForErasedShop, SKIPPED_FOR_ERASED_SHOP } from "~/services/compliance/erased-shops.server";
import { recordJobRun } from "./job-runs";
import { processors, type Processor } from "./processors";
import { RESCHEDULES_KEY, rescheduleDelayMs, reschedulesOf } from "./reschedule";

/** How long a job runs before its audit row shows it as ACTIVE. */
const ACTIVE_AFTER_MS = 1_000;

/** The reason a stopping worker gives the jobs it aborts (workers/index.ts). */
export const SHUTDOWN_ABORT = "worker shutting down";

/**
 * Runs one job: validate its payload, call its processor, and translate failures for BullMQ.
 * - An outage (LLM circuit open or rate-limited, Admin API throttled or out of budget, Postgres
 *   or Redis unreachable: isOutage in lib/errors) does not spend an attempt: the job is moved to
 *   delayed with a backoff in minutes (workers/reschedule.ts), at most JOB_RESCHEDULE_LIMIT times;
 *   then the outage is a final, visible failure. Job.moveToDelayed passes skipAttempt, so BullMQ's
 *   attemptsMade stays as it was (docs/decisions/011). Out-of-budget waits are pacing, not an
 *   outage: they use the bucket's refill time and do not count towards the limit.
 * - A job aborted by a stopping worker is put back the same way, at once.
 * - An AppError that retrying cannot fix becomes UnrecoverableError (no further attempts).
 */
export async function runJob(job: Job, token: string | undefined, signal?: AbortSignal): Promise<unknown> {
  const shop = (job.data as { shop?: string }).shop;
  return withLogContext({ jobId: job.id, queue: job.queueName, shop }, async () => {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
    const name: JobName = job.name;
    const config = env();
    const reschedules = reschedulesOf(job);
    const rescheduleAllowed = reschedules < config.JOB_RESCHEDULE_LIMIT;
    // Most jobs end within a few hundred ms: their audit row is written once, when they end (in
    // workers/index.ts). Only a job still running after a second is recorded as ACTIVE meanwhile.
    let active: Promise<void> | undefined;
    const timer = setTimeout(() => (active = recordJobRun(job, "ACTIVE")), ACTIVE_AFTER_MS);
    try {
      const payload = parseJobPayload(name, job.data);
      // A job queued before shop/redact (or retried after it) must not write the erased shop's data
      // again. After parsing: a payload that can never run fails for good, whatever the database says.
      if (await skipJobForErasedShop({ db: prisma, shop: payload.shop, job: name })) return SKIPPED_FOR_ERASED_SHOP;
      // The last attempt is where a failure becomes final (what a merchant is shown as failed).
      const attempt = {
        final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        rescheduleAllowed,
        signal: signal ?? new AbortController().signal,
      };
      const result = await (processors[name] as Processor<JobName>)(payload as never, attempt);
      jobsProcessed.inc({ queue: job.queueName, name, outcome: "completed" });
      return result;
    } catch (error) {
      if (token && signal?.aborted) {
        logger.warn({ reason: String(signal.reason) }, "job aborted; it runs again without spending an attempt");
        await putBack(job, token, 0);
        jobsProcessed.inc({ queue: job.queueName, name, outcome: "rescheduled" });
        throw new DelayedError();
      }
      if (token && isOutage(error)) {
        if (isAppError(error, "ADMIN_API_BUDGET_EXHAUSTED")) {
          await putBack(job, token, Number(error.details.retryInMs ?? 1_000));
          jobsProcessed.inc({ queue: job.queueName, name, outcome: "rescheduled" });
          throw new DelayedError();
        }
        if (rescheduleAllowed) {
          const delayMs = rescheduleDelayMs(reschedules, error, {
            baseMs: config.JOB_RESCHEDULE_BASE_MS,
            maxMs: config.JOB_RESCHEDULE_MAX_MS,
            limit: config.JOB_RESCHEDULE_LIMIT,
          });
          logger.info(
            { err: error, code: isAppError(error) ? error.code : undefined, delayMs, reschedules: reschedules + 1 },
            "dependency unavailable; job rescheduled without spending an attempt",
          );
          await putBack(job, token, delayMs, reschedules + 1);
          jobsProcessed.inc({ queue: job.queueName, name, outcome: "rescheduled" });
          throw new DelayedError();
        }
        jobsProcessed.inc({ queue: job.queueName, name, outcome: "failed" });
        logger.warn({ err: error, reschedules }, "job rescheduled too often; failing it");
        throw permanently(error, `${(error as Error).message} (gave up after ${reschedules} reschedules)`);
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
        throw permanently(failure, failure.message);
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      // The final status must land after ACTIVE, never before it.
      await active;
    }
  });
}

/** UnrecoverableError carrying the error job-runs.ts records (code and merchant-facing message). */
function permanently(cause: unknown, message: string): UnrecoverableError {
  const permanent = new UnrecoverableError(message);
  (permanent as UnrecoverableError & { cause?: unknown }).cause = cause;
  return permanent;
}

/**
 * Moves the active job back to delayed without spending an attempt. If Redis itself is down this
 * fails too; the job's lock then expires and BullMQ's stalled check runs it again.
 */
async function putBack(job: Job, token: string, delayMs: number, reschedules?: number): Promise<void> {
  try {
    if (reschedules !== undefined) await job.updateData({ ...(job.data as object), [RESCHEDULES_KEY]: reschedules });
    await job.moveToDelayed(Date.now() + delayMs, token);
  } catch (moveError) {
    logger.error({ err: moveError }, "could not reschedule job; it runs again once its lock expires");
    throw moveError;
  }
}
