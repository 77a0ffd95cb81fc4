import type { Db } from "~/services/types";

/**
 * Whether the app is installed on a shop, from the app's own records (never from a request):
 * - "unknown": no Shop row, so the app holds nothing for it (never installed, or already erased);
 * - "installed": the Shop row is not marked uninstalled (a reinstall clears the mark), or there is no
 *   row yet but an offline session exists;
 * - "uninstalled": app/uninstalled was confirmed by the store. A session left behind then is dead
 *   (its token was revoked with the uninstall), so it does not make the shop installed.
 */
export type InstallationState = "unknown" | "installed" | "uninstalled";

export async function installationState({ db, shop }: { db: Db; shop: string }): Promise<InstallationState> {
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (record) return record.uninstalledAt === null ? "installed" : "uninstalled";
  // Sessions decide only when there is no record: one read, not two, for every known shop.
  return (await db.session.count({ where: { shop, isOnline: false } })) > 0 ? "installed" : "unknown";
}
