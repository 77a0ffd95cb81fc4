import { enqueue, enqueueMany } from "~/jobs/enqueue.server";
import { bulkPriority } from "~/jobs/fair-share.server";
import { AppError, failureKind, isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { catalogFilterOf } from "~/services/content/bulk-runs/bulk-run-scope";
import { completeRunIfDone } from "~/services/content/bulk-runs/process-bulk-run-item.server";
import type { CatalogEntry, CatalogFilter, CatalogStore } from "~/services/ports/catalog";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  store: CatalogStore;
  shop: string;
  runId: string;
  /** Whether BullMQ will retry a failure of this attempt. */
  finalAttempt?: boolean;
  /** Whether an outage may still reschedule the job (docs/decisions/011). */
  rescheduleAllowed?: boolean;
}

/** Up to this many products are read page by page; larger catalogs go through a bulk export. */
const DIRECT_READ_LIMIT = 250;
const POLL_INTERVAL_MS = 2_000;
// Small batches: a large createMany grows the Prisma query compiler's wasm memory for good (decision 009).
const INSERT_CHUNK = 500;

/**
 * The first step of a bulk run: read the products it covers and queue one item job each. A large
 * catalog is exported by the store in the background; this job then polls it by queueing itself
 * again later instead of waiting in a worker slot.
 */
export async function readBulkRunCatalog({
  db,
  store,
  shop,
  runId,
  finalAttempt = true,
  rescheduleAllowed = true,
}: Options) {
  try {
    return await readCatalog(db, store, shop, runId);
  } catch (error) {
    // A read that cannot succeed ends the run with the reason, so it does not block the next one.
    if (failureKind(error, finalAttempt, rescheduleAllowed) === "final") {
      await db.bulkRun.updateMany({
        where: { id: runId, shopDomain: shop, status: "READING" },
        data: {
          status: "FAILED",
          error: isAppError(error) ? error.userMessage : "The catalog could not be read from the store.",
          finishedAt: new Date(),
        },
      });
    }
    throw error;
  }
}

async function readCatalog(db: Db, store: CatalogStore, shop: string, runId: string) {
  const run = await db.bulkRun.findFirst({ where: { id: runId, shopDomain: shop } });
  if (!run) {
    throw new AppError("RESOURCE_NOT_FOUND", `no bulk run ${runId} for ${shop}`, {
      userMessage: "That bulk run no longer exists.",
    });
  }
  if (run.status === "CANCELED") {
    if (run.exportId) {
      await store
        .cancelCatalogExport(run.exportId)
        .catch((error: unknown) => logger.warn({ err: error, runId }, "could not cancel the catalog export"));
    }
    return { outcome: "canceled" as const };
  }
  if (run.status !== "READING") return { outcome: "already-read" as const };

  const filter = catalogFilterOf(run);
  let entries: CatalogEntry[];
  if (run.exportId) {
    const exported = await store.catalogExport(run.exportId);
    if (exported.status === "running") return pollAgain(shop, runId, exported.objectCount);
    if (exported.status !== "completed") {
      await db.bulkRun.updateMany({
        where: { id: runId, status: "READING" },
        data: { status: "FAILED", error: exported.error, finishedAt: new Date() },
      });
      return { outcome: "failed" as const };
    }
    entries = exported.entries;
  } else {
    if ((await store.countProducts(filter)) > DIRECT_READ_LIMIT) {
      const exportId = await store.startCatalogExport(filter);
      await db.bulkRun.update({ where: { id: runId }, data: { exportId } });
      return pollAgain(shop, runId, 0);
    }
    entries = await readPages(store, filter);
  }

  const selected = run.scope === "MISSING_DESCRIPTION" ? entries.filter((entry) => !entry.hasDescription) : entries;
  return queueItems(db, shop, runId, selected);
}

async function readPages(store: CatalogStore, filter: CatalogFilter): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  let after: string | null = null;
  do {
    const page = await store.listProducts(filter, after);
    entries.push(...page.entries);
    after = page.next;
  } while (after);
  return entries;
}

async function pollAgain(shop: string, runId: string, objectCount: number) {
  await enqueue(
    "bulk-run.read",
    { shop, runId },
    { jobId: `bulk-run-read-${runId}-${Date.now()}`, delayMs: POLL_INTERVAL_MS },
  );
  return { outcome: "exporting" as const, objectCount };
}

// Idempotent: a retried read finds its items already there and queues the same job ids again,
// which BullMQ ignores.
async function queueItems(db: Db, shop: string, runId: string, entries: CatalogEntry[]) {
  for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
    await db.bulkRunItem.createMany({
      data: entries
        .slice(start, start + INSERT_CHUNK)
        .map((entry) => ({ runId, productId: entry.id, title: entry.title || "Untitled product" })),
      skipDuplicates: true,
    });
  }
  const items = await db.bulkRunItem.findMany({
    where: { runId, status: "QUEUED" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  await enqueueMany(
    "bulk-run.item",
    items.map((item, rank) => ({
      payload: { shop, itemId: item.id },
      jobId: `bulk-run-item-${item.id}`,
      priority: bulkPriority(rank),
    })),
  );
  const now = new Date();
  await db.bulkRun.updateMany({
    where: { id: runId, status: "READING" },
    data: {
      status: entries.length === 0 ? "COMPLETED" : "RUNNING",
      total: entries.length,
      queuedAt: now,
      finishedAt: entries.length === 0 ? now : null,
    },
  });
  // Quick items (unchanged products) can all finish before the run above says RUNNING.
  await completeRunIfDone({ db, runId });
  return { outcome: "queued" as const, items: entries.length };
}
