import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  scopes: string[];
}

/** Keeps the granted scopes in step after the merchant approves or revokes optional scopes. */
export async function updateScopes({ db, shop, scopes }: Options) {
  const granted = scopes.join(",");
  await db.session.updateMany({ where: { shop }, data: { scope: granted } });
  await db.shop.updateMany({ where: { domain: shop }, data: { scopes: granted } });
  return { scopes: granted };
}
