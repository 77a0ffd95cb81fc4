import { purgeShopJobs, purgeShopKeys } from "~/jobs/purge-shop.server";
import { redis, whenReady } from "~/lib/redis.server";
import { dataOwners } from "~/services/compliance/data-owners.server";
import { forgetNotErased, waitUntilErasureSeen } from "~/services/compliance/erased-shops.server";
import { completeComplianceRequest, recordComplianceRequest } from "~/services/compliance/record-request.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  webhookId: string;
}

/**
 * shop/redact (48 hours after uninstall): every data owner deletes everything of the shop.
 * Only the request record itself remains, holding the domain and what was deleted, plus the
 * shop's tombstone (erased-shops.server.ts).
 *
 * The tombstone comes first, then a wait until every worker sees it (a worker trusts "not erased"
 * for NOT_ERASED_TTL_MS), so a job that starts from then on skips the shop; then the shop's queued
 * jobs and Redis keys go, then its rows. Every step is idempotent: a retry redoes them.
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
  await db.erasedShop.upsert({ where: { shopDomain: shop }, create: { shopDomain: shop }, update: {} });
  forgetNotErased(shop);
  await waitUntilErasureSeen();
  const queuedJobs = await purgeShopJobs(shop);
  const redisKeys = await purgeShopKeys(await whenReady(redis()), shop);
  const deleted: Record<string, number> = { queuedJobs, redisKeys };
  // The shop row goes last: other owners may still need it to find their rows.
  for (const owner of [...dataOwners].reverse()) {
    deleted[owner.name] = await owner.redactShop({ db, shopDomain: shop });
  }
  await completeComplianceRequest({ db, id: recorded.id, result: { summary: { deleted } } });
  return { skipped: false as const, deleted };
}
