import { dataOwners, type CustomerRef } from "~/services/compliance/data-owners.server";
import { completeComplianceRequest, recordComplianceRequest } from "~/services/compliance/record-request.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  webhookId: string;
  customer: CustomerRef;
  dataRequestId: string | null;
}

/**
 * customers/data_request: gathers everything every data owner holds about the customer into one
 * export stored on the request, for the merchant to hand over.
 */
export async function exportCustomerData({ db, shop, webhookId, customer, dataRequestId }: Options) {
  const recorded = await recordComplianceRequest({
    db,
    shopDomain: shop,
    topic: "CUSTOMERS_DATA_REQUEST",
    webhookId,
    customerRef: customer.id,
  });
  if (!recorded) return { skipped: true as const };
  const sections: Record<string, unknown[]> = {};
  for (const owner of dataOwners) {
    sections[owner.name] = await owner.exportCustomer({ db, shopDomain: shop, customer });
  }
  const records = Object.values(sections).reduce((sum, rows) => sum + rows.length, 0);
  const exported = JSON.parse(JSON.stringify({ dataRequestId, customerId: customer.id, sections }));
  await completeComplianceRequest({ db, id: recorded.id, result: { export: exported, summary: { records } } });
  return { skipped: false as const, records };
}
