import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  scopes: string | null;
}

/** Creates or revives the shop's record (and default settings) after it installs the app. */
export async function recordInstallation({ db, shop, scopes }: Options) {
  return db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes, settings: { create: {} } },
    update: { scopes, uninstalledAt: null, installedAt: new Date() },
  });
}
