import { enqueue } from "~/jobs/enqueue.server";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import { loadTranslationSettings, targetLocales } from "~/services/translations/load-translation-settings.server";
import { translationJobId } from "~/services/translations/request-translation.server";
import { requestTranslationSweep } from "~/services/translations/sweep-translations.server";
import type { Db } from "~/services/types";

/** The `locale` of the shop.locale-changed job queued at install (no webhook names a locale then). */
export const INSTALL_LOCALE_REFRESH = "*";

/**
 * Queues the read of the shop's locales at install: one job per shop and minute, so a repeated
 * auth queues nothing more.
 */
export async function requestShopLocalesRefresh({ shop, now = new Date() }: { shop: string; now?: Date }) {
  const jobId = `shop-locales-${shop}-${Math.floor(now.getTime() / 60_000)}`;
  await enqueue("shop.locale-changed", { shop, locale: INSTALL_LOCALE_REFRESH }, { jobId });
  return { jobId };
}

export interface LocalesRefreshed {
  primary: string;
  published: string[];
  /** Locales published now that were not before and that the shop translates into automatically. */
  newTargets: string[];
  /** Translation jobs queued for the resources already live in the primary language. */
  queued: number;
}

/**
 * The `shop.locale-changed` job (locales/create, locales/update, and install). It reads
 * shopLocales(published: true) again, whatever the webhook said (a redelivery or a late delivery
 * must not apply a stale state), and stores them on the Shop, so a product edit knows without an
 * Admin call whether there is anything to translate into. A locale newly published that the shop
 * translates into automatically gets the resources already live (products whose copy is published
 * or the merchant's own, and every resource translated before) queued for translation; the ledger
 * makes each run translate only the new locale's keys. The jobs are queued before the locales are
 * stored, so a run that stops between the two queues the same jobs again (same ids) instead of
 * forgetting them. docs/decisions/023.
 */
export async function refreshShopLocales({
  db,
  store,
  shop,
}: {
  db: Db;
  store: ShopFactsStore;
  shop: string;
}): Promise<LocalesRefreshed> {
  const [locales, before, settings] = await Promise.all([
    store.locales(),
    db.shop.findUnique({ where: { domain: shop }, select: { publishedLocales: true, localesReadAt: true } }),
    loadTranslationSettings(db, shop),
  ]);
  const known = new Set(before?.localesReadAt ? before.publishedLocales : []);
  const newTargets = settings.autoTranslate
    ? targetLocales(locales, settings).filter((locale) => !known.has(locale))
    : [];
  let queued = 0;
  if (newTargets.length > 0) {
    const change = `locale-published:${[...newTargets].sort().join(",")}`;
    for (const resourceId of await liveResources(db, shop)) {
      await enqueue("translation.resource", { shop, resourceId }, { jobId: translationJobId(resourceId, change) });
      queued++;
    }
    // Pages and policies never translated before are found by a sweep (no update webhook for them).
    await requestTranslationSweep({ shop });
  }
  await db.shop.updateMany({
    where: { domain: shop },
    data: { primaryLocale: locales.primary, publishedLocales: locales.published, localesReadAt: new Date() },
  });
  return { ...locales, newTargets, queued };
}

/** Top-level resources live in the primary language: products with published or merchant copy, and any resource translated before. */
async function liveResources(db: Db, shop: string): Promise<string[]> {
  const [products, translated] = await Promise.all([
    db.productContent.findMany({
      where: { shopDomain: shop, status: { in: ["LIVE", "SKIPPED"] } },
      select: { productId: true },
      orderBy: { productId: "asc" },
    }),
    db.translationRun.findMany({
      where: { shopDomain: shop, outcome: { in: ["translated", "partial", "unchanged"] } },
      distinct: ["resourceId"],
      select: { resourceId: true },
    }),
  ]);
  return [...new Set([...products.map((row) => row.productId), ...translated.map((row) => row.resourceId)])];
}
