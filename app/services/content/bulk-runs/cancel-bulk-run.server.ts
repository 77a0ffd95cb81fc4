import { AppError } from "~/lib/errors";
import type { Db } from "~/services/types";

/**
 * Stops a bulk run: products not started yet are marked canceled (their queued jobs find that and
 * do nothing); a product being written right now finishes. A running catalog export is canceled
 * by the read job when it next looks.
 */
export async function cancelBulkRun({ db, shop, runId }: { db: Db; shop: string; runId: string }) {
  const stopped = await db.bulkRun.updateMany({
    where: { id: runId, shopDomain: shop, status: { in: ["READING", "RUNNING"] } },
    data: { status: "CANCELED", finishedAt: new Date() },
  });
  if (stopped.count === 0) {
    // Another shop's run is "not found", never "already finished": its state is not A's to learn.
    const exists = await db.bulkRun.count({ where: { id: runId, shopDomain: shop } });
    if (exists === 0) {
      throw new AppError("RESOURCE_NOT_FOUND", `no bulk run ${runId} for ${shop}`, {
        userMessage: "That bulk run could not be found.",
      });
    }
    throw new AppError("INVALID_INPUT", `bulk run ${runId} of ${shop} is not in progress`, {
      userMessage: "That bulk run has already finished.",
    });
  }
  const canceled = await db.bulkRunItem.updateMany({
    where: { runId, status: "QUEUED" },
    data: { status: "CANCELED" },
  });
  return { canceled: canceled.count };
}
