import type { ShopLocales } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

/** What the hot path needs to decide whether a change has anything to translate into. */
export interface AutomaticTranslationFacts {
  autoTranslate: boolean;
  /** null when the shop's locales were never stored (then only a run can tell). */
  locales: ShopLocales | null;
  chosenLocales: string[];
}

/**
 * One round trip: the shop's automation switch, its published locales as last stored (Shop.
 * publishedLocales, refreshed at install and by every locales/create|update webhook,
 * refresh-shop-locales.server.ts) and its chosen locales. docs/decisions/023.
 */
export async function automaticTranslationFacts(db: Db, shop: string): Promise<AutomaticTranslationFacts | null> {
  const [row] = await db.$queryRaw<
    Array<{
      autoTranslate: boolean;
      primaryLocale: string | null;
      publishedLocales: string[];
      localesReadAt: Date | null;
      chosen: string[] | null;
    }>
  >`
    SELECT settings."autoTranslate", shop."primaryLocale", shop."publishedLocales", shop."localesReadAt",
           own."locales" AS chosen
    FROM "Shop" shop
    JOIN "ShopSettings" settings ON settings."shopId" = shop."id"
    LEFT JOIN "TranslationSettings" own ON own."shopDomain" = shop."domain"
    WHERE shop."domain" = ${shop}`;
  if (!row) return null;
  return {
    autoTranslate: row.autoTranslate,
    locales:
      row.localesReadAt && row.primaryLocale ? { primary: row.primaryLocale, published: row.publishedLocales } : null,
    chosenLocales: row.chosen ?? [],
  };
}
