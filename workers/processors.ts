import type { JobName, JobPayload } from "~/jobs/definitions";
import { prisma } from "~/db.server";
import { llmFor, storeForJob as storeFor, translationInventoryFor, unguardedStoreForJob } from "~/composition.server";
import { exportCustomerData } from "~/services/compliance/export-customer-data.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { redactUninstalledShop } from "~/services/compliance/redact-uninstalled-shop.server";
import { confirmUninstall } from "~/services/shops/confirm-uninstall.server";
import { updateScopes } from "~/services/shops/update-scopes.server";
import { processBulkRunItem } from "~/services/content/bulk-runs/process-bulk-run-item.server";
import { readBulkRunCatalog } from "~/services/content/bulk-runs/read-bulk-run-catalog.server";
import { handleProductChange, type ProductChange } from "~/services/content/handle-product-change.server";
import { publishContentVersion } from "~/services/content/publish-content-version.server";
import { regenerateProductCopy } from "~/services/content/regenerate-product-copy.server";
import { queueTranslationAfterCopy } from "~/services/translations/queue-translation-after-copy.server";
import { translateResource } from "~/services/translations/translate-resource.server";
import { scanTranslatableContent } from "~/services/translations/admin/scan-translatable-content.server";
import { processTranslationBulkItem } from "~/services/translations/admin/translation-bulk-runs.server";
import { refreshShopLocales } from "~/services/translations/refresh-shop-locales.server";
import { sweepTranslations } from "~/services/translations/sweep-translations.server";
import { translateChangedResource } from "~/services/translations/translate-changed-resource.server";
import { sessionStorage } from "~/shopify.server";
import { removeDigestSchedule } from "~/jobs/digest-schedule.server";
import { env, orderEmailHashKey } from "~/config/env.server";
import { backfillOrders } from "~/services/orders/backfill-orders.server";
import { recordOrder } from "~/services/orders/record-order.server";
import { indexStoreContent } from "~/services/support/index-store-content.server";
import { indexProductPassages, requestProductIndex } from "~/services/support/index-catalog.server";
import { translateFaqEntry } from "~/services/support/translate-faq.server";
import { runWeeklyDigest } from "~/services/insights/run-weekly-digest.server";

/** Which attempt of its job a processor runs in: `final` when BullMQ will not retry a failure. */
export interface Attempt {
  final: boolean;
  /** Whether an outage may still reschedule the job (false once it has used up its reschedules). */
  rescheduleAllowed: boolean;
  /** Aborted when a stopping worker gives up waiting: LLM calls end and the job runs again. */
  signal: AbortSignal;
}

export type Processor<Name extends JobName> = (payload: JobPayload<Name>, attempt: Attempt) => Promise<unknown>;

async function contentChange(shop: string, change: ProductChange, signal: AbortSignal) {
  const outcome = await handleProductChange({ db: prisma, store: storeFor(shop), llm: llmFor(signal), shop, change });
  // The chat's passage of the product is read again on its own job, whatever the copy decided. Only
  // once the change was handled: a shop Shopify refuses (frozen, locked) fails here with one job, not two.
  await requestProductIndex({ shop, productId: change.productId });
  await queueTranslationAfterCopy({ db: prisma, shop, change, outcome });
  return outcome;
}

/**
 * One processor per job; each only wires dependencies and calls one service.
 */
export const processors: { [Name in JobName]: Processor<Name> } = {
  "shop.uninstalled": async ({ shop }) => {
    const result = await confirmUninstall({
      db: prisma,
      sessions: sessionStorage,
      store: unguardedStoreForJob(shop),
      shop,
    });
    // No weekly digest for an uninstalled shop (docs/decisions/028).
    if (!result.skipped) await removeDigestSchedule(shop);
    return result;
  },
  "shop.scopes-updated": ({ shop, scopes }) => updateScopes({ db: prisma, shop, scopes }),
  "compliance.customer-data-request": ({ shop, webhookId, customer, orderIds, dataRequestId }) =>
    exportCustomerData({ db: prisma, shop, webhookId, customer: { ...customer, orderIds }, dataRequestId }),
  "compliance.customer-redact": ({ shop, webhookId, customer, orderIds }) =>
    redactCustomer({ db: prisma, shop, webhookId, customer: { ...customer, orderIds } }),
  "compliance.shop-redact": ({ shop, webhookId }) => redactUninstalledShop({ db: prisma, shop, webhookId }),
  "product.created": ({ shop, ...change }, { signal }) => contentChange(shop, { kind: "created", ...change }, signal),
  "product.updated": ({ shop, ...change }, { signal }) => contentChange(shop, { kind: "updated", ...change }, signal),
  "content.publish-version": async ({ shop, versionId }) => {
    const result = await publishContentVersion({ db: prisma, store: storeFor(shop), shop, versionId });
    if (result.published) await queueTranslationAfterCopy({ db: prisma, shop, versionId });
    return result;
  },
  "content.regenerate": ({ shop, productContentId, note }, { signal }) =>
    regenerateProductCopy({
      db: prisma,
      store: storeFor(shop),
      llm: llmFor(signal),
      shop,
      productContentId,
      note,
    }),
  "content.resume": ({ shop, productContentId }, { signal }) =>
    regenerateProductCopy({
      db: prisma,
      store: storeFor(shop),
      llm: llmFor(signal),
      shop,
      productContentId,
      note: null,
      followMode: true,
    }),
  "bulk-run.read": ({ shop, runId }, attempt) =>
    readBulkRunCatalog({
      db: prisma,
      store: storeFor(shop),
      shop,
      runId,
      finalAttempt: attempt.final,
      rescheduleAllowed: attempt.rescheduleAllowed,
    }),
  "bulk-run.item": ({ shop, itemId }, attempt) =>
    processBulkRunItem({
      db: prisma,
      store: storeFor(shop),
      llm: llmFor(attempt.signal),
      shop,
      itemId,
      finalAttempt: attempt.final,
      rescheduleAllowed: attempt.rescheduleAllowed,
    }),
  "translation.resource": ({ shop, resourceId, retryFailed, replace }, { signal }) =>
    translateResource({
      db: prisma,
      store: storeFor(shop),
      llm: llmFor(signal),
      shop,
      resourceId,
      retryFailed,
      replace,
    }),
  "translation.scan": ({ shop, kind, after, startedAt }) =>
    scanTranslatableContent({
      db: prisma,
      inventory: translationInventoryFor(shop, "job"),
      store: storeFor(shop),
      shop,
      kind,
      after,
      startedAt,
    }),
  "translation.bulk-item": ({ shop, itemId }, attempt) =>
    processTranslationBulkItem({
      db: prisma,
      store: storeFor(shop),
      llm: llmFor(attempt.signal),
      shop,
      itemId,
      finalAttempt: attempt.final,
      rescheduleAllowed: attempt.rescheduleAllowed,
    }),
  "shop.locale-changed": ({ shop }) => refreshShopLocales({ db: prisma, store: storeFor(shop), shop }),
  "order.upserted": ({ shop, orderId, customerId }) =>
    recordOrder({
      db: prisma,
      shop,
      store: storeFor(shop),
      orderId,
      customerId,
      emailHashKey: orderEmailHashKey(env()),
    }),
  "orders.backfill": ({ shop }, attempt) =>
    backfillOrders({
      db: prisma,
      shop,
      store: storeFor(shop),
      finalAttempt: attempt.final,
      rescheduleAllowed: attempt.rescheduleAllowed,
    }),
  "support.index-content": ({ shop }) => indexStoreContent({ db: prisma, shop, store: storeFor(shop) }),
  "support.index-product": ({ shop, productId }) =>
    indexProductPassages({ db: prisma, shop, store: storeFor(shop), productId }),
  "support.translate-faq": ({ shop, faqId }, { signal }) =>
    translateFaqEntry({ db: prisma, llm: llmFor(signal), store: storeFor(shop), shop, faqId }),
  "insights.weekly-digest": ({ shop, trigger }, { signal }) =>
    runWeeklyDigest({ db: prisma, shop, llm: llmFor(signal), trigger, removeSchedule: removeDigestSchedule }),
  "translation.sweep": ({ shop, kinds, sweepId }) =>
    sweepTranslations({ db: prisma, store: storeFor(shop), shop, kinds, sweepId }),
  "translation.resource-changed": ({ shop, resourceId }, { signal }) =>
    translateChangedResource({ db: prisma, store: storeFor(shop), llm: llmFor(signal), shop, resourceId }),
};
