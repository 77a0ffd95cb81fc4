import type { Job } from "bullmq";
import type { Redis } from "ioredis";

import { QUEUE_NAMES } from "~/jobs/definitions";
import { allQueues, QUEUE_PREFIX } from "~/jobs/queues.server";
import { logger } from "~/lib/logger.server";

/** Job states whose jobs still hold the shop's ids and can be removed (an active job is locked). */
const PURGED_STATES = ["waiting", "prioritized", "delayed", "failed", "completed"] as const;
const PAGE = 500;

/**
 * shop/redact: removes every job of the shop from every queue, whatever its state but active
 * (a running job cannot be removed; the worker's erased-shop check stops it from writing).
 * BullMQ has no index by payload, so each queue is read in pages; this runs once per erased shop.
 */
export async function purgeShopJobs(shop: string): Promise<number> {
  let removed = 0;
  for (const queue of allQueues()) {
    for (const state of PURGED_STATES) {
      const doomed: Job[] = [];
      for (let start = 0; ; start += PAGE) {
        const page = await queue.getJobs([state], start, start + PAGE - 1);
        doomed.push(...page.filter((job) => (job?.data as { shop?: unknown } | undefined)?.shop === shop));
        if (page.length < PAGE) break;
      }
      for (const job of doomed) {
        try {
          await job.remove();
          removed += 1;
        } catch (error) {
          // It became active meanwhile: the erased-shop check skips it.
          logger.warn({ err: error, jobId: job.id, queue: queue.name }, "could not remove an erased shop's job");
        }
      }
    }
  }
  return removed;
}

/**
 * shop/redact: deletes the shop's own Redis keys (fair-share turns, the Admin API cost bucket, the
 * token-refresh lock, and any later `storewise:<what>:<shop>` key). Queue keys are BullMQ's and
 * are left to purgeShopJobs, even when a job id happens to contain the domain.
 */
export async function purgeShopKeys(connection: Redis, shop: string): Promise<number> {
  const queueKeys = QUEUE_NAMES.map((name) => `${QUEUE_PREFIX}:${name}:`);
  let cursor = "0";
  let deleted = 0;
  do {
    // The shop is the key's last segment: a substring match would also take `ba.myshopify.com`'s
    // keys when erasing `a.myshopify.com`.
    const [next, keys] = await connection.scan(cursor, "MATCH", `${QUEUE_PREFIX}:*:${escapeGlob(shop)}`, "COUNT", 1000);
    cursor = next;
    const own = keys.filter((key) => key.endsWith(`:${shop}`) && !queueKeys.some((prefix) => key.startsWith(prefix)));
    if (own.length) deleted += await connection.del(...own);
  } while (cursor !== "0");
  return deleted;
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, "\\$&");
}
