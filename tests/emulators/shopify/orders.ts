// Orders are created and edited only through the control API (the app reads them), and each
// write emits the topics Shopify would: orders/create, orders/updated, plus orders/paid,
// orders/fulfilled and orders/cancelled on the matching transitions. What a webhook carries
// depends on the shop's protected customer data approval (appPayload in payloads.ts).
import { randomBytes } from "node:crypto";
import { appOrderPayload, appRefundPayload } from "./payloads";
import {
  isoNow,
  parseGid,
  type AddressRecord,
  type CustomerRecord,
  type EmulatorState,
  type FinancialStatus,
  type FulfillmentRecord,
  type FulfillmentStatus,
  type OrderRecord,
  type RefundRecord,
  type ShopRecord,
} from "./state";

export type AddressWrite = Partial<AddressRecord>;

export interface OrderWrite {
  email?: string | null;
  phone?: string | null;
  customer?: {
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    phone?: string | null;
    locale?: string | null;
  } | null;
  /** Defaults to an address for the buyer; null for an order without one. */
  billingAddress?: AddressWrite | null;
  /** Defaults to the billing address; null for an order that ships nothing. */
  shippingAddress?: AddressWrite | null;
  customerLocale?: string | null;
  /** Sets totalShipping to their sum. Without them a non-zero totalShipping is one "Standard" line. */
  shippingLines?: Array<{ title?: string; code?: string; source?: string; price: string | number }>;
  /** Sets totalDiscounts to their sum unless totalDiscounts is given. */
  discountCodes?: Array<{ code: string; amount: string | number; type?: "fixed_amount" | "percentage" | "shipping" }>;
  /** Sets totalTax to their sum. Without them a non-zero totalTax is one "Tax" line. */
  taxLines?: Array<{ title?: string; rate?: number; price: string | number }>;
  lineItems?: Array<{
    title?: string;
    quantity?: number;
    price?: string | number;
    sku?: string | null;
    productId?: string | number | null;
    variantId?: string | number | null;
  }>;
  financialStatus?: FinancialStatus;
  fulfillmentStatus?: FulfillmentStatus;
  currency?: string;
  /** The currency the buyer paid in (multi-currency); the shop's by default. */
  presentmentCurrency?: string;
  /** Units of presentmentCurrency per unit of the shop's currency; 1 by default. */
  presentmentRate?: number;
  createdAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  tags?: string[];
  note?: string | null;
  /** The cart's attributes at checkout (REST note_attributes, GraphQL customAttributes). */
  noteAttributes?: Array<{ name: string; value: string }>;
  test?: boolean;
  totalTax?: string | number;
  totalShipping?: string | number;
  totalDiscounts?: string | number;
  fulfillments?: Array<{
    status?: FulfillmentRecord["status"];
    trackingNumber?: string | null;
    trackingUrl?: string | null;
    trackingCompany?: string | null;
    /** More than one parcel: every number/url is listed (tracking_numbers / tracking_urls). */
    trackingNumbers?: string[];
    trackingUrls?: string[];
    service?: string;
  }>;
}

const money = (v: string | number | undefined, fallback = "0.00") =>
  v === undefined ? fallback : Number(v).toFixed(2);

export function upsertCustomer(
  state: EmulatorState,
  shop: ShopRecord,
  input: NonNullable<OrderWrite["customer"]>,
  address: AddressRecord | null,
): CustomerRecord {
  const key = (input.email ?? "").toLowerCase();
  const existing = key ? shop.customers.get(key) : undefined;
  if (existing) {
    existing.firstName = input.firstName ?? existing.firstName;
    existing.lastName = input.lastName ?? existing.lastName;
    existing.phone = input.phone ?? existing.phone;
    existing.locale = input.locale ?? existing.locale;
    existing.defaultAddress = existing.defaultAddress ?? address;
    existing.updatedAt = isoNow();
    return existing;
  }
  const now = isoNow();
  const customer: CustomerRecord = {
    id: state.nextId(),
    email: input.email ?? null,
    phone: input.phone ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    locale: input.locale ?? null,
    defaultAddress: address,
    createdAt: now,
    updatedAt: now,
  };
  if (key) shop.customers.set(key, customer);
  return customer;
}

function buildAddress(
  input: AddressWrite,
  who: { firstName?: string | null; lastName?: string | null },
): AddressRecord {
  return {
    firstName: input.firstName ?? who.firstName ?? null,
    lastName: input.lastName ?? who.lastName ?? null,
    company: input.company ?? null,
    address1: input.address1 ?? "150 Elgin Street",
    address2: input.address2 ?? null,
    city: input.city ?? "Ottawa",
    province: input.province ?? "Ontario",
    provinceCode: input.provinceCode ?? "ON",
    country: input.country ?? "Canada",
    countryCode: input.countryCode ?? "CA",
    zip: input.zip ?? "K2P 1L4",
    phone: input.phone ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
  };
}

function shippingLinesOf(state: EmulatorState, input: OrderWrite) {
  if (input.shippingLines) {
    return input.shippingLines.map((l) => ({
      id: state.nextId(),
      title: l.title ?? "Standard",
      code: l.code ?? l.title ?? "Standard",
      source: l.source ?? "shopify",
      price: money(l.price),
    }));
  }
  const total = Number(input.totalShipping ?? 0);
  return total > 0
    ? [{ id: state.nextId(), title: "Standard", code: "Standard", source: "shopify", price: money(total) }]
    : [];
}

const sum = (values: Array<{ price: string } | { amount: string }>) =>
  values.reduce((s, v) => s + Number("price" in v ? v.price : v.amount), 0).toFixed(2);

function buildLineItems(state: EmulatorState, shop: ShopRecord, items: NonNullable<OrderWrite["lineItems"]>) {
  return items.map((li) => {
    const productId = parseGid(li.productId ?? null)?.id ?? null;
    const product = productId ? shop.products.get(productId) : undefined;
    const variantId = parseGid(li.variantId ?? null)?.id ?? product?.variants[0]?.id ?? null;
    const variant = product?.variants.find((v) => v.id === variantId);
    return {
      id: state.nextId(),
      title: li.title ?? product?.title ?? "Custom item",
      quantity: li.quantity ?? 1,
      sku: li.sku ?? variant?.sku ?? null,
      price: money(li.price ?? variant?.price, "10.00"),
      productId: product ? product.id : productId,
      variantId,
      vendor: product?.vendor ?? null,
    };
  });
}

function recomputeTotals(o: OrderRecord): void {
  const subtotal = o.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0) - Number(o.totalDiscounts);
  o.subtotalPrice = subtotal.toFixed(2);
  o.totalPrice = (subtotal + Number(o.totalTax) + Number(o.totalShipping)).toFixed(2);
}

function buildFulfillments(
  state: EmulatorState,
  list: NonNullable<OrderWrite["fulfillments"]>,
  now: string,
): FulfillmentRecord[] {
  return list.map((f) => {
    const numbers = f.trackingNumbers ?? (f.trackingNumber ? [f.trackingNumber] : []);
    const urls = f.trackingUrls ?? (f.trackingUrl ? [f.trackingUrl] : []);
    const company = f.trackingCompany ?? null;
    const count = Math.max(numbers.length, urls.length, company ? 1 : 0);
    return {
      id: state.nextId(),
      status: f.status ?? "SUCCESS",
      trackingInfo: Array.from({ length: count }, (_, i) => ({
        number: numbers[i] ?? null,
        url: urls[i] ?? null,
        company,
      })),
      service: f.service ?? "manual",
      createdAt: now,
      updatedAt: now,
    };
  });
}

function primaryLocaleOf(shop: ShopRecord): string {
  return shop.locales.find((l) => l.primary)?.locale ?? "en";
}

function defaultTaxLine(o: OrderRecord) {
  const taxable = o.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0);
  const rate = taxable > 0 ? Math.round((Number(o.totalTax) / taxable) * 10_000) / 10_000 : 0;
  return { title: "Tax", rate, price: o.totalTax };
}

function emitTransitions(state: EmulatorState, shop: ShopRecord, o: OrderRecord, before: OrderRecord | null): void {
  // Without protected customer data approval Shopify sends no order webhooks at all: the app
  // cannot subscribe to them (https://shopify.dev/docs/apps/launch/protected-customer-data,
  // "Webhooks ... Events that relate to a single customer or order").
  const payload = appOrderPayload(shop, o);
  if (payload === null) return;
  state.emit(shop.domain, before ? "orders/updated" : "orders/create", payload);
  if (o.financialStatus === "PAID" && before?.financialStatus !== "PAID")
    state.emit(shop.domain, "orders/paid", payload);
  if (o.fulfillmentStatus === "FULFILLED" && before?.fulfillmentStatus !== "FULFILLED")
    state.emit(shop.domain, "orders/fulfilled", payload);
  if (o.cancelledAt && !before?.cancelledAt) state.emit(shop.domain, "orders/cancelled", payload);
}

export function createOrder(
  state: EmulatorState,
  shop: ShopRecord,
  input: OrderWrite,
  opts: { silent?: boolean } = {},
): OrderRecord {
  const now = input.createdAt ?? isoNow();
  const number = shop.nextOrderNumber++;
  const buyer = input.customer ?? {
    email: input.email ?? `buyer${number}@example.com`,
    firstName: "Buyer",
    lastName: String(number),
  };
  const billingAddress = input.billingAddress === null ? null : buildAddress(input.billingAddress ?? {}, buyer);
  const shippingAddress =
    input.shippingAddress === null
      ? null
      : input.shippingAddress
        ? buildAddress(input.shippingAddress, buyer)
        : billingAddress && { ...billingAddress };
  const customer = input.customer === null ? null : upsertCustomer(state, shop, buyer, billingAddress);
  const shippingLines = shippingLinesOf(state, input);
  const discountCodes = (input.discountCodes ?? []).map((d) => ({
    code: d.code,
    amount: money(d.amount),
    type: d.type ?? "fixed_amount",
  }));
  const taxLines = (input.taxLines ?? []).map((t) => ({
    title: t.title ?? "Tax",
    rate: t.rate ?? 0,
    price: money(t.price),
  }));
  const order: OrderRecord = {
    id: state.nextId(),
    number,
    name: `#${number}`,
    email: input.email ?? customer?.email ?? null,
    phone: input.phone ?? null,
    createdAt: now,
    updatedAt: now,
    processedAt: input.processedAt ?? now,
    cancelledAt: input.cancelledAt ?? null,
    cancelReason: input.cancelReason ?? null,
    closedAt: null,
    currency: input.currency ?? shop.currencyCode,
    financialStatus: input.financialStatus ?? "PAID",
    fulfillmentStatus: input.fulfillmentStatus ?? (input.fulfillments?.length ? "FULFILLED" : "UNFULFILLED"),
    subtotalPrice: "0.00",
    totalTax: taxLines.length ? sum(taxLines) : money(input.totalTax),
    totalDiscounts:
      input.totalDiscounts === undefined && discountCodes.length ? sum(discountCodes) : money(input.totalDiscounts),
    totalShipping: input.shippingLines ? sum(shippingLines) : money(input.totalShipping),
    totalPrice: "0.00",
    tags: input.tags ?? [],
    note: input.note ?? null,
    noteAttributes: input.noteAttributes ?? [],
    test: input.test ?? false,
    customer,
    customerLocale: input.customerLocale ?? customer?.locale ?? primaryLocaleOf(shop),
    billingAddress,
    shippingAddress,
    shippingLines,
    discountCodes,
    taxLines,
    token: randomBytes(16).toString("hex"),
    lineItems: buildLineItems(
      state,
      shop,
      input.lineItems ?? [{ title: "Emulator item", quantity: 1, price: "25.00" }],
    ),
    fulfillments: buildFulfillments(state, input.fulfillments ?? [], now),
    refunds: [],
    presentmentCurrency: input.presentmentCurrency ?? input.currency ?? shop.currencyCode,
    presentmentRate: input.presentmentRate ?? 1,
  };
  if (!order.taxLines.length && Number(order.totalTax) > 0) order.taxLines = [defaultTaxLine(order)];
  recomputeTotals(order);
  shop.orders.set(order.id, order);
  if (!opts.silent) emitTransitions(state, shop, order, null);
  return order;
}

export function updateOrder(
  state: EmulatorState,
  shop: ShopRecord,
  order: OrderRecord,
  input: OrderWrite,
  opts: { silent?: boolean } = {},
): OrderRecord {
  const before = structuredClone(order);
  const now = isoNow();
  if (input.email !== undefined) order.email = input.email;
  if (input.phone !== undefined) order.phone = input.phone;
  if (input.billingAddress !== undefined)
    order.billingAddress = input.billingAddress && buildAddress(input.billingAddress, order.customer ?? {});
  if (input.shippingAddress !== undefined)
    order.shippingAddress = input.shippingAddress && buildAddress(input.shippingAddress, order.customer ?? {});
  if (input.customer !== undefined)
    order.customer = input.customer ? upsertCustomer(state, shop, input.customer, order.billingAddress) : null;
  if (input.customerLocale !== undefined) order.customerLocale = input.customerLocale;
  if (input.shippingLines) {
    order.shippingLines = shippingLinesOf(state, input);
    order.totalShipping = sum(order.shippingLines);
  }
  if (input.discountCodes) {
    order.discountCodes = input.discountCodes.map((d) => ({
      code: d.code,
      amount: money(d.amount),
      type: d.type ?? "fixed_amount",
    }));
    if (input.totalDiscounts === undefined) order.totalDiscounts = sum(order.discountCodes);
  }
  if (input.taxLines) {
    order.taxLines = input.taxLines.map((t) => ({ title: t.title ?? "Tax", rate: t.rate ?? 0, price: money(t.price) }));
    order.totalTax = sum(order.taxLines);
  }
  if (input.lineItems) order.lineItems = buildLineItems(state, shop, input.lineItems);
  if (input.financialStatus) order.financialStatus = input.financialStatus;
  if (input.fulfillments) {
    order.fulfillments.push(...buildFulfillments(state, input.fulfillments, now));
    if (!input.fulfillmentStatus) order.fulfillmentStatus = "FULFILLED";
  }
  if (input.fulfillmentStatus) order.fulfillmentStatus = input.fulfillmentStatus;
  if (input.cancelledAt !== undefined) order.cancelledAt = input.cancelledAt;
  if (input.cancelReason !== undefined) order.cancelReason = input.cancelReason;
  if (input.tags) order.tags = input.tags;
  if (input.note !== undefined) order.note = input.note;
  if (input.noteAttributes !== undefined) order.noteAttributes = input.noteAttributes;
  if (input.totalTax !== undefined && !input.taxLines) {
    order.totalTax = money(input.totalTax);
    order.taxLines = Number(order.totalTax) > 0 ? [defaultTaxLine(order)] : [];
  }
  if (input.totalShipping !== undefined && !input.shippingLines) {
    order.totalShipping = money(input.totalShipping);
    order.shippingLines = shippingLinesOf(state, { totalShipping: input.totalShipping });
  }
  if (input.totalDiscounts !== undefined) order.totalDiscounts = money(input.totalDiscounts);
  if (input.processedAt) order.processedAt = input.processedAt;
  recomputeTotals(order);
  order.updatedAt = now;
  if (!opts.silent) emitTransitions(state, shop, order, before);
  return order;
}

export interface RefundWrite {
  /** Lines to refund, by line item id (numeric or GID) or position in the order; quantity defaults to all that is left. */
  lines?: Array<{ lineItemId?: string | number; index?: number; quantity?: number }>;
  /** Every line's remaining quantity and all the shipping. */
  full?: boolean;
  /** Shipping refunded (money). */
  shipping?: string | number;
  /** When the refund was made (ISO 8601); now by default. */
  createdAt?: string;
  note?: string | null;
}

export class RefundRefused extends Error {}

/**
 * Refunds lines and shipping of an order as Shopify's refundCreate does
 * (https://shopify.dev/docs/api/admin-graphql/latest/mutations/refundCreate): a line's subtotal is
 * its unit price × quantity and its tax its share of the order's tax; a line cannot be refunded
 * beyond what is left of it. The order's financial status becomes PARTIALLY_REFUNDED or REFUNDED,
 * and Shopify sends refunds/create (the REST Refund,
 * https://shopify.dev/docs/api/admin-rest/latest/resources/refund) and orders/updated.
 */
export function refundOrder(
  state: EmulatorState,
  shop: ShopRecord,
  order: OrderRecord,
  input: RefundWrite,
  opts: { silent?: boolean } = {},
): RefundRecord {
  const before = structuredClone(order);
  const refunded = new Map<number, number>();
  for (const r of order.refunds)
    for (const l of r.lines) refunded.set(l.lineItemId, (refunded.get(l.lineItemId) ?? 0) + l.quantity);
  const wanted = input.full
    ? order.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity - (refunded.get(li.id) ?? 0) }))
    : (input.lines ?? []).map((l) => {
        const li =
          l.index !== undefined
            ? order.lineItems[l.index]
            : order.lineItems.find((x) => x.id === parseGid(l.lineItemId ?? null)?.id);
        if (!li) throw new RefundRefused(`Line item ${String(l.lineItemId ?? l.index)} is not on ${order.name}`);
        return { lineItemId: li.id, quantity: l.quantity ?? li.quantity - (refunded.get(li.id) ?? 0) };
      });
  const lineTotal = order.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0);
  const lines = wanted
    .filter((w) => w.quantity > 0)
    .map((w) => {
      const li = order.lineItems.find((x) => x.id === w.lineItemId)!;
      const left = li.quantity - (refunded.get(li.id) ?? 0);
      if (w.quantity > left) throw new RefundRefused(`Quantity cannot refund more items than were purchased`);
      const subtotal = Number(li.price) * w.quantity;
      const tax = lineTotal > 0 ? (Number(order.totalTax) * subtotal) / lineTotal : 0;
      return {
        id: state.nextId(),
        lineItemId: li.id,
        quantity: w.quantity,
        subtotal: subtotal.toFixed(2),
        totalTax: tax.toFixed(2),
      };
    });
  const shipping = input.full
    ? Number(order.totalShipping) - order.refunds.reduce((s, r) => s + Number(r.shipping), 0)
    : Number(input.shipping ?? 0);
  const total = lines.reduce((s, l) => s + Number(l.subtotal) + Number(l.totalTax), 0) + shipping;
  if (total <= 0) throw new RefundRefused("A refund must return something");
  const refund: RefundRecord = {
    id: state.nextId(),
    createdAt: input.createdAt ?? isoNow(),
    note: input.note ?? null,
    lines,
    shipping: shipping.toFixed(2),
    total: total.toFixed(2),
    transactionId: state.nextId(),
  };
  order.refunds.push(refund);
  const returned = order.refunds.reduce((s, r) => s + Number(r.total), 0);
  order.financialStatus = returned >= Number(order.totalPrice) - 0.005 ? "REFUNDED" : "PARTIALLY_REFUNDED";
  order.updatedAt = isoNow();
  if (!opts.silent) {
    const payload = appRefundPayload(shop, order, refund);
    if (payload) state.emit(shop.domain, "refunds/create", payload);
    emitTransitions(state, shop, order, before);
  }
  return refund;
}
