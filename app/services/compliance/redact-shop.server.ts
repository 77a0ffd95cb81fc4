import { dataOwners } from "~/services/compliance/data-owners.server";
import { completeComplianceRequest, recordComplianceRequest } from "~/services/compliance/record-request.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  webhookId: string;
}

/**
 * shop/redact (48 hours after uninstall): every data owner deletes everything of the shop.
 * Only the request record itself remains, holding the domain and what was deleted.
 */
export async function redactShop({ db, shop, webhookId }: Options) {
  const recorded = await recordComplianceRequest({
    db,
    shopDomain: shop,
    topic: "SHOP_REDACT",
    webhookId,
    customerRef: null,
  });
  if (!recorded) return { skipped: true as const };
  const deleted: Record<string, number> = {};
  // The shop row goes last: other owners may still need it to find their rows.
  for (const owner of [...dataOwners].reverse()) {
    deleted[owner.name] = await owner.redactShop({ db, shopDomain: shop });
  }
  await completeComplianceRequest(db, recorded.id, { summary: { deleted } });
  return { skipped: false as const, deleted };
}
