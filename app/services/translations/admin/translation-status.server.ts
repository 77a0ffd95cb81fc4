import type { TranslationStatus } from "@prisma/client";

import { GRID_STATES, PENDING_STATES, type GridState } from "~/services/translations/admin/grid-states";
import type { Db } from "~/services/types";

/**
 * The translations admin's view of every key of every resource in every target locale, from two
 * stored sources and no Admin call: the last scan of the store (TranslatableItem: each key's
 * current digest and which locales hold a live translation, outdated or not) and the ledger
 * (TranslationEntry: what the app translated, from which digest, and when). docs/decisions/024.
 */
export { GRID_STATES, PENDING_STATES, type GridState } from "~/services/translations/admin/grid-states";

export interface ScannedKey {
  key: string;
  digest: string;
  words: number;
  chars: number;
}

export interface LedgerKey {
  resourceId: string;
  kind: string;
  key: string;
  locale: string;
  status: TranslationStatus;
  sourceDigest: string;
  failureReason: string | null;
  updatedAt: Date;
}

/**
 * One key in one locale. The ledger wins when it is newer than the scan (a run since then read the
 * store's digests itself); otherwise a translation is outdated when Shopify marks it so or the
 * digest it was made from is no longer the source's, and a live translation the app never
 * registered was written by a person (as in the side-by-side view and decision 017).
 */
export function keyState(
  scanned: { digest: string; live: boolean | undefined; checkedAt: Date } | null,
  entry: Pick<LedgerKey, "status" | "sourceDigest" | "updatedAt"> | undefined,
): GridState {
  if (entry?.status === "EDITED") return "edited";
  if (entry?.status === "FAILED") return "failed";
  if (!scanned || (entry && entry.updatedAt > scanned.checkedAt)) {
    return entry?.status === "TRANSLATED" ? "translated" : "missing";
  }
  if (entry?.status === "TRANSLATED") {
    if (scanned.live === undefined) return "missing";
    return scanned.live || entry.sourceDigest !== scanned.digest ? "outdated" : "translated";
  }
  return scanned.live === undefined ? "missing" : "edited";
}

export interface ResourceLocaleStatus {
  counts: Record<GridState, number>;
  /** Keys per state, for the filtered list ("title", "body_html"). */
  keys: Record<GridState, string[]>;
  /** Source words and characters of the keys a bulk run would translate here. */
  pendingWords: number;
  pendingChars: number;
  pendingKeys: number;
  /** Why keys failed, as the pipeline recorded it. */
  reasons: string[];
}

export interface ResourceStatus {
  resourceId: string;
  kind: string;
  /** The resource's name (its title), or null when the store has not been scanned for it yet. */
  title: string | null;
  locales: Record<string, ResourceLocaleStatus>;
}

const emptyLocale = (): ResourceLocaleStatus => ({
  counts: { translated: 0, outdated: 0, missing: 0, edited: 0, failed: 0 },
  keys: { translated: [], outdated: [], missing: [], edited: [], failed: [] },
  pendingWords: 0,
  pendingChars: 0,
  pendingKeys: 0,
  reasons: [],
});

/**
 * Every resource's state per target locale. Two indexed queries (the shop's scanned items and its
 * ledger rows for these locales); the work is in memory, linear in keys × locales.
 */
export async function loadResourceStatuses({
  db,
  shop,
  locales,
  kind,
  resourceIds,
}: {
  db: Db;
  shop: string;
  locales: string[];
  kind?: string;
  resourceIds?: string[];
}): Promise<ResourceStatus[]> {
  if (locales.length === 0) return [];
  const [items, entries] = await Promise.all([
    db.translatableItem.findMany({
      where: {
        shopDomain: shop,
        ...(kind ? { kind } : {}),
        ...(resourceIds ? { resourceId: { in: resourceIds } } : {}),
      },
      select: { resourceId: true, kind: true, title: true, keys: true, live: true, checkedAt: true },
      orderBy: { title: "asc" },
    }),
    db.translationEntry.findMany({
      where: {
        shopDomain: shop,
        market: "",
        locale: { in: locales },
        ...(kind ? { kind } : {}),
        ...(resourceIds ? { resourceId: { in: resourceIds } } : {}),
      },
      select: {
        resourceId: true,
        kind: true,
        key: true,
        locale: true,
        status: true,
        sourceDigest: true,
        failureReason: true,
        updatedAt: true,
      },
    }),
  ]);
  const ledger = new Map<string, Map<string, LedgerKey>>();
  for (const entry of entries) {
    const byKey = ledger.get(entry.resourceId) ?? new Map<string, LedgerKey>();
    byKey.set(`${entry.locale}\u0000${entry.key}`, entry);
    ledger.set(entry.resourceId, byKey);
  }
  const out: ResourceStatus[] = [];
  for (const item of items) {
    const keys = item.keys as unknown as ScannedKey[];
    const live = item.live as unknown as Record<string, Record<string, boolean>>;
    const own = ledger.get(item.resourceId);
    ledger.delete(item.resourceId);
    const status: ResourceStatus = { resourceId: item.resourceId, kind: item.kind, title: item.title, locales: {} };
    for (const locale of locales) {
      const here = emptyLocale();
      for (const scanned of keys) {
        const entry = own?.get(`${locale}\u0000${scanned.key}`);
        const state = keyState(
          { digest: scanned.digest, live: live[locale]?.[scanned.key], checkedAt: item.checkedAt },
          entry,
        );
        add(here, state, scanned.key, scanned, entry?.failureReason ?? null);
      }
      status.locales[locale] = here;
    }
    out.push(status);
  }
  // Resources the scan has not seen (nested ones: options, images, metafields; or new since the
  // scan): what the ledger knows.
  for (const [resourceId, byKey] of ledger) {
    const first = byKey.values().next().value as LedgerKey;
    const status: ResourceStatus = { resourceId, kind: first.kind, title: null, locales: {} };
    for (const locale of locales) status.locales[locale] = emptyLocale();
    for (const entry of byKey.values()) {
      add(status.locales[entry.locale]!, keyState(null, entry), entry.key, null, entry.failureReason);
    }
    out.push(status);
  }
  return out;
}

function add(
  into: ResourceLocaleStatus,
  state: GridState,
  key: string,
  scanned: ScannedKey | null,
  reason: string | null,
) {
  into.counts[state]++;
  into.keys[state].push(key);
  if (PENDING_STATES.includes(state)) {
    into.pendingKeys++;
    into.pendingWords += scanned?.words ?? 0;
    into.pendingChars += scanned?.chars ?? 0;
  }
  if (state === "failed" && reason && !into.reasons.includes(reason)) into.reasons.push(reason);
}

export interface GridCell {
  kind: string;
  locale: string;
  counts: Record<GridState, number>;
}

/** The status grid: keys per state, per kind of resource and locale. */
export function gridOf(statuses: ResourceStatus[], locales: string[]): GridCell[] {
  const cells = new Map<string, GridCell>();
  for (const status of statuses) {
    for (const locale of locales) {
      const id = `${status.kind}\u0000${locale}`;
      const cell = cells.get(id) ?? {
        kind: status.kind,
        locale,
        counts: { translated: 0, outdated: 0, missing: 0, edited: 0, failed: 0 },
      };
      const counts = status.locales[locale]!.counts;
      for (const state of GRID_STATES) cell.counts[state] += counts[state];
      cells.set(id, cell);
    }
  }
  const order = ["product", "collection", "page", "policy"];
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  return [...cells.values()].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      a.kind.localeCompare(b.kind) ||
      locales.indexOf(a.locale) - locales.indexOf(b.locale),
  );
}

/** Whether a resource has anything a bulk run would translate, in any of `locales`. */
export const isPending = (status: ResourceStatus) =>
  Object.values(status.locales).some((locale) => locale.pendingKeys > 0);
