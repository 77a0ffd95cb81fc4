import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { getQueue } from "~/jobs/queues.server";
import { shopWork, trackShopJobs, type ShopWork } from "~/jobs/shop-work.server";
import { logger } from "~/lib/logger.server";

export type QueueCounts = Record<QueueName, ShopWork>;

/** The shop's own job counts per queue, for its dashboard (never the queues' totals: other shops' work). */
export async function shopQueueCounts(shop: string): Promise<QueueCounts> {
  return shopWork(shop, QUEUE_NAMES);
}

/** Moves a failed job back to waiting. Returns false when the job no longer exists or is not failed. */
export async function retryFailedJob(queue: QueueName, jobId: string): Promise<boolean> {
  const job = await getQueue(queue).getJob(jobId);
  if (!job || !(await job.isFailed())) return false;
  // Indexed again before it runs (an old failure may have left the shop's index); nothing may sit
  // between retry() and the caller's audit update, or a fast failure lands before it.
  const shop = (job.data as { shop?: unknown } | undefined)?.shop;
  if (typeof shop === "string") {
    // Only the dashboard's counts miss the job; the retry itself goes ahead.
    await trackShopJobs(shop, queue, [jobId]).catch((error: unknown) =>
      logger.warn({ err: error, shop, jobId, queue }, "retried job not indexed for the dashboard"),
    );
  }
  await job.retry("failed");
  return true;
}
