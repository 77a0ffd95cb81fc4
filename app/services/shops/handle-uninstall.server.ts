import type { SessionStorage } from "@shopify/shopify-app-session-storage";

import type { Db } from "~/services/types";

interface Options {
  db: Db;
  sessions: SessionStorage;
  shop: string;
}

/**
 * The app was uninstalled: its tokens are dead, so drop every session of the shop and mark the
 * shop uninstalled. The shop's other data stays until shop/redact (48 hours later), in case the
 * merchant reinstalls.
 */
export async function handleUninstall({ db, sessions, shop }: Options) {
  const existing = await sessions.findSessionsByShop(shop);
  if (existing.length > 0) await sessions.deleteSessions(existing.map((session) => session.id));
  await db.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
  return { sessionsDeleted: existing.length };
}
