import type { BackfillItemStatus } from "@prisma/client";

import { describeScope } from "~/services/content/backfill/backfill-scope";
import type { Db } from "~/services/types";

export interface BackfillProgress {
  id: string;
  scope: string;
  status: "READING" | "RUNNING" | "COMPLETED" | "CANCELED" | "FAILED";
  error: string | null;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  canceled: number;
  remaining: number;
  /** Seconds until the remaining products are written, at the rate so far; null until known. */
  etaSeconds: number | null;
  createdAt: string;
  finishedAt: string | null;
  failures: Array<{ id: string; title: string; error: string | null; errorCode: string | null }>;
}

const FAILURES_SHOWN = 50;

/** The shop's latest bulk run with live counts, and the few before it. */
export async function loadBackfill({ db, shop }: { db: Db; shop: string }) {
  const runs = await db.backfillRun.findMany({ where: { shopDomain: shop }, orderBy: { createdAt: "desc" }, take: 5 });
  const [latest, ...earlier] = runs;
  return {
    latest: latest ? await progressOf(db, latest, FAILURES_SHOWN) : null,
    earlier: earlier.map((run) => ({
      id: run.id,
      scope: describeScope(run),
      status: run.status,
      total: run.total,
      createdAt: run.createdAt.toISOString(),
    })),
  };
}

/** The shop's latest bulk run with live counts and up to `failuresShown` of its failed products. */
export async function latestBackfill({ db, shop, failuresShown }: { db: Db; shop: string; failuresShown: number }) {
  const run = await db.backfillRun.findFirst({ where: { shopDomain: shop }, orderBy: { createdAt: "desc" } });
  return run ? progressOf(db, run, failuresShown) : null;
}

async function progressOf(
  db: Db,
  run: Awaited<ReturnType<Db["backfillRun"]["findFirstOrThrow"]>>,
  failuresShown: number,
) {
  const [groups, failures] = await Promise.all([
    db.backfillItem.groupBy({ by: ["status"], where: { runId: run.id }, _count: { _all: true } }),
    failuresShown > 0
      ? db.backfillItem.findMany({
          where: { runId: run.id, status: "FAILED" },
          orderBy: { updatedAt: "desc" },
          take: failuresShown,
          select: { id: true, title: true, error: true, errorCode: true },
        })
      : [],
  ]);
  const count = (status: BackfillItemStatus) => groups.find((group) => group.status === status)?._count._all ?? 0;
  const done = count("DONE");
  const skipped = count("SKIPPED");
  const failed = count("FAILED");
  const remaining = count("QUEUED");
  const processed = done + skipped + failed;
  const elapsedSeconds = run.queuedAt ? (Date.now() - run.queuedAt.getTime()) / 1000 : 0;
  const etaSeconds =
    run.status === "RUNNING" && processed > 0 && elapsedSeconds > 0
      ? Math.ceil(remaining / (processed / elapsedSeconds))
      : null;
  const progress: BackfillProgress = {
    id: run.id,
    scope: describeScope(run),
    status: run.status,
    error: run.error,
    total: run.total,
    done,
    skipped,
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
