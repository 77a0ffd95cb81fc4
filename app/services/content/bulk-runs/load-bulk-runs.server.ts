import type { BulkRunItemStatus } from "@prisma/client";

import { describeScope } from "~/services/content/bulk-runs/bulk-run-scope";
import type { Db } from "~/services/types";

export interface BulkRunProgress {
  id: string;
  scope: string;
  status: "READING" | "RUNNING" | "COMPLETED" | "CANCELED" | "FAILED";
  error: string | null;
  total: number;
  done: number;
  skipped: number;
  /** Of the skipped: products whose facts had not changed since their copy, so no tokens were spent. */
  unchanged: number;
  /** LLM tokens the run's copy has cost so far. */
  tokens: number;
  failed: number;
  canceled: number;
  remaining: number;
  /**
   * Seconds until the remaining products are written: at this run's rate once products finish, and
   * from the start at the rate of the shop's last run (or a conservative default before any run).
   */
  etaSeconds: number | null;
  createdAt: string;
  finishedAt: string | null;
  failures: Array<{ id: string; title: string; error: string | null; errorCode: string | null }>;
}

const FAILURES_SHOWN = 50;

/** The outcome an unchanged product's item records (process-bulk-run-item.server.ts). */
export const UNCHANGED_OUTCOME = "Unchanged since its last copy (no tokens spent)";

/** Before a run has finished any product and when the shop has no earlier run: a conservative rate. */
const DEFAULT_SECONDS_PER_PRODUCT = 1;

const HISTORY_SHOWN = 20;

/** The shop's latest bulk run with live counts, and the history of the runs before it. */
export async function loadBulkRuns({ db, shop }: { db: Db; shop: string }) {
  const runs = await db.bulkRun.findMany({
    where: { shopDomain: shop },
    orderBy: { createdAt: "desc" },
    take: HISTORY_SHOWN + 1,
  });
  const [latest, ...earlier] = runs;
  const counts = await countsByRun(
    db,
    earlier.map((run) => run.id),
  );
  return {
    latest: latest ? await progressOf(db, latest, FAILURES_SHOWN) : null,
    earlier: earlier.map((run) => ({
      id: run.id,
      scope: describeScope(run),
      status: run.status,
      total: run.total,
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      ...(counts.get(run.id) ?? { done: 0, skipped: 0, unchanged: 0, failed: 0, canceled: 0, tokens: 0 }),
    })),
  };
}

interface RunCounts {
  done: number;
  skipped: number;
  unchanged: number;
  failed: number;
  canceled: number;
  tokens: number;
}

/** Item counts and tokens of several runs in two grouped reads (not one read per run). */
async function countsByRun(db: Db, runIds: string[]) {
  const counts = new Map<string, RunCounts>();
  if (runIds.length === 0) return counts;
  const [byStatus, unchanged] = await Promise.all([
    db.bulkRunItem.groupBy({
      by: ["runId", "status"],
      where: { runId: { in: runIds } },
      _count: { _all: true },
      _sum: { tokens: true },
    }),
    db.bulkRunItem.groupBy({
      by: ["runId"],
      where: { runId: { in: runIds }, status: "SKIPPED", outcome: UNCHANGED_OUTCOME },
      _count: { _all: true },
    }),
  ]);
  for (const id of runIds) counts.set(id, { done: 0, skipped: 0, unchanged: 0, failed: 0, canceled: 0, tokens: 0 });
  for (const group of byStatus) {
    const entry = counts.get(group.runId);
    if (!entry) continue;
    entry.tokens += group._sum.tokens ?? 0;
    if (group.status === "DONE") entry.done = group._count._all;
    if (group.status === "SKIPPED") entry.skipped = group._count._all;
    if (group.status === "FAILED") entry.failed = group._count._all;
    if (group.status === "CANCELED") entry.canceled = group._count._all;
  }
  for (const group of unchanged) {
    const entry = counts.get(group.runId);
    if (entry) entry.unchanged = group._count._all;
  }
  return counts;
}

/** Seconds per product of the shop's last finished run, for an ETA before this run has a rate. */
async function earlierSecondsPerProduct(db: Db, run: { id: string; shopDomain: string }): Promise<number> {
  const previous = await db.bulkRun.findFirst({
    where: {
      shopDomain: run.shopDomain,
      id: { not: run.id },
      status: "COMPLETED",
      queuedAt: { not: null },
      finishedAt: { not: null },
      total: { gt: 0 },
    },
    orderBy: { createdAt: "desc" },
    select: { queuedAt: true, finishedAt: true, total: true },
  });
  if (!previous?.queuedAt || !previous.finishedAt) return DEFAULT_SECONDS_PER_PRODUCT;
  return Math.max(0.05, (previous.finishedAt.getTime() - previous.queuedAt.getTime()) / 1000 / previous.total);
}

/** The shop's latest bulk run with live counts and up to `failuresShown` of its failed products. */
export async function latestBulkRun({ db, shop, failuresShown }: { db: Db; shop: string; failuresShown: number }) {
  const run = await db.bulkRun.findFirst({ where: { shopDomain: shop }, orderBy: { createdAt: "desc" } });
  return run ? progressOf(db, run, failuresShown) : null;
}

async function progressOf(db: Db, run: Awaited<ReturnType<Db["bulkRun"]["findFirstOrThrow"]>>, failuresShown: number) {
  const [groups, unchanged, failures] = await Promise.all([
    db.bulkRunItem.groupBy({
      by: ["status"],
      where: { runId: run.id },
      _count: { _all: true },
      _sum: { tokens: true },
    }),
    db.bulkRunItem.count({ where: { runId: run.id, status: "SKIPPED", outcome: UNCHANGED_OUTCOME } }),
    failuresShown > 0
      ? db.bulkRunItem.findMany({
          where: { runId: run.id, status: "FAILED" },
          orderBy: { updatedAt: "desc" },
          take: failuresShown,
          select: { id: true, title: true, error: true, errorCode: true },
        })
      : [],
  ]);
  const count = (status: BulkRunItemStatus) => groups.find((group) => group.status === status)?._count._all ?? 0;
  const done = count("DONE");
  const skipped = count("SKIPPED");
  const failed = count("FAILED");
  const remaining = count("QUEUED");
  const processed = done + skipped + failed;
  const elapsedSeconds = run.queuedAt ? (Date.now() - run.queuedAt.getTime()) / 1000 : 0;
  let etaSeconds: number | null = null;
  if (run.status === "RUNNING" && processed > 0 && elapsedSeconds > 0) {
    etaSeconds = Math.ceil(remaining / (processed / elapsedSeconds));
  } else if (run.status === "RUNNING") {
    etaSeconds = Math.ceil(remaining * (await earlierSecondsPerProduct(db, run)));
  }
  const progress: BulkRunProgress = {
    id: run.id,
    scope: describeScope(run),
    status: run.status,
    error: run.error,
    total: run.total,
    done,
    skipped,
    unchanged,
    tokens: groups.reduce((sum, group) => sum + (group._sum.tokens ?? 0), 0),
    failed,
    canceled: count("CANCELED"),
    remaining,
    etaSeconds,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    failures,
  };
  return progress;
}
