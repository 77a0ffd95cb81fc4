import type { SessionStorage } from "@shopify/shopify-app-session-storage";

import { isAppError } from "~/lib/errors";
import { handleUninstall } from "~/services/shops/handle-uninstall.server";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  sessions: SessionStorage;
  store: ShopFactsStore;
  shop: string;
}

/**
 * app/uninstalled, believed only once the store confirms it: a captured uninstall body replayed
 * after the merchant reinstalled would otherwise drop the shop's sessions and mark it uninstalled,
 * which is what lets shop/redact erase it. An uninstall revokes the app's token, so a store that
 * still answers means the app is installed; only a refused token (or no usable session) proceeds.
 * Any other failure (network, throttling) is thrown, so the job is tried again.
 */
export async function confirmUninstall({ db, sessions, store, shop }: Options) {
  try {
    await store.overview();
    return { skipped: true as const, reason: "the store still accepts the app's token" };
  } catch (error) {
    const revoked =
      isAppError(error, "ADMIN_API_UNAUTHORIZED") ||
      isAppError(error, "SHOP_NOT_INSTALLED") ||
      // A refresh Shopify refused is final; one that failed on the way (5xx, network) is retried.
      (isAppError(error, "TOKEN_REFRESH_FAILED") && !error.retryable);
    if (!revoked) throw error;
  }
  return { skipped: false as const, ...(await handleUninstall({ db, sessions, shop })) };
}
