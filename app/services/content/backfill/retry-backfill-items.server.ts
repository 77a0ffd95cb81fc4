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
export async function retryBackfillItems({ db, shop, runId, itemId }: Options) {
  const run = await db.backfillRun.findFirst({ where: { id: runId, shopDomain: shop } });
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
  const failed = await db.backfillItem.findMany({
    where: { runId, status: "FAILED", ...(itemId ? { id: itemId } : {}) },
    select: { id: true },
  });
  if (failed.length === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no failed items to retry in ${runId}`, {
      userMessage: "There is no failed product to retry.",
    });
  }
  const ids = failed.map((item) => item.id);
  await db.$transaction([
    db.backfillItem.updateMany({
      where: { id: { in: ids } },
      data: { status: "QUEUED", error: null, errorCode: null },
    }),
    db.backfillRun.update({ where: { id: runId }, data: { status: "RUNNING", finishedAt: null } }),
  ]);
  const attempt = Date.now();
  await enqueueMany(
    "backfill.item",
    ids.map((id) => ({
      payload: { shop, itemId: id },
      jobId: `backfill-item-${id}-retry-${attempt}`,
      priority: bulkPriority(0),
    })),
  );
  return { retried: ids.length };
}
