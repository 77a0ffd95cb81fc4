// REST-shaped webhook payloads, as Shopify sends them (numeric ids, snake_case, tags as a
// comma-separated string, money as strings, timestamps with the shop's UTC offset).
import { randomInt } from "node:crypto";
import { lineDiscountAllocations } from "./discounts";
import {
  gid,
  optionValueHasVariants,
  type AddressRecord,
  type CustomerRecord,
  type OrderRecord,
  type ProductRecord,
  type RefundRecord,
  type ShopRecord,
} from "./state";

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

function moneySet(amount: string, currency: string, presentment?: { currency: string; rate: number }) {
  const shown = presentment ? (Number(amount) * presentment.rate).toFixed(2) : amount;
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount: shown, currency_code: presentment?.currency ?? currency },
  };
}

const FULFILLMENT_STATUS_REST: Record<string, string | null> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  UNFULFILLED: null,
  IN_PROGRESS: null,
  ON_HOLD: null,
  OPEN: null,
};

function addressPayload(a: AddressRecord | null) {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ");
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: a.latitude,
    longitude: a.longitude,
    name: name || null,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

function customerPayload(shop: ShopRecord, c: CustomerRecord, currency: string) {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  const address = addressPayload(c.defaultAddress);
  return {
    id: c.id,
    email: c.email,
    created_at: t(c.createdAt),
    updated_at: t(c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "disabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    email_marketing_consent: c.email
      ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null }
      : null,
    sms_marketing_consent: null,
    tags: "",
    currency,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: address && {
      id: c.id,
      customer_id: c.id,
      ...address,
      country_name: address.country,
      default: true,
    },
  };
}

/**
 * The REST Order resource as orders/* webhooks carry it
 * (https://shopify.dev/docs/api/admin-rest/latest/resources/order, and the orders/create example in
 * https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-orders/create): money as strings
 * with *_set twins, addresses, shipping_lines, discount_codes, tax_lines, fulfillments with tracking,
 * order_status_url, customer and customer_locale. Unredacted: what the app may see is appOrderPayload.
 */
export function orderPayload(shop: ShopRecord, o: OrderRecord): Record<string, unknown> {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  const c = o.currency;
  const shown = { currency: o.presentmentCurrency, rate: o.presentmentRate };
  const money = (amount: string, currency: string) => moneySet(amount, currency, shown);
  const allocations = lineDiscountAllocations(o);
  const lineTotal = o.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0).toFixed(2);
  const taxLines = (lines: OrderRecord["taxLines"]) =>
    lines.map((tl) => ({
      price: tl.price,
      rate: tl.rate,
      title: tl.title,
      price_set: money(tl.price, c),
      channel_liable: false,
    }));
  return {
    id: o.id,
    admin_graphql_api_id: gid("Order", o.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: o.cancelReason,
    cancelled_at: t(o.cancelledAt),
    closed_at: t(o.closedAt),
    confirmation_number: o.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: o.email,
    created_at: t(o.createdAt),
    currency: c,
    current_subtotal_price: o.subtotalPrice,
    current_subtotal_price_set: money(o.subtotalPrice, c),
    current_total_discounts: o.totalDiscounts,
    current_total_discounts_set: money(o.totalDiscounts, c),
    current_total_price: o.totalPrice,
    current_total_price_set: money(o.totalPrice, c),
    current_total_tax: o.totalTax,
    current_total_tax_set: money(o.totalTax, c),
    customer_locale: o.customerLocale,
    discount_codes: o.discountCodes.map((d) => ({ code: d.code, amount: d.amount, type: d.type })),
    email: o.email,
    estimated_taxes: false,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: FULFILLMENT_STATUS_REST[o.fulfillmentStatus] ?? null,
    name: o.name,
    note: o.note,
    note_attributes: (o.noteAttributes ?? []).map(({ name, value }) => ({ name, value })),
    number: o.number - 1000,
    order_number: o.number,
    order_status_url: orderStatusUrl(shop, o),
    payment_gateway_names: ["manual"],
    phone: o.phone,
    presentment_currency: o.presentmentCurrency,
    processed_at: t(o.processedAt),
    source_name: "web",
    subtotal_price: o.subtotalPrice,
    subtotal_price_set: money(o.subtotalPrice, c),
    tags: o.tags.join(", "),
    tax_exempt: false,
    tax_lines: taxLines(o.taxLines),
    taxes_included: false,
    test: o.test,
    token: o.token,
    total_discounts: o.totalDiscounts,
    total_discounts_set: money(o.totalDiscounts, c),
    total_line_items_price: lineTotal,
    total_line_items_price_set: money(lineTotal, c),
    total_outstanding: o.financialStatus === "PAID" ? "0.00" : o.totalPrice,
    total_price: o.totalPrice,
    total_price_set: money(o.totalPrice, c),
    total_shipping_price_set: money(o.totalShipping, c),
    total_tax: o.totalTax,
    total_tax_set: money(o.totalTax, c),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: t(o.updatedAt),
    user_id: null,
    billing_address: addressPayload(o.billingAddress),
    customer: o.customer ? customerPayload(shop, o.customer, c) : null,
    discount_applications: o.discountCodes.map((d) => ({
      target_type: d.type === "shipping" ? "shipping_line" : "line_item",
      type: "discount_code",
      value: d.amount,
      value_type: d.type === "percentage" ? "percentage" : "fixed_amount",
      allocation_method: "across",
      target_selection: "all",
      code: d.code,
    })),
    line_items: o.lineItems.map((li) => ({
      id: li.id,
      admin_graphql_api_id: gid("LineItem", li.id),
      fulfillable_quantity: o.fulfillmentStatus === "FULFILLED" ? 0 : li.quantity,
      fulfillment_service: "manual",
      fulfillment_status: o.fulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
      gift_card: false,
      grams: 0,
      name: li.title,
      price: li.price,
      price_set: money(li.price, c),
      product_exists: li.productId !== null,
      product_id: li.productId,
      properties: [],
      quantity: li.quantity,
      requires_shipping: true,
      sku: li.sku,
      taxable: true,
      title: li.title,
      total_discount: "0.00",
      total_discount_set: money("0.00", c),
      variant_id: li.variantId,
      variant_inventory_management: "shopify",
      variant_title: null,
      vendor: li.vendor,
      tax_lines: [],
      duties: [],
      discount_allocations: (allocations.get(li.id) ?? []).map((a) => ({
        amount: a.amount,
        amount_set: money(a.amount, c),
        discount_application_index: a.applicationIndex,
      })),
    })),
    fulfillments: o.fulfillments.map((f, i) => ({
      id: f.id,
      admin_graphql_api_id: gid("Fulfillment", f.id),
      created_at: t(f.createdAt),
      location_id: null,
      name: `${o.name}.${i + 1}`,
      order_id: o.id,
      origin_address: {},
      receipt: {},
      service: f.service,
      shipment_status: null,
      status: f.status.toLowerCase(),
      tracking_company: f.trackingInfo[0]?.company ?? null,
      tracking_number: f.trackingInfo[0]?.number ?? null,
      tracking_numbers: f.trackingInfo.map((ti) => ti.number).filter(Boolean),
      tracking_url: f.trackingInfo[0]?.url ?? null,
      tracking_urls: f.trackingInfo.map((ti) => ti.url).filter(Boolean),
      updated_at: t(f.updatedAt),
      line_items: [],
    })),
    refunds: o.refunds.map((r) => refundPayload(shop, o, r)),
    shipping_address: addressPayload(o.shippingAddress),
    shipping_lines: o.shippingLines.map((l) => ({
      id: l.id,
      carrier_identifier: null,
      code: l.code,
      discounted_price: l.price,
      discounted_price_set: money(l.price, c),
      is_removed: false,
      phone: null,
      price: l.price,
      price_set: money(l.price, c),
      requested_fulfillment_service_id: null,
      source: l.source,
      title: l.title,
      tax_lines: [],
      discount_allocations: [],
    })),
  };
}

/**
 * The REST Refund resource, as refunds/create carries it and as an order's `refunds` lists it
 * (https://shopify.dev/docs/api/admin-rest/latest/resources/refund, and the refunds/create example
 * under https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-refunds/create):
 * refund_line_items with subtotal/total_tax and their *_set twins, one refund transaction, and an
 * order adjustment for refunded shipping.
 */
export function refundPayload(shop: ShopRecord, o: OrderRecord, r: RefundRecord): Record<string, unknown> {
  const t = (iso: string | null) => restTime(iso, shop.ianaTimezone);
  const c = o.currency;
  const shown = { currency: o.presentmentCurrency, rate: o.presentmentRate };
  const money = (amount: string) => moneySet(amount, c, shown);
  return {
    id: r.id,
    admin_graphql_api_id: gid("Refund", r.id),
    order_id: o.id,
    created_at: t(r.createdAt),
    processed_at: t(r.createdAt),
    note: r.note,
    restock: false,
    user_id: null,
    duties: [],
    total_duties_set: money("0.00"),
    return: null,
    refund_shipping_lines: [],
    refund_line_items: r.lines.map((l) => {
      const li = o.lineItems.find((x) => x.id === l.lineItemId);
      return {
        id: l.id,
        line_item_id: l.lineItemId,
        location_id: null,
        quantity: l.quantity,
        restock_type: "no_restock",
        subtotal: Number(l.subtotal),
        subtotal_set: money(l.subtotal),
        total_tax: Number(l.totalTax),
        total_tax_set: money(l.totalTax),
        line_item: li && {
          id: li.id,
          admin_graphql_api_id: gid("LineItem", li.id),
          name: li.title,
          title: li.title,
          price: li.price,
          price_set: money(li.price),
          product_id: li.productId,
          variant_id: li.variantId,
          quantity: li.quantity,
          sku: li.sku,
          vendor: li.vendor,
        },
      };
    }),
    transactions: [
      {
        id: r.transactionId,
        admin_graphql_api_id: gid("OrderTransaction", r.transactionId),
        order_id: o.id,
        kind: "refund",
        gateway: "manual",
        status: "success",
        amount: r.total,
        currency: c,
        created_at: t(r.createdAt),
        processed_at: t(r.createdAt),
        test: o.test,
        parent_id: null,
      },
    ],
    order_adjustments:
      Number(r.shipping) > 0
        ? [
            {
              id: r.id + 1,
              order_id: o.id,
              refund_id: r.id,
              kind: "shipping_refund",
              reason: "Shipping refund",
              amount: (-Number(r.shipping)).toFixed(2),
              amount_set: money((-Number(r.shipping)).toFixed(2)),
              tax_amount: "0.00",
              tax_amount_set: money("0.00"),
            },
          ]
        : [],
  };
}

/** refunds/create as the app receives it: none without customer data access, like order topics. */
export function appRefundPayload(shop: ShopRecord, o: OrderRecord, r: RefundRecord): Record<string, unknown> | null {
  return shop.customerDataAccess === "none" ? null : refundPayload(shop, o, r);
}

/** The order status page (REST order_status_url, GraphQL statusPageUrl). */
export function orderStatusUrl(shop: ShopRecord, o: OrderRecord): string {
  return `https://${shop.domain}/${shop.id}/orders/${o.token}/authenticate?key=${o.token.slice(16)}`;
}

// The protected customer fields (https://shopify.dev/docs/apps/launch/protected-customer-data):
// name (first and last names), address (address lines 1 and 2, geolocation, zip), email, phone.
const ADDRESS_PROTECTED = [
  "first_name",
  "last_name",
  "name",
  "address1",
  "address2",
  "latitude",
  "longitude",
  "zip",
  "phone",
];

function redactAddress(address: unknown): unknown {
  if (!address || typeof address !== "object") return address;
  const out: Record<string, unknown> = { ...(address as Record<string, unknown>) };
  for (const key of ADDRESS_PROTECTED) if (key in out) out[key] = null;
  return out;
}

/**
 * An order webhook as the app receives it, given the shop's protected customer data approval:
 * null (none: no order webhooks), the payload with name, address, email and phone fields nulled
 * (level 1), or the whole payload (level 2). "Responses will include only approved fields, and
 * unapproved fields will be redacted" (https://shopify.dev/docs/apps/launch/protected-customer-data).
 */
export function appOrderPayload(shop: ShopRecord, o: OrderRecord): Record<string, unknown> | null {
  if (shop.customerDataAccess === "none") return null;
  const payload = orderPayload(shop, o);
  if (shop.customerDataAccess === "level2") return payload;
  const customer = payload.customer as Record<string, unknown> | null;
  return {
    ...payload,
    email: null,
    contact_email: null,
    phone: null,
    billing_address: redactAddress(payload.billing_address),
    shipping_address: redactAddress(payload.shipping_address),
    shipping_lines: (payload.shipping_lines as Array<Record<string, unknown>>).map((l) => ({ ...l, phone: null })),
    customer: customer && {
      ...customer,
      email: null,
      first_name: null,
      last_name: null,
      phone: null,
      default_address: redactAddress(customer.default_address),
    },
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
