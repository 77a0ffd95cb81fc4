import { redactShop } from "~/services/compliance/redact-shop.server";
import { installationState } from "~/services/shops/installation-state.server";
import type { Db } from "~/services/types";

/**
 * shop/redact, checked again when the job runs (intake checked when it arrived): the shop may
 * have reinstalled in between, and an installed shop is never erased.
 */
export async function redactUninstalledShop({ db, shop, webhookId }: { db: Db; shop: string; webhookId: string }) {
  if ((await installationState({ db, shop })) === "installed") {
    return { skipped: true as const, reason: "installed" };
  }
  return redactShop({ db, shop, webhookId });
}
