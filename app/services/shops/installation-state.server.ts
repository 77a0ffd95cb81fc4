import type { Db } from "~/services/types";

/**
 * Whether the app is installed on a shop, from the app's own records (never from a request):
 * - "unknown": no Shop row, so the app holds nothing for it (never installed, or already erased);
 * - "installed": the Shop row is not marked uninstalled, or an offline session still exists;
 * - "uninstalled": app/uninstalled was processed and no session is left.
 */
export type InstallationState = "unknown" | "installed" | "uninstalled";

export async function installationState({ db, shop }: { db: Db; shop: string }): Promise<InstallationState> {
  const [record, sessions] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
    db.session.count({ where: { shop, isOnline: false } }),
  ]);
  if (!record) return sessions > 0 ? "installed" : "unknown";
  return record.uninstalledAt === null || sessions > 0 ? "installed" : "uninstalled";
}
