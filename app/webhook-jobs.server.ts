import { createHash } from "node:crypto";

import { env, orderEmailHashKey } from "~/config/env.server";
import { storeEventFor, type WebhookTopic } from "~/integrations/shopify/webhook-topics.server";
import type { AnyJob } from "~/jobs/definitions";
import { descriptionFingerprint, factsFingerprint } from "~/services/content/product-fingerprint";
import { hashOrderEmail } from "~/services/orders/email-hash";
import type { CustomerIdentity, StoreEvent } from "~/services/ports/store-events";

/**
 * Webhook intake's second half, after the integration has parsed the delivery into a StoreEvent:
 * which job handles the event. Product jobs carry fingerprints rather than the facts (jobs carry
 * ids, not payloads), computed by the same content rule a catalog read uses, so the echo guard
 * and the 0-token re-run compare like with like.
 */
export function jobForEvent(event: StoreEvent, webhookId: string): AnyJob {
  switch (event.kind) {
    case "product.created":
    case "product.updated": {
      const { kind, shop, productId, facts, descriptionHtml, updatedAt } = event;
      const payload = {
        shop,
        productId,
        factsHash: factsFingerprint(facts),
        descriptionHash: descriptionFingerprint(descriptionHtml),
        updatedAt,
      };
      return { name: kind, payload };
    }
    case "product.deleted":
      // Only the support chat keeps anything of a deleted product: its passages leave the index.
      return { name: "support.index-product", payload: { shop: event.shop, productId: event.productId } };
    case "order.upserted":
      return { name: event.kind, payload: { shop: event.shop, orderId: event.orderId, customerId: event.customerId } };
    case "shop.uninstalled":
      return { name: event.kind, payload: { shop: event.shop } };
    case "shop.scopes-updated":
      return { name: event.kind, payload: { shop: event.shop, scopes: event.scopes } };
    case "compliance.customer-data-request": {
      const { kind, shop, customer, orderIds, dataRequestId } = event;
      return { name: kind, payload: { shop, webhookId, customer: customerRef(customer), orderIds, dataRequestId } };
    }
    case "compliance.customer-redact": {
      const { kind, shop, customer, orderIds } = event;
      return { name: kind, payload: { shop, webhookId, customer: customerRef(customer), orderIds } };
    }
    case "compliance.shop-redact":
      return { name: event.kind, payload: { shop: event.shop, webhookId } };
    case "shop.locale-changed":
      return { name: event.kind, payload: { shop: event.shop, locale: event.locale } };
    case "resource.updated":
      return { name: "translation.resource-changed", payload: { shop: event.shop, resourceId: event.resourceId } };
  }
}

/**
 * How a compliance job names the customer: the id, and the keyed hash of the email (the key the
 * order table and support tickets use), so a guest's tickets are found while the email itself
 * never enters the queue (decision 015, decision 025).
 */
function customerRef(customer: CustomerIdentity): { id: string | null; emailHash: string | null } {
  const email = customer.email?.trim();
  return { id: customer.id, emailHash: email ? hashOrderEmail(orderEmailHashKey(env()), email) : null };
}

/**
 * Maps a verified delivery to the job it starts. Throws ForeignDeliveryError for a body that belongs
 * to another shop or topic and a ZodError for a payload of the wrong shape (webhook-topics.server.ts).
 */
export function jobForWebhook(
  topic: WebhookTopic,
  delivery: { shop: string; webhookId: string; payload: unknown },
): AnyJob {
  return jobForEvent(storeEventFor(topic, delivery), delivery.webhookId);
}

/**
 * The job id for a delivery: its webhook id, so a redelivery is a no-op. BullMQ refuses ids that
 * are integers or contain ":" (a deterministic error that no retry can cure), so such an id,
 * which Shopify's UUIDs never are, is replaced by a digest of itself: still one job per delivery.
 */
export function jobIdFor(webhookId: string): string {
  if (!/^\d+$/.test(webhookId) && !webhookId.includes(":")) return webhookId;
  return `webhook-${createHash("sha256").update(webhookId).digest("hex")}`;
}
