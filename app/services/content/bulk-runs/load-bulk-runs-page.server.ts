import { logger } from "~/lib/logger.server";
import { loadBulkRuns } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import type { CatalogStore } from "~/services/ports/catalog";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  store: Pick<CatalogStore, "collections" | "countProducts">;
}

/**
 * The bulk runs page: the latest run with live counts, the history, and what starting a run needs
 * (the collections to choose from, the catalog's size and the publishing mode, which the
 * confirmation before a catalog-wide run states). The page reloads every 2 s while a run is on and
 * nothing can be started then, so Shopify is asked only when no run is active; without an answer
 * the page still works, and the picker says what could not be loaded.
 */
export async function loadBulkRunsPage({ db, shop, store }: Options) {
  const [runs, settings] = await Promise.all([loadBulkRuns({ db, shop }), loadContentSettings(db, shop)]);
  const active = runs.latest?.status === "READING" || runs.latest?.status === "RUNNING";
  const [collections, catalogSize] = active
    ? [[], null]
    : await Promise.all([
        store.collections().catch((error: unknown) => {
          logger.warn({ err: error, shop }, "bulk runs: collections unavailable");
          return null;
        }),
        store.countProducts({ kind: "all" }).catch((error: unknown) => {
          logger.warn({ err: error, shop }, "bulk runs: catalog size unavailable");
          return null;
        }),
      ]);
  return { ...runs, collections, catalogSize, autoPublish: settings.contentMode === "AUTO_PUBLISH" };
}
