import type { QueueCounts } from "~/jobs/inspect.server";
import { latestBulkRun, type BulkRunProgress } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { monthlyUsage, usageHistory, type MonthlyUsage, type UsageMonth } from "~/services/usage/monthly-usage.server";
import { isAppError, type ShopUnavailableState } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import type { ShopFactsStore, StoreOverview } from "~/services/ports/shop-facts";
import { jobLabel } from "~/services/dashboard/job-labels";
import { loadSetupGuide, type SetupGuide } from "~/services/dashboard/setup-guide.server";
import { noteShopAnswer, shopAvailability } from "~/services/shops/shop-availability.server";
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
  /** Set while Shopify refuses the shop (frozen: unpaid; locked): the home page says so first. */
  shopState: { state: ShopUnavailableState; since: string } | null;
  queues: QueueCounts | null;
  usage: MonthlyUsage;
  pausedProducts: number;
  bulkRun: BulkRunProgress | null;
  usageByMonth: UsageMonth[];
  /**
   * The LLM account is out of credit: this shop's latest work failed with insufficient_quota and
   * nothing was billed since. Such jobs fail at once (they are not retried), so the merchant has to
   * be told why copy stopped, and that retrying helps only once credit is added.
   */
  llmOutOfCredit: { since: string } | null;
  setupGuide: SetupGuide;
  failures: Array<{
    id: string;
    /** What the job was doing, in the merchant's words. */
    label: string;
    /** Why it failed, in the merchant's words. */
    reason: string;
    /** For support, behind a disclosure: the job, the error code and a technical message. */
    details: string;
    name: string;
    errorCode: string | null;
    error: string | null;
    finishedAt: string | null;
  }>;
}

/** What the merchant sees first: the store, the work in flight, and anything that failed. */
export async function loadDashboard({ db, shop, store, queueCounts }: Options): Promise<Dashboard> {
  const settings = await loadContentSettings(db, shop);
  const [overview, queues, failures, pausedProducts, bulkRun, usageByMonth, llmOutOfCredit, recorded, setupGuide] =
    await Promise.all([
      store.overview().then(
        (value) => ({ value, error: null, cause: null }),
        (error: unknown) => {
          // The page still loads: the banner names the problem, the log line keeps the cause.
          if (!isAppError(error, "SHOP_UNAVAILABLE"))
            logger.warn({ err: error, shop }, "dashboard: store overview unavailable");
          return {
            value: null,
            error: isAppError(error) ? error.userMessage : "Could not reach Shopify.",
            cause: error,
          };
        },
      ),
      queueCounts(shop).catch((error: unknown) => {
        logger.warn({ err: error, shop }, "dashboard: queue counts unavailable");
        return null;
      }),
      db.jobRun.findMany({
        // A bulk run's failed products are listed (and retried) on its own page.
        where: { shopDomain: shop, status: "FAILED", name: { not: "bulk-run.item" } },
        orderBy: { finishedAt: "desc" },
        take: 20,
      }),
      db.productContent.count({ where: { shopDomain: shop, status: "PAUSED" } }),
      // The banner needs the counts only; the failed products are listed on the run's page.
      latestBulkRun({ db, shop, failuresShown: 0 }),
      usageHistory({ db, shop }),
      outOfCreditSince(db, shop),
      shopAvailability({ db, shop }),
      loadSetupGuide({ db, shop, settings }),
    ]);
  // The overview is a live Admin call: its answer records a frozen or locked shop, or clears the
  // state once Shopify serves the shop again (the jobs' own calls do the same).
  const availability = await noteShopAnswer({
    db,
    shop,
    recorded,
    failure: overview.value ? undefined : overview.cause,
  });
  const shopState = availability ? { state: availability.state, since: availability.since.toISOString() } : null;
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
    llmOutOfCredit,
    setupGuide,
    failures: failures.map((run) => ({
      id: run.id,
      label: jobLabel(run.name),
      ...failureWords(run),
      name: run.name,
      errorCode: run.errorCode,
      error: run.error,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    })),
  };
}

/** Codes whose recorded message is technical (a bug's own words), not written for a merchant. */
const TECHNICAL_CODES = new Set(["UNEXPECTED", "INVALID_INPUT"]);
const UNEXPECTED_REASON =
  "Storewise hit an unexpected problem with this work. Retry it; if it fails again, contact support with the details.";

function failureWords(run: { name: string; errorCode: string | null; error: string | null }) {
  const technical = !run.errorCode || TECHNICAL_CODES.has(run.errorCode) || !run.error;
  const reason = technical ? UNEXPECTED_REASON : (run.error ?? UNEXPECTED_REASON);
  const details = [run.name, run.errorCode, technical ? run.error : null].filter(Boolean).join(" · ");
  return { reason, details };
}

/** When this shop's work last failed for want of LLM credit, unless a billed request came after it. */
async function outOfCreditSince(db: Db, shop: string): Promise<{ since: string } | null> {
  const [failure, usage] = await Promise.all([
    db.jobRun.findFirst({
      where: { shopDomain: shop, status: "FAILED", errorCode: "LLM_QUOTA_EXHAUSTED" },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
    db.llmUsage.findFirst({ where: { shopDomain: shop }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
  ]);
  const since = failure?.finishedAt;
  if (!since || (usage && usage.createdAt > since)) return null;
  return { since: since.toISOString() };
}
