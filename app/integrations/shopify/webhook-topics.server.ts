import { z } from "zod";

import type { StoreEvent } from "~/services/ports/store-events";

/**
 * Shopify webhook topics the app subscribes to (shopify.app.toml), each parsed from Shopify's
 * payload into the app's own StoreEvent. This is the platform boundary: nothing past it sees a REST
 * payload (app/webhook-jobs.server.ts turns the event into its job).
 */
export const WEBHOOK_TOPICS = [
  "products/create",
  "products/update",
  "products/delete",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "locales/create",
  "locales/update",
  "collections/update",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** The library reports topics as PRODUCTS_CREATE; the toml and URLs use products/create. */
export function topicKey(topic: WebhookTopic): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

interface Delivery {
  shop: string;
  payload: unknown;
}

/**
 * What the app must know about the shop before a topic's job is queued (webhooks.server.ts).
 * - "installation": the shop's record decides (a DB read): unknown shops are acknowledged and
 *   dropped, and shop/redact is refused while the shop is still installed.
 * - "session": the offline session authenticate.webhook already loaded decides (no extra read):
 *   without one the app cannot act for the shop, so the delivery is acknowledged and dropped.
 */
export type InstallCheck = "installation" | "session";
export const INSTALL_CHECK: Record<WebhookTopic, InstallCheck> = {
  "products/create": "session",
  "products/update": "session",
  "products/delete": "session",
  "orders/create": "session",
  "orders/updated": "session",
  "orders/cancelled": "session",
  "refunds/create": "session",
  "app/scopes_update": "session",
  "app/uninstalled": "installation",
  "customers/data_request": "installation",
  "customers/redact": "installation",
  "shop/redact": "installation",
  "locales/create": "session",
  "locales/update": "session",
  "collections/update": "session",
};

/**
 * A signed body that does not belong to the shop or topic its (unsigned) headers name. Shopify's
 * HMAC covers the body only, so X-Shopify-Topic and X-Shopify-Shop-Domain are attacker-controlled
 * on a replayed delivery; the body's own fields are what we trust.
 */
export class ForeignDeliveryError extends Error {
  override name = "ForeignDeliveryError";
}

// Schemas are built once: constructing a zod schema costs more than running it.
const gidOrId = (type: string) =>
  z
    .object({ admin_graphql_api_id: z.string().optional(), id: z.union([z.number(), z.string()]).optional() })
    .refine((value) => value.admin_graphql_api_id ?? value.id, { message: "payload has no id" })
    .transform((value) => value.admin_graphql_api_id ?? `gid://shopify/${type}/${value.id}`);

const productId = gidOrId("Product");
// collections/update carries the REST Collection (https://shopify.dev/docs/api/admin-rest/latest/resources/customcollection),
// with its admin_graphql_api_id; WebhookSubscriptionTopic COLLECTIONS_UPDATE "Occurs whenever a
// collection is updated". Pages and shop policies have no update topic in the 2026-10 enum.
const collectionId = gidOrId("Collection");
const orderId = gidOrId("Order");

// An order body names its customer (REST `customer.id`; readable at protected customer data
// level 1), which the order read cannot (Order.customer needs read_customers). The id is kept in
// the form the compliance topics name customers by: the numeric id as a string.
const orderCustomer = z.looseObject({
  customer: z
    .looseObject({ id: z.union([z.number(), z.string()]).nullable().optional() })
    .nullable()
    .optional(),
});

function orderUpserted({ shop, payload }: Delivery): StoreEvent {
  const id = orderCustomer.parse(payload).customer?.id;
  return { kind: "order.upserted", shop, orderId: orderId.parse(payload), customerId: id != null ? String(id) : null };
}

// refunds/create carries the REST Refund (https://shopify.dev/docs/api/admin-rest/latest/resources/refund):
// its order's numeric id is `order_id`. The order is read again, refunds included.
const refundOrder = z.looseObject({ order_id: z.union([z.number(), z.string()]) });

const productPayload = z.looseObject({
  title: z.string().optional(),
  body_html: z.string().nullable().optional(),
  vendor: z.string().nullable().optional(),
  product_type: z.string().nullable().optional(),
  tags: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .optional(),
  options: z
    .array(z.looseObject({ name: z.string(), values: z.array(z.string()).nullable().optional() }))
    .nullable()
    .optional(),
  variants: z.array(z.looseObject({ title: z.string().optional(), sku: z.string().nullable().optional() })).optional(),
});

const compliancePayload = z.object({
  customer: z
    .object({
      id: z.union([z.number(), z.string()]).nullable().optional(),
      email: z.string().nullable().optional(),
      phone: z.string().nullable().optional(),
    })
    .optional(),
  orders_requested: z.array(z.union([z.number(), z.string()])).optional(),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).optional(),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
});

const scopesPayload = z.object({ current: z.array(z.string()) });

// locales/create and locales/update carry the shop locale: its code and whether it is published
// (https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-of-topics-locales/update; "Occurs
// whenever a shop locale is updated, such as published or unpublished", WebhookSubscriptionTopic).
const localePayload = z.looseObject({ locale: z.string().min(2).max(20), published: z.boolean().optional() });

// The shop identity each body carries (shopify.dev, "Privacy law compliance" and the Shop REST
// resource): compliance bodies carry `shop_id` and `shop_domain`; app/uninstalled carries the
// Shop resource, whose `myshopify_domain` is the permanent *.myshopify.com name (its `domain` is
// the storefront's primary domain, often a custom one). Product, order and scopes bodies carry no
// shop field at all.
const complianceIdentity = z.object({ shop_id: z.union([z.number(), z.string()]), shop_domain: z.string() });
const shopResource = z.object({
  id: z.union([z.number(), z.string()]),
  myshopify_domain: z.string().optional(),
  domain: z.string().optional(),
});

/**
 * Keys only a body about a whole shop (compliance or Shop resource) has; a product, order or
 * scopes body never does. (`shop_id` is not one: app/scopes_update carries it since 2025-07.)
 */
const SHOP_IDENTITY_KEYS = ["shop_domain", "myshopify_domain"] as const;
/** Keys of the customer compliance bodies; a shop/redact body has neither. */
const CUSTOMER_KEYS = ["customer", "orders_to_redact", "orders_requested", "data_request"] as const;

function has(payload: unknown, key: string): boolean {
  return typeof payload === "object" && payload !== null && Object.hasOwn(payload, key);
}

function refuse(reason: string): never {
  throw new ForeignDeliveryError(reason);
}

const sameDomain = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The compliance body's shop_domain must be the header's shop. */
function checkComplianceShop(shop: string, payload: unknown) {
  const identity = complianceIdentity.safeParse(payload);
  if (!identity.success) refuse("payload has no shop_id/shop_domain");
  if (!sameDomain(identity.data.shop_domain, shop)) refuse("payload's shop_domain is not the X-Shopify-Shop-Domain");
}

/**
 * A body without shop identity (products, orders, scopes) cannot be tied to a shop, so the checks
 * are structural: it must be of its own topic's kind. A compliance or Shop body (which would name
 * its shop) is refused, and a product's or order's GID must name the topic's resource type, so an
 * order body is not taken for a product. A product body replayed under another shop's header
 * cannot be told from a real delivery here (no shop field, and no read on the hot path); its job
 * carries only the product id and fingerprints, so the content pipeline reads the product from
 * that other shop's Admin API, finds no such product (ids are global), generates and writes
 * nothing, and records the job as failed ("deleted").
 */
function checkResourceBody(payload: unknown, type: "Product" | "Order" | "Refund" | "AppInstallation" | "Collection") {
  for (const key of SHOP_IDENTITY_KEYS) if (has(payload, key)) refuse(`a ${type} payload has no ${key}`);
  if (type === "AppInstallation") return;
  const gid = (payload as { admin_graphql_api_id?: unknown }).admin_graphql_api_id;
  if (typeof gid === "string" && !gid.startsWith(`gid://shopify/${type}/`)) refuse(`payload is not a ${type} (${gid})`);
}

/** Product bodies always carry their title; updated_at too, as Shopify sends them (optional here). */
const productIdentity = z.object({ title: z.string(), updated_at: z.string().nullable().optional() });

/** Checks a product body's kind, and returns its updated_at (ISO 8601) when it has one. */
function productUpdatedAt(payload: unknown): string | undefined {
  checkResourceBody(payload, "Product");
  const identity = productIdentity.safeParse(payload);
  if (!identity.success) refuse("payload is not a product (no title)");
  if (!identity.data.updated_at) return undefined;
  const time = Date.parse(identity.data.updated_at);
  if (Number.isNaN(time)) refuse("product updated_at is not a timestamp");
  return new Date(time).toISOString();
}

/**
 * Refuses a signed body delivered under another topic or shop (ForeignDeliveryError), before it
 * is mapped. Cross-topic replay fails on shape: a product body has no shop_domain, a shop/redact
 * body no customer, a customers/* body is refused by shop/redact, an order body has an Order GID.
 */
export function checkDelivery(topic: WebhookTopic, { shop, payload }: Delivery): void {
  switch (topic) {
    case "shop/redact":
      checkComplianceShop(shop, payload);
      for (const key of CUSTOMER_KEYS) if (has(payload, key)) refuse(`a shop/redact payload has no ${key}`);
      return;
    case "customers/redact":
      checkComplianceShop(shop, payload);
      if (!has(payload, "customer") || !has(payload, "orders_to_redact")) refuse("not a customers/redact payload");
      return;
    case "customers/data_request":
      checkComplianceShop(shop, payload);
      if (!has(payload, "customer") || !has(payload, "data_request")) refuse("not a customers/data_request payload");
      return;
    case "app/uninstalled": {
      const resource = shopResource.safeParse(payload);
      if (!resource.success) refuse("payload is not a Shop resource");
      const own = resource.data.myshopify_domain ?? resource.data.domain;
      if (!own || !sameDomain(own, shop)) refuse("payload's myshopify_domain is not the X-Shopify-Shop-Domain");
      if (has(payload, "shop_domain")) refuse("a Shop payload has no shop_domain");
      return;
    }
    case "products/create":
    case "products/update":
      productUpdatedAt(payload);
      return;
    case "products/delete":
      // Shopify sends only the deleted product's id (https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-products/delete).
      checkResourceBody(payload, "Product");
      return;
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      checkResourceBody(payload, "Order");
      return;
    case "refunds/create":
      checkResourceBody(payload, "Refund");
      return;
    case "app/scopes_update":
      checkResourceBody(payload, "AppInstallation");
      return;
    case "collections/update":
      checkResourceBody(payload, "Collection");
      return;
    case "locales/create":
    case "locales/update":
      // A locale body has no shop field either; it must at least be a locale's, not a resource's.
      for (const key of [...SHOP_IDENTITY_KEYS, "admin_graphql_api_id"]) {
        if (has(payload, key)) refuse(`a locale payload has no ${key}`);
      }
      return;
  }
}

function productChange(kind: "product.created" | "product.updated", { shop, payload }: Delivery): StoreEvent {
  const id = productId.parse(payload);
  const product = productPayload.parse(payload);
  const tags = Array.isArray(product.tags) ? product.tags : (product.tags ?? "").split(",");
  return {
    kind,
    shop,
    productId: id,
    facts: {
      title: product.title ?? "",
      vendor: product.vendor ?? "",
      productType: product.product_type ?? "",
      tags,
      options: (product.options ?? []).map((option) => ({ name: option.name, values: option.values ?? [] })),
      variants: (product.variants ?? []).map((variant) => ({ title: variant.title ?? "", sku: variant.sku ?? null })),
    },
    descriptionHtml: product.body_html ?? "",
    // Carried so the content pipeline can ignore a delivery older than one it already processed.
    updatedAt: productUpdatedAt(payload),
  };
}

function complianceCustomer(payload: unknown) {
  const parsed = compliancePayload.parse(payload);
  const orderIds = (parsed.orders_requested ?? parsed.orders_to_redact ?? []).map((id) =>
    String(id).startsWith("gid://") ? String(id) : `gid://shopify/Order/${id}`,
  );
  const customer = {
    id: parsed.customer?.id != null ? String(parsed.customer.id) : null,
    email: parsed.customer?.email ?? null,
    phone: parsed.customer?.phone ?? null,
  };
  return { customer, orderIds, dataRequestId: parsed.data_request ? String(parsed.data_request.id) : null };
}

type Parser = (delivery: Delivery) => StoreEvent;

const PARSERS: Record<WebhookTopic, Parser> = {
  "products/create": (delivery) => productChange("product.created", delivery),
  "products/update": (delivery) => productChange("product.updated", delivery),
  "products/delete": ({ shop, payload }) => ({ kind: "product.deleted", shop, productId: productId.parse(payload) }),
  "orders/create": orderUpserted,
  "orders/updated": orderUpserted,
  "orders/cancelled": orderUpserted,
  "refunds/create": ({ shop, payload }) => ({
    kind: "order.upserted",
    shop,
    orderId: `gid://shopify/Order/${refundOrder.parse(payload).order_id}`,
    customerId: null,
  }),
  "app/uninstalled": ({ shop }) => ({ kind: "shop.uninstalled", shop }),
  "app/scopes_update": ({ shop, payload }) => ({
    kind: "shop.scopes-updated",
    shop,
    scopes: scopesPayload.parse(payload).current,
  }),
  "customers/data_request": ({ shop, payload }) => ({
    kind: "compliance.customer-data-request",
    shop,
    ...complianceCustomer(payload),
  }),
  "customers/redact": ({ shop, payload }) => {
    const { customer, orderIds } = complianceCustomer(payload);
    return { kind: "compliance.customer-redact", shop, customer, orderIds };
  },
  "shop/redact": ({ shop }) => ({ kind: "compliance.shop-redact", shop }),
  "locales/create": ({ shop, payload }) => ({
    kind: "shop.locale-changed",
    shop,
    locale: localePayload.parse(payload).locale,
  }),
  "locales/update": ({ shop, payload }) => ({
    kind: "shop.locale-changed",
    shop,
    locale: localePayload.parse(payload).locale,
  }),
  "collections/update": ({ shop, payload }) => ({
    kind: "resource.updated",
    shop,
    resourceId: collectionId.parse(payload),
  }),
};

/**
 * What a verified delivery reports, in the app's terms. Throws ForeignDeliveryError for a body that
 * belongs to another shop or topic (checkDelivery) and a ZodError for a payload of the wrong shape.
 */
export function storeEventFor(topic: WebhookTopic, delivery: Delivery): StoreEvent {
  checkDelivery(topic, delivery);
  return PARSERS[topic](delivery);
}
