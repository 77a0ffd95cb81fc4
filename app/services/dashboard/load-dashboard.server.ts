import type { QueueCounts } from "~/jobs/inspect.server";
import { latestBackfill, type BackfillProgress } from "~/services/content/backfill/load-backfill.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { monthlyUsage, usageHistory, type MonthlyUsage, type UsageMonth } from "~/services/usage/monthly-usage.server";
import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import type { ShopFactsStore, StoreOverview } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  store: ShopFactsStore;
  /** The shop's own jobs per queue: a merchant never sees other shops' work. */
  queueCounts: (shop: string) => Promise<QueueCounts>;
}

export interface Dashboard {
  overview: StoreOverview | null;
  overviewError: string | null;
  queues: QueueCounts | null;
  usage: MonthlyUsage;
  pausedProducts: number;
  bulkRun: BackfillProgress | null;
  usageByMonth: UsageMonth[];
  failures: Array<{
    id: string;
    name: string;
    errorCode: string | null;
    error: string | null;
    finishedAt: string | null;
  }>;
}

/** What the merchant sees first: the store, the work in flight, and anything that failed. */
export async function loadDashboard({ db, shop, store, queueCounts }: Options): Promise<Dashboard> {
  const settings = await loadContentSettings(db, shop);
  const [overview, queues, failures, pausedProducts, bulkRun, usageByMonth] = await Promise.all([
    store.overview().then(
      (value) => ({ value, error: null }),
      (error: unknown) => {
        // The page still loads: the banner names the problem, the log line keeps the cause.
        logger.warn({ err: error, shop }, "dashboard: store overview unavailable");
        return { value: null, error: isAppError(error) ? error.userMessage : "Could not reach Shopify." };
      },
    ),
    queueCounts(shop).catch((error: unknown) => {
      logger.warn({ err: error, shop }, "dashboard: queue counts unavailable");
      return null;
    }),
    db.jobRun.findMany({
      // A bulk run's failed products are listed (and retried) on its own page.
      where: { shopDomain: shop, status: "FAILED", name: { not: "backfill.item" } },
      orderBy: { finishedAt: "desc" },
      take: 20,
    }),
    db.productContent.count({ where: { shopDomain: shop, status: "PAUSED" } }),
    // The banner needs the counts only; the failed products are listed on the run's page.
    latestBackfill({ db, shop, failuresShown: 0 }),
    usageHistory({ db, shop }),
  ]);
  return {
    overview: overview.value,
    overviewError: overview.error,
    queues,
    usage: monthlyUsage(usageByMonth, settings.monthlyTokenCap),
    pausedProducts,
    bulkRun,
    usageByMonth,
    failures: failures.map((run) => ({
      id: run.id,
      name: run.name,
      errorCode: run.errorCode,
      error: run.error,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    })),
  };
}
