import type { BulkRunItemStatus } from "@prisma/client";

import { enqueueMany } from "~/jobs/enqueue.server";
import { bulkPriority } from "~/jobs/fair-share.server";
import { AppError, failureKind, isAppError } from "~/lib/errors";
import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationsStore } from "~/services/ports/translations";
import type { CostEstimate } from "~/services/translations/admin/estimate-translation-cost";
import { isPending, type ResourceStatus } from "~/services/translations/admin/translation-status.server";
import { translateResource, type TranslationOutcome } from "~/services/translations/translate-resource.server";
import type { Db } from "~/services/types";

export type BulkTranslationScope = "pending" | "chosen";

/**
 * Starts a bulk translation of `statuses` (already narrowed to what the merchant chose, with the
 * estimate they saw): a run with one item per resource, each a `translation.bulk-item` job on the
 * translation queue after all live work, the n-th item of every shop's run sharing a priority
 * (fair-share.server.ts, decision 008). One run at a time per shop.
 */
export async function startTranslationBulkRun({
  db,
  shop,
  scope,
  locales,
  statuses,
  estimate,
}: {
  db: Db;
  shop: string;
  scope: BulkTranslationScope;
  locales: string[];
  statuses: ResourceStatus[];
  estimate: CostEstimate;
}) {
  const chosen = statuses.filter((status) => status.title !== null && (scope === "chosen" || isPending(status)));
  if (chosen.length === 0) {
    throw new AppError("INVALID_INPUT", `nothing to translate for ${shop}`, {
      userMessage:
        scope === "pending" ? "Everything is translated and up to date." : "Choose at least one item to translate.",
    });
  }
  const run = await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`translation-bulk-run:${shop}`}))::text`;
      const active = await tx.translationBulkRun.findFirst({
        where: { shopDomain: shop, status: "RUNNING" },
        select: { id: true },
      });
      if (active) {
        throw new AppError("INVALID_INPUT", `a bulk translation is already running for ${shop}`, {
          userMessage: "A bulk translation is already running. Cancel it or wait for it to finish.",
        });
      }
      return tx.translationBulkRun.create({
        data: {
          shopDomain: shop,
          scope,
          locales,
          total: chosen.length,
          estimatedWords: estimate.words,
          estimatedTokens: estimate.tokens,
          estimatedCostUsd: estimate.costUsd,
          items: {
            create: chosen.map((status) => ({
              resourceId: status.resourceId,
              kind: status.kind,
              title: status.title ?? status.resourceId,
            })),
          },
        },
        include: { items: { select: { id: true, resourceId: true } } },
      });
    },
    { timeout: 60_000 },
  );
  const order = new Map(chosen.map((status, rank) => [status.resourceId, rank]));
  try {
    await enqueueMany(
      "translation.bulk-item",
      run.items.map((item) => ({
        payload: { shop, itemId: item.id },
        jobId: `translation-bulk-item-${item.id}`,
        priority: bulkPriority(order.get(item.resourceId) ?? 0),
      })),
    );
  } catch (error) {
    // Not started, so not "running": the merchant can simply try again.
    await db.translationBulkRun.delete({ where: { id: run.id } });
    throw error;
  }
  return { id: run.id, total: run.items.length };
}

const OUTCOMES: Record<TranslationOutcome["outcome"], { status: BulkRunItemStatus; outcome: string }> = {
  translated: { status: "DONE", outcome: "Translated" },
  unchanged: { status: "DONE", outcome: "Already up to date" },
  partial: { status: "FAILED", outcome: "Partly translated" },
  failed: { status: "FAILED", outcome: "Not translated" },
  "resource-gone": { status: "SKIPPED", outcome: "Deleted from the store before it was translated" },
  "no-locales": { status: "SKIPPED", outcome: "No language to translate into" },
  paused: { status: "SKIPPED", outcome: "Paused: this month's token cap is used up" },
};

/**
 * One resource of a bulk translation, through the pipeline's own entry (translateResource, with
 * failed keys retried as on a merchant's request). A canceled run's item does nothing: no Admin
 * call, no tokens. The outcome is recorded on the item; a failure names its reasons.
 */
export async function processTranslationBulkItem({
  db,
  store,
  llm,
  shop,
  itemId,
  finalAttempt = true,
  rescheduleAllowed = true,
}: {
  db: Db;
  store: TranslationsStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  itemId: string;
  finalAttempt?: boolean;
  rescheduleAllowed?: boolean;
}) {
  const item = await db.translationBulkRunItem.findFirst({
    where: { id: itemId, run: { shopDomain: shop } },
    include: { run: { select: { status: true } } },
  });
  if (!item) return { outcome: "gone" as const };
  if (item.status !== "QUEUED") return { outcome: item.status.toLowerCase() };
  if (item.run.status === "CANCELED") {
    await db.translationBulkRunItem.updateMany({
      where: { id: item.id, status: "QUEUED" },
      data: { status: "CANCELED" },
    });
    return { outcome: "canceled" as const };
  }
  // Taking the item: from here a cancel lets it finish. A cancel that came first wins (no longer QUEUED).
  const startedAt = new Date();
  const claimed = await db.translationBulkRunItem.updateMany({
    where: { id: item.id, status: "QUEUED" },
    data: { startedAt },
  });
  if (claimed.count === 0) return { outcome: "canceled" as const };
  try {
    const result = await translateResource({ db, store, llm, shop, resourceId: item.resourceId, retryFailed: true });
    const { status, outcome } = OUTCOMES[result.outcome];
    let error: string | null = null;
    if (status === "FAILED") {
      const failed = await db.translationEntry.findMany({
        where: {
          shopDomain: shop,
          resourceId: item.resourceId,
          status: "FAILED",
          updatedAt: { gte: startedAt },
          failureReason: { not: null },
        },
        select: { failureReason: true, locale: true },
        take: 20,
      });
      const reasons = [...new Set(failed.map((entry) => `${entry.locale}: ${entry.failureReason}`))];
      error = reasons.length
        ? reasons.slice(0, 3).join(" · ")
        : "Some of its options or image alt texts could not be translated; open it to see which.";
    }
    await db.translationBulkRunItem.update({
      where: { id: item.id },
      data: {
        status,
        outcome: result.outcome === "partial" ? `${outcome}: ${result.registered} fields registered` : outcome,
        tokens: result.tokens,
        error,
      },
    });
  } catch (caught) {
    const kind = failureKind(caught, finalAttempt, rescheduleAllowed);
    if (kind === "final") {
      await db.translationBulkRunItem.update({
        where: { id: item.id },
        data: {
          status: "FAILED",
          outcome: "Not translated",
          error: isAppError(caught) ? caught.userMessage : "Something went wrong while translating this item.",
        },
      });
      await completeIfDone(db, item.runId);
    }
    throw caught;
  }
  await completeIfDone(db, item.runId);
  return { outcome: "processed" as const };
}

async function completeIfDone(db: Db, runId: string) {
  const queued = await db.translationBulkRunItem.count({ where: { runId, status: "QUEUED" } });
  if (queued > 0) return;
  await db.translationBulkRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: { status: "COMPLETED", finishedAt: new Date() },
  });
}

/** Stops a bulk translation: queued items are canceled (their jobs do nothing); items in flight finish. */
export async function cancelTranslationBulkRun({ db, shop, runId }: { db: Db; shop: string; runId: string }) {
  const stopped = await db.translationBulkRun.updateMany({
    where: { id: runId, shopDomain: shop, status: "RUNNING" },
    data: { status: "CANCELED", finishedAt: new Date() },
  });
  if (stopped.count === 0) {
    const exists = await db.translationBulkRun.count({ where: { id: runId, shopDomain: shop } });
    throw exists === 0
      ? new AppError("RESOURCE_NOT_FOUND", `no translation bulk run ${runId} for ${shop}`, {
          userMessage: "That bulk translation could not be found.",
        })
      : new AppError("INVALID_INPUT", `translation bulk run ${runId} is not running`, {
          userMessage: "That bulk translation has already finished.",
        });
  }
  const canceled = await db.translationBulkRunItem.updateMany({
    where: { runId, status: "QUEUED", startedAt: null },
    data: { status: "CANCELED" },
  });
  return { canceled: canceled.count };
}

/** Queues a bulk translation's failed items again (one, or all), ahead of the rest of the bulk work. */
export async function retryTranslationBulkItems({
  db,
  shop,
  runId,
  itemId,
}: {
  db: Db;
  shop: string;
  runId: string;
  itemId?: string;
}) {
  const run = await db.translationBulkRun.findFirst({ where: { id: runId, shopDomain: shop } });
  if (!run) {
    throw new AppError("RESOURCE_NOT_FOUND", `no translation bulk run ${runId} for ${shop}`, {
      userMessage: "That bulk translation no longer exists.",
    });
  }
  const failed = await db.translationBulkRunItem.findMany({
    where: { runId, status: "FAILED", ...(itemId ? { id: itemId } : {}) },
    select: { id: true, updatedAt: true },
  });
  if (failed.length === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no failed items in ${runId}`, {
      userMessage: "There is nothing failed to retry.",
    });
  }
  // State and enqueue in one transaction, the enqueue last: if the queue cannot be reached the
  // items stay failed with Retry, never queued with no job (as content bulk runs, decision 008).
  await db.$transaction(
    async (tx) => {
      await tx.translationBulkRunItem.updateMany({
        where: { id: { in: failed.map((item) => item.id) }, status: "FAILED" },
        data: { status: "QUEUED", error: null, startedAt: null },
      });
      await tx.translationBulkRun.update({ where: { id: runId }, data: { status: "RUNNING", finishedAt: null } });
      await enqueueMany(
        "translation.bulk-item",
        failed.map((item) => ({
          payload: { shop, itemId: item.id },
          jobId: `translation-bulk-item-${item.id}-retry-${item.updatedAt.getTime()}`,
          priority: bulkPriority(0),
        })),
      );
    },
    { timeout: 60_000 },
  );
  return { retried: failed.length };
}

/** The shop's latest bulk translation with its progress (a GROUP BY over the items) and failed items. */
export async function loadLatestTranslationBulkRun({ db, shop }: { db: Db; shop: string }) {
  const run = await db.translationBulkRun.findFirst({
    where: { shopDomain: shop },
    orderBy: { createdAt: "desc" },
  });
  if (!run) return null;
  const [groups, failed, tokens, inFlight] = await Promise.all([
    db.translationBulkRunItem.groupBy({ by: ["status"], where: { runId: run.id }, _count: { _all: true } }),
    db.translationBulkRunItem.findMany({
      where: { runId: run.id, status: "FAILED" },
      orderBy: { title: "asc" },
      take: 100,
      select: { id: true, resourceId: true, kind: true, title: true, outcome: true, error: true },
    }),
    db.translationBulkRunItem.aggregate({ where: { runId: run.id }, _sum: { tokens: true } }),
    db.translationBulkRunItem.count({ where: { runId: run.id, status: "QUEUED", startedAt: { not: null } } }),
  ]);
  const counts: Record<BulkRunItemStatus, number> = { QUEUED: 0, DONE: 0, SKIPPED: 0, FAILED: 0, CANCELED: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  return {
    id: run.id,
    status: run.status,
    scope: run.scope,
    locales: run.locales,
    total: run.total,
    estimatedTokens: run.estimatedTokens,
    estimatedCostUsd: run.estimatedCostUsd,
    estimatedWords: run.estimatedWords,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    counts,
    /** Items a worker is translating now (they finish even after a cancel). */
    inFlight,
    tokens: tokens._sum.tokens ?? 0,
    failed,
  };
}
