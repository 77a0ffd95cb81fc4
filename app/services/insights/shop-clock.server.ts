import { isTimeZone } from "~/services/insights/metrics";
import type { ShopClockStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

/**
 * The shop's IANA time zone as recorded (Shop.ianaTimezone), or null when it was never read. Sales
 * days are the shop's days (decision 029), so a merchant's "today" is the one Shopify admin shows.
 */
export async function recordedTimeZone(db: Db, shop: string): Promise<string | null> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return row?.ianaTimezone ?? null;
}

/** The zone the report's days are in: the recorded one, else UTC (before the shop's clock was read). */
export async function reportTimeZone(db: Db, shop: string): Promise<string> {
  return (await recordedTimeZone(db, shop)) ?? "UTC";
}

/**
 * Reads the shop's time zone and currency from the store and records them on the shop's record
 * (never creating one: only an install does, so a late job cannot revive an erased shop). A zone
 * this runtime does not know is taken as UTC rather than failing every later order. Returns the zone.
 */
export async function refreshShopClock({
  db,
  shop,
  store,
}: {
  db: Db;
  shop: string;
  store: ShopClockStore;
}): Promise<string> {
  const clock = await store.clock();
  const timeZone = isTimeZone(clock.timeZone) ? clock.timeZone : "UTC";
  await db.shop.updateMany({
    where: { domain: shop },
    data: { ianaTimezone: timeZone, currencyCode: clock.currencyCode },
  });
  return timeZone;
}

/** The recorded zone, reading the shop's clock first when it was never read. */
export async function shopTimeZone({ db, shop, store }: { db: Db; shop: string; store: ShopClockStore }) {
  return (await recordedTimeZone(db, shop)) ?? refreshShopClock({ db, shop, store });
}
