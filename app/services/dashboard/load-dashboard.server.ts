import type { QueueCounts } from "~/jobs/inspect.server";
import { isAppError } from "~/lib/errors";
import type { Store, StoreOverview } from "~/services/store";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  store: Store;
  queueCounts: () => Promise<QueueCounts>;
}

export interface Dashboard {
  overview: StoreOverview | null;
  overviewError: string | null;
  queues: QueueCounts | null;
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
  const [overview, queues, failures] = await Promise.all([
    store.overview().then(
      (value) => ({ value, error: null }),
      (error: unknown) => ({ value: null, error: isAppError(error) ? error.userMessage : "Could not reach Shopify." }),
    ),
    queueCounts().catch(() => null),
    db.jobRun.findMany({
      where: { shopDomain: shop, status: "FAILED" },
      orderBy: { finishedAt: "desc" },
      take: 20,
    }),
  ]);
  return {
    overview: overview.value,
    overviewError: overview.error,
    queues,
    failures: failures.map((run) => ({
      id: run.id,
      name: run.name,
      errorCode: run.errorCode,
      error: run.error,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    })),
  };
}
