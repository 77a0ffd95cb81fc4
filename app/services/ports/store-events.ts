import type { FingerprintFacts } from "~/services/ports/catalog";

/**
 * What a store reports happened (on Shopify, a verified webhook), in the app's terms: ids and the
 * facts the app needs, never the platform's payload. The platform's integration produces these;
 * app/webhook-jobs.server.ts turns each into the job that handles it.
 */
export type StoreEvent =
  | {
      kind: "product.created" | "product.updated";
      shop: string;
      productId: string;
      /** The facts copy is written from, as the store reported them. */
      facts: FingerprintFacts;
      descriptionHtml: string;
      /** When the store last changed the product (ISO 8601), when it says. */
      updatedAt?: string;
    }
  | {
      kind: "order.upserted";
      shop: string;
      orderId: string;
      /** The order's customer when the event names one (an id, never contact details). */
      customerId: string | null;
    }
  /** The product was deleted from the store. */
  | { kind: "product.deleted"; shop: string; productId: string }
  | { kind: "shop.uninstalled"; shop: string }
  | { kind: "shop.scopes-updated"; shop: string; scopes: string[] }
  | {
      kind: "compliance.customer-data-request";
      shop: string;
      customer: CustomerIdentity;
      orderIds: string[];
      dataRequestId: string | null;
    }
  | { kind: "compliance.customer-redact"; shop: string; customer: CustomerIdentity; orderIds: string[] }
  | { kind: "compliance.shop-redact"; shop: string }
  /** A language was added to the shop, or published or unpublished: read the shop's locales again. */
  | { kind: "shop.locale-changed"; shop: string; locale: string }
  /** A translatable resource other than a product changed (a collection): translate what changed. */
  | { kind: "resource.updated"; shop: string; resourceId: string };

/** How a privacy request names the customer. */
export interface CustomerIdentity {
  id: string | null;
  email: string | null;
  phone: string | null;
}
