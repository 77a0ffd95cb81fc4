import { dataOwners, type CustomerRef } from "~/services/compliance/data-owners.server";
import { completeComplianceRequest, recordComplianceRequest } from "~/services/compliance/record-request.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  webhookId: string;
  customer: CustomerRef;
}

/** customers/redact: every data owner deletes what it holds about the customer. */
export async function redactCustomer({ db, shop, webhookId, customer }: Options) {
  const recorded = await recordComplianceRequest({
    db,
    shopDomain: shop,
    topic: "CUSTOMERS_REDACT",
    webhookId,
    // The request to forget a customer must not itself remember them.
    customerRef: null,
  });
  if (!recorded) return { skipped: true as const };
  const deleted: Record<string, number> = {};
  for (const owner of dataOwners) {
    deleted[owner.name] = await owner.redactCustomer({ db, shopDomain: shop, customer });
  }
  await completeComplianceRequest({ db, id: recorded.id, result: { summary: { deleted } } });
  return { skipped: false as const, deleted };
}
