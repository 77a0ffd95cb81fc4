import type { JobName, JobPayload } from "~/jobs/definitions";
import { prisma } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { exportCustomerData } from "~/services/compliance/export-customer-data.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { redactShop } from "~/services/compliance/redact-shop.server";
import { handleUninstall } from "~/services/shops/handle-uninstall.server";
import { updateScopes } from "~/services/shops/update-scopes.server";
import { sessionStorage } from "~/shopify.server";

type Processor<Name extends JobName> = (payload: JobPayload<Name>) => Promise<unknown>;

/**
 * One processor per job; each only wires dependencies and calls one service.
 * Product and order jobs are accepted and acknowledged here; the content pipeline and the
 * insights ingest replace these two entries with their services.
 */
export const processors: { [Name in JobName]: Processor<Name> } = {
  "shop.uninstalled": ({ shop }) => handleUninstall({ db: prisma, sessions: sessionStorage, shop }),
  "shop.scopes-updated": ({ shop, scopes }) => updateScopes({ db: prisma, shop, scopes }),
  "compliance.customer-data-request": ({ shop, webhookId, customer, orderIds, dataRequestId }) =>
    exportCustomerData({ db: prisma, shop, webhookId, customer: { ...customer, orderIds }, dataRequestId }),
  "compliance.customer-redact": ({ shop, webhookId, customer, orderIds }) =>
    redactCustomer({ db: prisma, shop, webhookId, customer: { ...customer, orderIds } }),
  "compliance.shop-redact": ({ shop, webhookId }) => redactShop({ db: prisma, shop, webhookId }),
  "product.created": async ({ productId }) => acknowledge("product.created", productId),
  "product.updated": async ({ productId }) => acknowledge("product.updated", productId),
  "order.upserted": async ({ orderId }) => acknowledge("order.upserted", orderId),
};

function acknowledge(job: string, resource: string) {
  logger.debug({ job, resource }, "no capability consumes this job yet");
  return { handled: false };
}
