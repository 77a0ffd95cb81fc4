import { createHmac, randomUUID } from "node:crypto";

import type { PrismaClient } from "@prisma/client";

import { TEST_API_SECRET } from "./test-env";

export interface WebhookDelivery {
  topic: string;
  shop: string;
  payload: unknown;
  webhookId?: string;
  /** Sign with another secret to forge the HMAC. */
  secret?: string;
  rawBody?: string;
}

/** Sends a webhook exactly as Shopify does: raw JSON body, base64 HMAC-SHA256 and the X-Shopify headers. */
export async function sendWebhook(appUrl: string, delivery: WebhookDelivery): Promise<Response> {
  const body = delivery.rawBody ?? JSON.stringify(delivery.payload);
  const hmac = createHmac("sha256", delivery.secret ?? TEST_API_SECRET)
    .update(body)
    .digest("base64");
  return fetch(`${appUrl}/webhooks/${delivery.topic}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": delivery.shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
    body,
  });
}

/**
 * The app's own records of an installed shop (an offline session and the Shop row), without the
 * emulator: enough for intake, which acknowledges and drops deliveries for shops it cannot act for.
 */
export async function installShopRecords(db: PrismaClient, shop: string): Promise<void> {
  const session = { shop, state: "", isOnline: false, scope: "read_products", accessToken: `shpat_${randomUUID()}` };
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, ...session },
    update: session,
  });
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, settings: { create: {} } },
    update: { uninstalledAt: null },
  });
}

/** Minimal, correctly shaped payloads for each topic. */
export function samplePayload(topic: string, shop: string): unknown {
  switch (topic) {
    case "products/create":
    case "products/update":
      return {
        id: 7001,
        admin_graphql_api_id: "gid://shopify/Product/7001",
        title: "Linen Shirt",
        body_html: "<p>Soft.</p>",
        vendor: "Acme",
        product_type: "Shirts",
        tags: "linen, summer",
        options: [{ name: "Size", values: ["S", "M"] }],
        variants: [{ title: "S", sku: "LS-S" }],
        created_at: "2026-01-01T10:00:00-05:00",
        updated_at: "2026-01-01T10:00:00-05:00",
      };
    case "products/delete":
      // Shopify's products/delete body is the product's id alone.
      return { id: 7001 };
    case "locales/create":
    case "locales/update":
      return { locale: "fr", published: true };
    case "collections/update":
      return {
        id: 4001,
        admin_graphql_api_id: "gid://shopify/Collection/4001",
        handle: "summer",
        title: "Summer",
        body_html: "<p>Sun</p>",
        updated_at: "2026-01-01T10:00:00-05:00",
      };
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return {
        id: 9001,
        admin_graphql_api_id: "gid://shopify/Order/9001",
        name: "#1001",
        email: "ana@example.com",
        customer: { id: 501 },
      };
    case "refunds/create":
      return {
        id: 8801,
        admin_graphql_api_id: "gid://shopify/Refund/8801",
        order_id: 9001,
        created_at: "2026-01-02T10:00:00-05:00",
        refund_line_items: [],
        transactions: [],
      };
    case "app/uninstalled":
      return { id: 1, name: "Test shop", domain: shop, myshopify_domain: shop };
    case "app/scopes_update":
      return {
        id: 1,
        previous: ["read_products"],
        current: ["read_products", "write_products"],
        updated_at: new Date().toISOString(),
      };
    case "customers/data_request":
      return {
        shop_id: 1,
        shop_domain: shop,
        orders_requested: [9001],
        customer: { id: 501, email: "ana@example.com", phone: "+15550001" },
        data_request: { id: 42 },
      };
    case "customers/redact":
      return {
        shop_id: 1,
        shop_domain: shop,
        customer: { id: 501, email: "ana@example.com", phone: null },
        orders_to_redact: [9001],
      };
    case "shop/redact":
      return { shop_id: 1, shop_domain: shop };
    default:
      throw new Error(`no sample payload for ${topic}`);
  }
}
