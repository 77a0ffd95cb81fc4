import { enqueueMany } from "~/jobs/enqueue.server";
import { bulkPriority } from "~/jobs/fair-share.server";
import { AppError } from "~/lib/errors";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  runId: string;
  /** One failed item; all of the run's failed items when absent. */
  itemId?: string;
}

/** Queues failed products of a bulk run again, ahead of the rest of the bulk work. */
export async function retryBulkRunItems({ db, shop, runId, itemId }: Options) {
  const run = await db.bulkRun.findFirst({ where: { id: runId, shopDomain: shop } });
  if (!run) {
    throw new AppError("RESOURCE_NOT_FOUND", `no bulk run ${runId} for ${shop}`, {
      userMessage: "That bulk run no longer exists.",
    });
  }
  if (run.status === "CANCELED") {
    throw new AppError("INVALID_INPUT", `bulk run ${runId} was canceled`, {
      userMessage: "This bulk run was canceled. Start a new one to write the remaining products.",
    });
  }
  const failed = await db.bulkRunItem.findMany({
    where: { runId, status: "FAILED", ...(itemId ? { id: itemId } : {}) },
    select: { id: true, updatedAt: true },
  });
  if (failed.length === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no failed items to retry in ${runId}`, {
      userMessage: "There is no failed product to retry.",
    });
  }
  const ids = failed.map((item) => item.id);
  // State and enqueue in one transaction, the enqueue last: if the queue cannot be reached the
  // items stay FAILED with Retry, never QUEUED with no job. A job that starts before the commit
  // reads the item as FAILED (which it processes) and its write waits for the commit. Job ids come
  // from each item's updatedAt, so a retry after a failed call re-adds the same jobs.
  await db.$transaction(
    async (tx) => {
      await tx.bulkRunItem.updateMany({
        where: { id: { in: ids }, status: "FAILED" },
        data: { status: "QUEUED", error: null, errorCode: null },
      });
      await tx.bulkRun.update({ where: { id: runId }, data: { status: "RUNNING", finishedAt: null } });
      await enqueueMany(
        "bulk-run.item",
        failed.map((item) => ({
          payload: { shop, itemId: item.id },
          jobId: `bulk-run-item-${item.id}-retry-${item.updatedAt.getTime()}`,
          priority: bulkPriority(0),
        })),
      );
    },
    { timeout: 60_000 },
  );
  return { retried: ids.length };
}
