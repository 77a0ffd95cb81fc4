import type { QueueCounts } from "~/jobs/inspect.server";
import { latestBackfill, type BackfillProgress } from "~/services/content/backfill/load-backfill.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import {
  monthlyUsage,
  usageHistory,
  type MonthlyUsage,
  type UsageMonth,
} from "~/services/content/monthly-usage.server";
import { isAppError, type ShopUnavailableState } from "~/lib/errors";
import {
  recordShopAvailable,
  recordShopUnavailable,
  shopAvailability,
} from "~/services/shops/shop-availability.server";
import type { Store, StoreOverview } from "~/services/store";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  store: Store;
  /** The shop's own jobs per queue: a merchant never sees other shops' work. */
  queueCounts: (shop: string) => Promise<QueueCounts>;
}

export interface Dashboard {
  overview: StoreOverview | null;
  overviewError: string | null;
  /** Set while Shopify refuses the shop (frozen: unpaid; locked): the home page says so first. */
  shopState: { state: ShopUnavailableState; since: string } | null;
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
  const [overview, queues, failures, pausedProducts, bulkRun, usageByMonth, recorded] = await Promise.all([
    store.overview().then(
      (value) => ({ value, error: null, cause: null }),
      (error: unknown) => ({
        value: null,
        error: isAppError(error) ? error.userMessage : "Could not reach Shopify.",
        cause: error,
      }),
    ),
    queueCounts(shop).catch(() => null),
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
    shopAvailability({ db, shop }),
  ]);
  // The overview is a live Admin call: it records a frozen or locked shop, and clears the state once
  // Shopify serves the shop again (the jobs' own calls do the same).
  let shopState = recorded ? { state: recorded.state, since: recorded.since.toISOString() } : null;
  if (isAppError(overview.cause, "SHOP_UNAVAILABLE")) {
    const state = overview.cause.details.state as ShopUnavailableState;
    await recordShopUnavailable({ db, shop, state });
    shopState = { state, since: recorded?.state === state ? shopState!.since : new Date().toISOString() };
  } else if (overview.value && recorded) {
    await recordShopAvailable({ db, shop });
    shopState = null;
  }
  return {
    overview: overview.value,
    // The shop-state banner says it in full; the "could not reach Shopify" one would repeat it.
    overviewError: shopState ? null : overview.error,
    shopState,
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
