import { enqueue } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
import type { BulkRunSelection } from "~/services/content/bulk-runs/bulk-run-scope";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  selection: BulkRunSelection;
}

/** Starts a bulk run: the worker reads the catalog, then writes copy product by product. */
export async function startBulkRun({ db, shop, selection }: Options) {
  // One run at a time per shop, even for two clicks at once: the check and the insert share a
  // transaction that holds the shop's advisory lock.
  const run = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`bulk-run:${shop}`}))::text`;
    const active = await tx.bulkRun.findFirst({
      where: { shopDomain: shop, status: { in: ["READING", "RUNNING"] } },
      select: { id: true },
    });
    if (active) {
      throw new AppError("INVALID_INPUT", `a bulk run is already in progress for ${shop}`, {
        userMessage: "A bulk run is already in progress. Cancel it or wait for it to finish.",
      });
    }
    return tx.bulkRun.create({
      data: {
        shopDomain: shop,
        scope: selection.scope,
        scopeValue:
          selection.scope === "COLLECTION" ? selection.collectionId : selection.scope === "TAG" ? selection.tag : null,
        scopeLabel: selection.scope === "COLLECTION" ? selection.collectionTitle : null,
      },
    });
  });
  try {
    await enqueue("bulk-run.read", { shop, runId: run.id }, { jobId: `bulk-run-read-${run.id}` });
  } catch (error) {
    // Not started, so not "in progress": the merchant can simply try again.
    await db.bulkRun.delete({ where: { id: run.id } });
    throw error;
  }
  return run;
}
