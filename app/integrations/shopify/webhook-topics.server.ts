import { z } from "zod";

import type { AnyJob } from "~/jobs/definitions";
import { descriptionFingerprint, factsFingerprint } from "~/services/content/product-fingerprint";

/**
 * Shopify webhook topics the app subscribes to (shopify.app.toml), each mapped from Shopify's
 * payload to the app's own job. This is the platform boundary: nothing past it sees a REST payload.
 */
export const WEBHOOK_TOPICS = [
  "products/create",
  "products/update",
  "orders/create",
  "orders/updated",
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
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

// Schemas are built once: constructing a zod schema costs more than running it.
const gidOrId = (type: string) =>
  z
    .object({ admin_graphql_api_id: z.string().optional(), id: z.union([z.number(), z.string()]).optional() })
    .refine((value) => value.admin_graphql_api_id ?? value.id, { message: "payload has no id" })
    .transform((value) => value.admin_graphql_api_id ?? `gid://shopify/${type}/${value.id}`);

const productId = gidOrId("Product");
const orderId = gidOrId("Order");

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

function productChange({ shop, payload }: Delivery) {
  const id = productId.parse(payload);
  const product = productPayload.parse(payload);
  const tags = Array.isArray(product.tags) ? product.tags : (product.tags ?? "").split(",");
  const factsHash = factsFingerprint({
    title: product.title ?? "",
    vendor: product.vendor ?? "",
    productType: product.product_type ?? "",
    tags,
    options: (product.options ?? []).map((option) => ({ name: option.name, values: option.values ?? [] })),
    variants: (product.variants ?? []).map((variant) => ({ title: variant.title ?? "", sku: variant.sku ?? null })),
  });
  return { shop, productId: id, factsHash, descriptionHash: descriptionFingerprint(product.body_html ?? "") };
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

type Mapper = (delivery: Delivery & { webhookId: string }) => AnyJob;

const MAPPERS: Record<WebhookTopic, Mapper> = {
  "products/create": (delivery) => ({ name: "product.created", payload: productChange(delivery) }),
  "products/update": (delivery) => ({ name: "product.updated", payload: productChange(delivery) }),
  "orders/create": ({ shop, payload }) => ({
    name: "order.upserted",
    payload: { shop, orderId: orderId.parse(payload) },
  }),
  "orders/updated": ({ shop, payload }) => ({
    name: "order.upserted",
    payload: { shop, orderId: orderId.parse(payload) },
  }),
  "app/uninstalled": ({ shop }) => ({ name: "shop.uninstalled", payload: { shop } }),
  "app/scopes_update": ({ shop, payload }) => ({
    name: "shop.scopes-updated",
    payload: { shop, scopes: scopesPayload.parse(payload).current },
  }),
  "customers/data_request": ({ shop, webhookId, payload }) => ({
    name: "compliance.customer-data-request",
    payload: { shop, webhookId, ...complianceCustomer(payload) },
  }),
  "customers/redact": ({ shop, webhookId, payload }) => {
    const { customer, orderIds } = complianceCustomer(payload);
    return { name: "compliance.customer-redact", payload: { shop, webhookId, customer, orderIds } };
  },
  "shop/redact": ({ shop, webhookId }) => ({ name: "compliance.shop-redact", payload: { shop, webhookId } }),
};

/** Maps a verified delivery to the job it starts; throws a ZodError for a payload of the wrong shape. */
export function jobForWebhook(topic: WebhookTopic, delivery: Delivery & { webhookId: string }): AnyJob {
  return MAPPERS[topic](delivery);
}
