import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  scopes: string | null;
}

/**
 * Creates or revives the shop's record (and default settings) after it installs the app.
 * Called only from the library's afterAuth hook, i.e. a real install through OAuth or token
 * exchange: that is the one thing allowed to lift a shop/redact tombstone (a merchant may come
 * back after the erase). Jobs never call this, so a late job cannot bring an erased shop back.
 */
export async function recordInstallation({ db, shop, scopes }: Options) {
  const [, record] = await db.$transaction([
    db.erasedShop.deleteMany({ where: { shopDomain: shop } }),
    db.shop.upsert({
      where: { domain: shop },
      create: { domain: shop, scopes, settings: { create: {} } },
      update: { scopes, uninstalledAt: null, installedAt: new Date() },
    }),
  ]);
  return record;
}
