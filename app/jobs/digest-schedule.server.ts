import { jobDefinitions } from "~/jobs/definitions";
import { getQueue } from "~/jobs/queues.server";
import { withTimeout } from "~/lib/with-timeout";

/**
 * The weekly insights digest's BullMQ job scheduler, one per installed shop (docs/decisions/028).
 * Its id is the shop, so creating it again (each install, the first insights visit) is an upsert,
 * and removing it (uninstall, shop/redact) stops the week's job from being produced at all: a
 * removed scheduler's pending job is removed with it.
 */
export const DIGEST_JOB = "insights.weekly-digest" as const;
/** Mondays 06:00 UTC: the week before is complete (Monday to Sunday) in every time zone by then. */
export const DIGEST_PATTERN = "0 6 * * 1";

export const digestSchedulerId = (shop: string) => `insights-digest:${shop}`;

const queue = () => getQueue(jobDefinitions[DIGEST_JOB].queue);

/** Creates the shop's weekly digest scheduler unless it already exists with the current pattern. */
export async function ensureDigestSchedule(shop: string, timeoutMs = 2_000): Promise<"created" | "exists"> {
  const id = digestSchedulerId(shop);
  const existing = await withTimeout(queue().getJobScheduler(id), timeoutMs);
  if (existing && existing.pattern === DIGEST_PATTERN) return "exists";
  const payload = jobDefinitions[DIGEST_JOB].payload.parse({ shop, trigger: "scheduled" });
  await withTimeout(
    queue().upsertJobScheduler(
      id,
      { pattern: DIGEST_PATTERN, tz: "UTC" },
      {
        name: DIGEST_JOB,
        data: payload,
        opts: { removeOnComplete: { age: jobDefinitions[DIGEST_JOB].keepCompletedSeconds } },
      },
    ),
    timeoutMs,
  );
  return "created";
}

/** Removes the shop's scheduler (and its next job); true when there was one. */
export async function removeDigestSchedule(shop: string): Promise<boolean> {
  return queue().removeJobScheduler(digestSchedulerId(shop));
}
