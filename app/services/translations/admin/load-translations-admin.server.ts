import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationInventoryStore } from "~/services/ports/translation-inventory";
import { estimateTranslationCost, type CostEstimate } from "~/services/translations/admin/estimate-translation-cost";
import { nameOf, startTranslationScan } from "~/services/translations/admin/scan-translatable-content.server";
import { loadLatestTranslationBulkRun } from "~/services/translations/admin/translation-bulk-runs.server";
import {
  gridOf,
  isPending,
  loadResourceStatuses,
  type GridState,
  type ResourceStatus,
} from "~/services/translations/admin/translation-status.server";
import { loadTranslationSettings, targetLocales } from "~/services/translations/load-translation-settings.server";
import type { Db } from "~/services/types";

async function localesOf(db: Db, store: ShopFactsStore, shop: string) {
  const [shopLocales, settings] = await Promise.all([store.locales(), loadTranslationSettings(db, shop)]);
  return { primary: shopLocales.primary, targets: targetLocales(shopLocales, settings), settings };
}

async function scanState(db: Db, shop: string) {
  const scan = await db.translationScan.findUnique({ where: { shopDomain: shop } });
  return {
    checkedMinutesAgo: scan?.finishedAt ? Math.floor((Date.now() - scan.finishedAt.getTime()) / 60_000) : null,
    checking: Boolean(scan && !scan.finishedAt),
  };
}

/**
 * The translations home: the status grid (resource type × locale) from the last scan and the
 * ledger, with no Admin call per resource (one for the shop's locales). Opening it starts a new
 * scan when the last one is older than ten minutes.
 */
export async function loadTranslationGrid({ db, store, shop }: { db: Db; store: ShopFactsStore; shop: string }) {
  const { primary, targets } = await localesOf(db, store, shop);
  if (targets.length > 0) await startTranslationScan({ db, shop });
  const [statuses, scan, run] = await Promise.all([
    loadResourceStatuses({ db, shop, locales: targets }),
    scanState(db, shop),
    loadLatestTranslationBulkRun({ db, shop }),
  ]);
  return {
    primary,
    targets,
    cells: gridOf(statuses, targets),
    pending: statuses.filter(isPending).length,
    scan,
    runActive: run?.status === "RUNNING",
  };
}

export interface ListedResource {
  resourceId: string;
  kind: string;
  title: string;
  /** The keys in the state asked for. */
  keys: string[];
  reasons: string[];
}

const PAGE_SIZE = 50;

/**
 * One page of the resources with keys in a state for a locale (and kind), by name. Names the scan
 * has not recorded (a product's options and images, a resource new since the scan) come from one
 * Admin read for the page.
 */
export async function listTranslationResources({
  db,
  store,
  inventory,
  shop,
  state,
  locale,
  kind,
  page = 1,
}: {
  db: Db;
  store: ShopFactsStore;
  inventory: TranslationInventoryStore;
  shop: string;
  state: GridState;
  locale?: string;
  kind?: string;
  page?: number;
}) {
  const { targets } = await localesOf(db, store, shop);
  const locales = locale && targets.includes(locale) ? [locale] : targets;
  const statuses = await loadResourceStatuses({ db, shop, locales, ...(kind ? { kind } : {}) });
  const matching = statuses.filter((status) => locales.some((code) => (status.locales[code]?.counts[state] ?? 0) > 0));
  const slice = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const unnamed = slice.filter((status) => status.title === null).map((status) => status.resourceId);
  const names = new Map(
    (unnamed.length ? await inventory.resourcesByIds(unnamed) : []).map((resource) => [
      resource.resourceId,
      resource.source.find((field) => field.key === "name" || field.key === "alt")?.value ?? nameOf(resource),
    ]),
  );
  const items: ListedResource[] = slice.map((status) => ({
    resourceId: status.resourceId,
    kind: status.kind,
    title: status.title ?? names.get(status.resourceId) ?? "No longer in your store",
    keys: [...new Set(locales.flatMap((code) => status.locales[code]?.keys[state] ?? []))],
    reasons: [...new Set(locales.flatMap((code) => status.locales[code]?.reasons ?? []))],
  }));
  return {
    filter: { state, locale: locale ?? null, kind: kind ?? null },
    items,
    total: matching.length,
    page,
    pages: Math.max(1, Math.ceil(matching.length / PAGE_SIZE)),
  };
}

export interface BulkCandidate {
  resourceId: string;
  kind: string;
  title: string;
  outdated: number;
  missing: number;
  failed: number;
  estimate: CostEstimate;
}

/**
 * The bulk translate page: what "everything outdated or missing" covers and costs, one page of the
 * scanned resources to choose from (each with its own estimate), and the latest run's progress.
 */
export async function loadBulkTranslationPage({
  db,
  store,
  shop,
  model,
  page = 1,
}: {
  db: Db;
  store: ShopFactsStore;
  shop: string;
  model: string;
  page?: number;
}) {
  const { primary, targets, settings } = await localesOf(db, store, shop);
  const [statuses, scan, run] = await Promise.all([
    loadResourceStatuses({ db, shop, locales: targets }),
    scanState(db, shop),
    loadLatestTranslationBulkRun({ db, shop }),
  ]);
  const named = statuses.filter((status): status is ResourceStatus & { title: string } => status.title !== null);
  const estimateOf = (chosen: ResourceStatus[]) =>
    estimateTranslationCost({ statuses: chosen, locales: targets, primary, glossary: settings.glossary, model });
  const sum = (status: ResourceStatus, state: GridState) =>
    targets.reduce((total, locale) => total + (status.locales[locale]?.counts[state] ?? 0), 0);
  const candidates: BulkCandidate[] = named.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((status) => ({
    resourceId: status.resourceId,
    kind: status.kind,
    title: status.title,
    outdated: sum(status, "outdated"),
    missing: sum(status, "missing"),
    failed: sum(status, "failed"),
    estimate: estimateOf([status]),
  }));
  return {
    primary,
    targets,
    scan,
    pendingEstimate: estimateOf(named.filter(isPending)),
    candidates,
    page,
    pages: Math.max(1, Math.ceil(named.length / PAGE_SIZE)),
    run,
  };
}

/** The statuses and estimate a bulk run starts from, worked out again on the server at start. */
export async function bulkSelection({
  db,
  store,
  shop,
  model,
  resourceIds,
}: {
  db: Db;
  store: ShopFactsStore;
  shop: string;
  model: string;
  resourceIds?: string[];
}) {
  const { primary, targets, settings } = await localesOf(db, store, shop);
  const statuses = (
    await loadResourceStatuses({ db, shop, locales: targets, ...(resourceIds ? { resourceIds } : {}) })
  ).filter((status) => status.title !== null && (resourceIds ? true : isPending(status)));
  const estimate = estimateTranslationCost({
    statuses,
    locales: targets,
    primary,
    glossary: settings.glossary,
    model,
  });
  return { locales: targets, statuses, estimate };
}
