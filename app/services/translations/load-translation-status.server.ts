import type { TranslationStatus } from "@prisma/client";

import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationsStore } from "~/services/ports/translations";
import { loadTranslationSettings, targetLocales } from "~/services/translations/load-translation-settings.server";
import { translatesKey } from "~/services/translations/translatable-keys";
import type { Db } from "~/services/types";

export interface StatusCell {
  kind: string;
  locale: string;
  counts: Record<TranslationStatus, number>;
}

const EMPTY: Record<TranslationStatus, number> = { TRANSLATED: 0, FAILED: 0, EDITED: 0, SKIPPED: 0 };

/** The status grid: how many keys of each kind of resource are in each state, per locale. */
export async function loadTranslationStatus({ db, shop }: { db: Db; shop: string }): Promise<StatusCell[]> {
  const groups = await db.translationEntry.groupBy({
    by: ["kind", "locale", "status"],
    where: { shopDomain: shop },
    _count: { _all: true },
  });
  const cells = new Map<string, StatusCell>();
  for (const group of groups) {
    const id = `${group.kind}\u0000${group.locale}`;
    const cell = cells.get(id) ?? { kind: group.kind, locale: group.locale, counts: { ...EMPTY } };
    cell.counts[group.status] += group._count._all;
    cells.set(id, cell);
  }
  return [...cells.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.locale.localeCompare(b.locale));
}

/** One page of the keys in a state (failed ones with their reasons, edited ones to review). */
export async function listTranslationItems({
  db,
  shop,
  status,
  locale,
  kind,
  cursor,
  take = 50,
}: {
  db: Db;
  shop: string;
  status: TranslationStatus;
  locale?: string;
  kind?: string;
  cursor?: string;
  take?: number;
}) {
  const rows = await db.translationEntry.findMany({
    where: { shopDomain: shop, status, ...(locale ? { locale } : {}), ...(kind ? { kind } : {}) },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      resourceId: true,
      kind: true,
      key: true,
      locale: true,
      status: true,
      failureReason: true,
      updatedAt: true,
    },
  });
  const items = rows.slice(0, take);
  return { items, nextCursor: rows.length > take ? items[items.length - 1]?.id : undefined };
}

/** What a translation of one key into one locale is, as the merchant sees it. */
export type KeyTranslationState = "translated" | "outdated" | "missing" | "edited" | "failed" | "skipped";

export interface SideBySideField {
  /** The resource the key belongs to (the product itself, or one of its options, images, ...). */
  resourceId: string;
  kind: string;
  key: string;
  source: string;
  format: string;
  translations: Record<string, { value: string | null; state: KeyTranslationState; reason: string | null }>;
}

/**
 * The side-by-side view of one resource: each source key with its live translation per target
 * locale and its state (the ledger's, or the store's "outdated"/none). Null when the resource is gone.
 */
export async function loadResourceTranslations({
  db,
  store,
  shop,
  resourceId,
}: {
  db: Db;
  store: TranslationsStore & ShopFactsStore;
  shop: string;
  resourceId: string;
}): Promise<{ resourceId: string; kind: string; locales: string[]; fields: SideBySideField[] } | null> {
  const [shopLocales, settings] = await Promise.all([store.locales(), loadTranslationSettings(db, shop)]);
  const locales = targetLocales(shopLocales, settings);
  const resource = await store.translatableResource(resourceId, locales);
  if (!resource) return null;
  const all = [resource, ...resource.nested];
  const entries = await db.translationEntry.findMany({
    where: { shopDomain: shop, resourceId: { in: all.map((r) => r.resourceId) }, market: "" },
    select: { resourceId: true, key: true, locale: true, status: true, failureReason: true },
  });
  const ledger = new Map(entries.map((e) => [`${e.resourceId}\u0000${e.key}\u0000${e.locale}`, e]));
  const fields: SideBySideField[] = [];
  for (const part of all) {
    for (const source of part.source) {
      if (!source.value.trim()) continue;
      // Only the keys the pipeline translates (a handle only with translateHandles), and any key a
      // translation exists for anyway.
      const live = part.translations.some((t) => t.key === source.key);
      if (!translatesKey(part.kind, source.key, settings) && !live) continue;
      const translations: SideBySideField["translations"] = {};
      for (const locale of locales) {
        const live = part.translations.find((t) => t.key === source.key && t.locale === locale);
        const entry = ledger.get(`${part.resourceId}\u0000${source.key}\u0000${locale}`);
        let state: KeyTranslationState;
        if (entry?.status === "EDITED") state = "edited";
        else if (entry?.status === "FAILED") state = "failed";
        else if (live?.outdated) state = "outdated";
        else if (!live) state = entry?.status === "SKIPPED" ? "skipped" : "missing";
        // A translation the app never registered was written by a person (decision 017).
        else state = entry ? "translated" : "edited";
        translations[locale] = { value: live?.value ?? null, state, reason: entry?.failureReason ?? null };
      }
      fields.push({
        resourceId: part.resourceId,
        kind: part.kind,
        key: source.key,
        source: source.value,
        format: source.format,
        translations,
      });
    }
  }
  return { resourceId: resource.resourceId, kind: resource.kind, locales, fields };
}

/** The locales the shop translates into now (published, not the primary, chosen in the settings). */
export async function loadTargetLocales({ db, store, shop }: { db: Db; store: ShopFactsStore; shop: string }) {
  const [shopLocales, settings] = await Promise.all([store.locales(), loadTranslationSettings(db, shop)]);
  return {
    primary: shopLocales.primary,
    published: shopLocales.published,
    targets: targetLocales(shopLocales, settings),
  };
}
