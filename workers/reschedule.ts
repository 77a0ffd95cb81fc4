import type { Job } from "bullmq";

import { isAppError } from "~/lib/errors";

/** Where a job keeps how often an outage has rescheduled it (stripped by its payload schema). */
export const RESCHEDULES_KEY = "_reschedules";

export interface ReschedulePolicy {
  baseMs: number;
  maxMs: number;
  limit: number;
}

export function reschedulesOf(job: Job): number {
  const value = (job.data as Record<string, unknown> | undefined)?.[RESCHEDULES_KEY];
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * Delay before the (n+1)-th outage reschedule: base * 2^n capped at max, with +-20% jitter so a
 * run's jobs do not come back at the same instant; never sooner than the dependency asked for
 * (a Retry-After or a bucket refill in the error's details). docs/decisions/011.
 */
export function rescheduleDelayMs(
  reschedules: number,
  error: unknown,
  policy: ReschedulePolicy,
  random = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(reschedules, 30));
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()));
  const asked = isAppError(error) ? Number(error.details.retryInMs ?? error.details.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, Number.isFinite(asked) ? asked : 0);
}
