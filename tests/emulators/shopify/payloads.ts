// REST-shaped webhook payloads, as Shopify sends them (numeric ids, snake_case, tags as a
// comma-separated string, money as strings, timestamps with the shop's UTC offset).
import { randomInt } from "node:crypto";
import { gid, optionValueHasVariants, type OrderRecord, type ProductRecord, type ShopRecord } from "./state";

const offsetCache = new Map<string, Intl.DateTimeFormat>();

/** "2024-05-01T12:00:00Z" → "2024-05-01T08:00:00-04:00" in the shop's timezone, like REST. */
export function restTime(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  let fmt = offsetCache.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZoneName: "longOffset",
      });
    } catch {
      fmt = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", timeZoneName: "longOffset" });
    }
    offsetCache.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]));
  const offset = /GMT([+-]\d{2}:\d{2})?/.exec(parts.timeZoneName ?? "")?.[1] ?? "+00:00";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function productPayload(shop: ShopRecord, p: ProductRecord): Record<string, unknown> {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  const images = p.images.map((img, i) => ({
    id: img.imageId,
    alt: img.altText,
    position: i + 1,
    product_id: p.id,
    created_at: t(img.createdAt),
    updated_at: t(img.createdAt),
    admin_graphql_api_id: gid("ProductImage", img.imageId),
    width: img.width,
    height: img.height,
    src: img.url,
    variant_ids: [],
  }));
  return {
    admin_graphql_api_id: gid("Product", p.id),
    body_html: p.descriptionHtml,
    created_at: t(p.createdAt),
    handle: p.handle,
    id: p.id,
    product_type: p.productType,
    published_at: t(p.publishedAt),
    template_suffix: p.templateSuffix,
    title: p.title,
    updated_at: t(p.updatedAt),
    vendor: p.vendor,
    status: p.status.toLowerCase(),
    published_scope: "web",
    tags: p.tags.join(", "),
    variants: p.variants.map((v) => ({
      admin_graphql_api_id: gid("ProductVariant", v.id),
      barcode: v.barcode,
      compare_at_price: v.compareAtPrice,
      created_at: t(v.createdAt),
      id: v.id,
      inventory_policy: "deny",
      position: v.position,
      price: v.price,
      product_id: p.id,
      sku: v.sku,
      taxable: true,
      title: v.title,
      updated_at: t(v.updatedAt),
      option1: v.selectedOptions[0]?.value ?? null,
      option2: v.selectedOptions[1]?.value ?? null,
      option3: v.selectedOptions[2]?.value ?? null,
      image_id: null,
      inventory_item_id: v.inventoryItemId,
      inventory_quantity: v.inventoryQuantity,
      old_inventory_quantity: v.inventoryQuantity,
    })),
    options: p.options.map((o) => ({
      name: o.name,
      id: o.id,
      product_id: p.id,
      position: o.position,
      // REST lists only the values some variant has (the Admin API's optionValues also lists the others).
      values: o.values.filter((v) => optionValueHasVariants(p, o.name, v.name)).map((v) => v.name),
    })),
    images,
    image: images[0] ?? null,
    media: p.images.map((img, i) => ({
      id: img.id,
      product_id: p.id,
      position: i + 1,
      created_at: t(img.createdAt),
      updated_at: t(img.createdAt),
      alt: img.altText,
      status: "READY",
      media_content_type: "IMAGE",
      preview_image: { width: img.width, height: img.height, src: img.url, status: "READY" },
      variant_ids: [],
      admin_graphql_api_id: gid("MediaImage", img.id),
    })),
    variant_gids: p.variants.map((v) => ({
      admin_graphql_api_id: gid("ProductVariant", v.id),
      updated_at: v.updatedAt,
    })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

export function productDeletePayload(p: { id: number }): Record<string, unknown> {
  return { id: p.id };
}

function money(amount: string, currency: string) {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

const FULFILLMENT_STATUS_REST: Record<string, string | null> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  UNFULFILLED: null,
  IN_PROGRESS: null,
  ON_HOLD: null,
  OPEN: null,
};

export function orderPayload(shop: ShopRecord, o: OrderRecord): Record<string, unknown> {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  const c = o.currency;
  const lineTotal = o.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0).toFixed(2);
  return {
    id: o.id,
    admin_graphql_api_id: gid("Order", o.id),
    app_id: null,
    cancel_reason: o.cancelReason,
    cancelled_at: t(o.cancelledAt),
    closed_at: t(o.closedAt),
    confirmed: true,
    contact_email: o.email,
    created_at: t(o.createdAt),
    currency: c,
    current_subtotal_price: o.subtotalPrice,
    current_total_price: o.totalPrice,
    current_total_tax: o.totalTax,
    email: o.email,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: FULFILLMENT_STATUS_REST[o.fulfillmentStatus] ?? null,
    name: o.name,
    note: o.note,
    number: o.number - 1000,
    order_number: o.number,
    phone: o.phone,
    presentment_currency: c,
    processed_at: t(o.processedAt),
    subtotal_price: o.subtotalPrice,
    subtotal_price_set: money(o.subtotalPrice, c),
    tags: o.tags.join(", "),
    test: o.test,
    total_discounts: o.totalDiscounts,
    total_line_items_price: lineTotal,
    total_price: o.totalPrice,
    total_price_set: money(o.totalPrice, c),
    total_tax: o.totalTax,
    updated_at: t(o.updatedAt),
    customer: o.customer
      ? {
          id: o.customer.id,
          email: o.customer.email,
          first_name: o.customer.firstName,
          last_name: o.customer.lastName,
          phone: o.customer.phone,
          admin_graphql_api_id: gid("Customer", o.customer.id),
          currency: c,
          state: "enabled",
        }
      : null,
    line_items: o.lineItems.map((li) => ({
      id: li.id,
      admin_graphql_api_id: gid("LineItem", li.id),
      fulfillable_quantity: o.fulfillmentStatus === "FULFILLED" ? 0 : li.quantity,
      fulfillment_status: o.fulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
      name: li.title,
      price: li.price,
      price_set: money(li.price, c),
      product_exists: li.productId !== null,
      product_id: li.productId,
      quantity: li.quantity,
      requires_shipping: true,
      sku: li.sku,
      taxable: true,
      title: li.title,
      total_discount: "0.00",
      variant_id: li.variantId,
      variant_title: null,
      vendor: li.vendor,
    })),
    fulfillments: o.fulfillments.map((f) => ({
      id: f.id,
      admin_graphql_api_id: gid("Fulfillment", f.id),
      created_at: t(f.createdAt),
      order_id: o.id,
      status: f.status.toLowerCase(),
      tracking_company: f.trackingInfo[0]?.company ?? null,
      tracking_number: f.trackingInfo[0]?.number ?? null,
      tracking_numbers: f.trackingInfo.map((ti) => ti.number).filter(Boolean),
      tracking_url: f.trackingInfo[0]?.url ?? null,
      tracking_urls: f.trackingInfo.map((ti) => ti.url).filter(Boolean),
      updated_at: t(f.updatedAt),
    })),
  };
}

export function shopPayload(shop: ShopRecord): Record<string, unknown> {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    customer_email: shop.contactEmail,
    currency: shop.currencyCode,
    iana_timezone: shop.ianaTimezone,
    timezone: `(GMT${restTime(new Date().toISOString(), shop.ianaTimezone)?.slice(-6) ?? "+00:00"}) ${shop.ianaTimezone}`,
    primary_locale: shop.locales.find((l) => l.primary)?.locale ?? "en",
    plan_name:
      shop.plan === "plus"
        ? "shopify_plus"
        : shop.plan === "enterprise"
          ? "enterprise"
          : shop.plan === "advanced"
            ? "advanced"
            : "basic",
    plan_display_name: shop.plan === "plus" ? "Shopify Plus" : shop.plan.charAt(0).toUpperCase() + shop.plan.slice(1),
    created_at: t(shop.createdAt),
    updated_at: t(shop.createdAt),
    country_code: "US",
    country_name: "United States",
    source: null,
    money_format: "${{amount}}",
  };
}

/**
 * Shopify's documented payloads for app lifecycle and the mandatory compliance topics, used when
 * a test triggers such a topic without supplying its own payload.
 */
export function defaultTopicPayload(shop: ShopRecord, topic: string, extra: Record<string, unknown> = {}): unknown {
  const customer = { id: randomInt(1e9, 9e9), email: "customer@example.com", phone: "555-625-1199" };
  switch (topic) {
    case "app/uninstalled":
    case "shop/update":
      return shopPayload(shop);
    case "app/scopes_update":
      return {
        id: shop.id,
        admin_graphql_api_id: gid("AppInstallation", shop.id),
        previous: [],
        current: shop.scopes,
        updated_at: new Date().toISOString(),
      };
    case "customers/data_request":
      return {
        shop_id: shop.id,
        shop_domain: shop.domain,
        orders_requested: [],
        customer,
        data_request: { id: randomInt(1e6, 9e6) },
        ...extra,
      };
    case "customers/redact":
      return { shop_id: shop.id, shop_domain: shop.domain, customer, orders_to_redact: [], ...extra };
    case "shop/redact":
      return { shop_id: shop.id, shop_domain: shop.domain, ...extra };
    default:
      return { ...extra };
  }
}
