import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { getQueue } from "~/jobs/queues.server";

export type QueueCounts = Record<QueueName, { waiting: number; active: number; delayed: number; failed: number }>;

/** Job counts per queue, for the dashboard. */
export async function queueCounts(): Promise<QueueCounts> {
  const entries = await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const counts = await getQueue(name).getJobCounts("waiting", "active", "delayed", "failed", "prioritized");
      return [
        name,
        {
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        },
      ] as const;
    }),
  );
  return Object.fromEntries(entries) as QueueCounts;
}

/** Moves a failed job back to waiting. Returns false when the job no longer exists or is not failed. */
export async function retryFailedJob(queue: QueueName, jobId: string): Promise<boolean> {
  const job = await getQueue(queue).getJob(jobId);
  if (!job || !(await job.isFailed())) return false;
  await job.retry("failed");
  return true;
}
