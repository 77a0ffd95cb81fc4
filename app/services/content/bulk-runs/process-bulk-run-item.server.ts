import type { BulkRunItemStatus } from "@prisma/client";

import { AppError, failureKind, isAppError } from "~/lib/errors";
import { handleProductChange, type ChangeOutcome } from "~/services/content/handle-product-change.server";
import { UNCHANGED_OUTCOME } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { descriptionFingerprint, factsFingerprint } from "~/services/content/product-fingerprint";
import type { CatalogStore } from "~/services/ports/catalog";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";
import type { Llm } from "~/services/ports/llm";

interface Options {
  db: Db;
  store: CatalogStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  itemId: string;
  /** Whether BullMQ will retry a failure of this attempt; only a final failure is shown as failed. */
  finalAttempt?: boolean;
  /** Whether an outage may still reschedule the job (docs/decisions/011). */
  rescheduleAllowed?: boolean;
}

const RESULT: Record<ChangeOutcome["outcome"], { status: BulkRunItemStatus; outcome: string }> = {
  published: { status: "DONE", outcome: "Published" },
  drafted: { status: "DONE", outcome: "Draft ready for review" },
  // Skipped, not done: the savings show (an unchanged product costs no tokens).
  unchanged: { status: "SKIPPED", outcome: UNCHANGED_OUTCOME },
  echo: { status: "SKIPPED", outcome: UNCHANGED_OUTCOME },
  "edit-ignored": { status: "SKIPPED", outcome: "Skipped" },
  paused: { status: "SKIPPED", outcome: "Paused: this month's token cap is used up" },
  skipped: { status: "SKIPPED", outcome: "Skipped" },
};

/**
 * One product of a bulk run, through the same pipeline as a new product (so an unchanged product
 * costs 0 tokens and a description is never overwritten unless the shop allows it). A failure is
 * recorded on the item with the merchant-facing message; it shows as failed (with Retry) once no
 * automatic retry is left.
 */
export async function processBulkRunItem({
  db,
  store,
  llm,
  shop,
  itemId,
  finalAttempt = true,
  rescheduleAllowed = true,
}: Options) {
  const item = await db.bulkRunItem.findFirst({
    where: { id: itemId, run: { shopDomain: shop } },
    include: { run: { select: { status: true } } },
  });
  if (!item) {
    throw new AppError("RESOURCE_NOT_FOUND", `no bulk run item ${itemId} for ${shop}`, {
      userMessage: "That bulk run item no longer exists.",
    });
  }
  if (item.status !== "QUEUED" && item.status !== "FAILED") return { outcome: item.status.toLowerCase() };
  if (item.run.status === "CANCELED") {
    await db.bulkRunItem.update({ where: { id: item.id }, data: { status: "CANCELED" } });
    return { outcome: "canceled" };
  }

  try {
    const facts = await store.product(item.productId);
    if (!facts) {
      throw new AppError("RESOURCE_NOT_FOUND", `product ${item.productId} no longer exists`, {
        userMessage: "The product was deleted before its copy could be written.",
      });
    }
    const result = await handleProductChange({
      db,
      store,
      llm,
      shop,
      facts,
      change: {
        kind: "bulk-run",
        productId: item.productId,
        factsHash: factsFingerprint(facts),
        descriptionHash: descriptionFingerprint(facts.descriptionHtml),
      },
    });
    const { status, outcome } = RESULT[result.outcome];
    await db.bulkRunItem.update({
      where: { id: item.id },
      data: {
        status,
        outcome: "reason" in result ? result.reason : outcome,
        tokens: "tokens" in result ? (result.tokens ?? 0) : 0,
        error: null,
        errorCode: null,
      },
    });
  } catch (error) {
    const kind = failureKind(error, finalAttempt, rescheduleAllowed);
    if (kind === "rescheduled") throw error;
    // A failure BullMQ will retry leaves the item queued, with the reason shown meanwhile.
    const final = kind === "final";
    await db.bulkRunItem.update({
      where: { id: item.id },
      data: {
        status: final ? "FAILED" : "QUEUED",
        errorCode: isAppError(error) ? error.code : "UNEXPECTED",
        error: isAppError(error) ? error.userMessage : "Something went wrong while writing this product's copy.",
      },
    });
    await completeRunIfDone({ db, runId: item.runId });
    throw error;
  }
  await completeRunIfDone({ db, runId: item.runId });
  return { outcome: "processed" };
}

/** Marks a running bulk run completed once none of its items is queued. */
export async function completeRunIfDone({ db, runId }: { db: Db; runId: string }) {
  const queued = await db.bulkRunItem.count({ where: { runId, status: "QUEUED" } });
  if (queued > 0) return;
  await db.bulkRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: { status: "COMPLETED", finishedAt: new Date() },
  });
}
