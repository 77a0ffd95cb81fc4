/**
 * Facts about the shop itself that every capability reads: its name, currency and languages. The
 * Shopify implementation is integrations/shopify/shopify-shop-facts.server.ts.
 */
export interface StoreOverview {
  name: string;
  domain: string;
  currencyCode: string;
  productCount: number;
  primaryLocale: string;
  publishedLocales: string[];
}

/** The shop's languages: the primary one first-class, then every published one (primary included). */
export interface ShopLocales {
  primary: string;
  published: string[];
}

export interface ShopFactsStore {
  overview(): Promise<StoreOverview>;
  /** The shop's languages alone (cheaper than overview(): no product count). */
  locales(): Promise<ShopLocales>;
}

/** The shop's clock and money: what its sales days and amounts are in. */
export interface ShopClock {
  /** The shop's IANA time zone (Shopify's `shop { ianaTimezone }`), such as "America/New_York". */
  timeZone: string;
  currencyCode: string;
}

export interface ShopClockStore {
  clock(): Promise<ShopClock>;
}
