// Orders are created and edited only through the control API (the app reads them), and each
// write emits the topics Shopify would: orders/create, orders/updated, plus orders/paid,
// orders/fulfilled and orders/cancelled on the matching transitions.
import { orderPayload } from "./payloads";
import {
  isoNow,
  parseGid,
  type CustomerRecord,
  type EmulatorState,
  type FinancialStatus,
  type FulfillmentRecord,
  type FulfillmentStatus,
  type OrderRecord,
  type ShopRecord,
} from "./state";

export interface OrderWrite {
  email?: string | null;
  phone?: string | null;
  customer?: {
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    phone?: string | null;
  } | null;
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
  createdAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  tags?: string[];
  note?: string | null;
  test?: boolean;
  totalTax?: string | number;
  totalShipping?: string | number;
  totalDiscounts?: string | number;
  fulfillments?: Array<{
    status?: FulfillmentRecord["status"];
    trackingNumber?: string | null;
    trackingUrl?: string | null;
    trackingCompany?: string | null;
  }>;
}

const money = (v: string | number | undefined, fallback = "0.00") =>
  v === undefined ? fallback : Number(v).toFixed(2);

function upsertCustomer(
  state: EmulatorState,
  shop: ShopRecord,
  input: NonNullable<OrderWrite["customer"]>,
): CustomerRecord {
  const key = (input.email ?? "").toLowerCase();
  const existing = key ? shop.customers.get(key) : undefined;
  if (existing) {
    existing.firstName = input.firstName ?? existing.firstName;
    existing.lastName = input.lastName ?? existing.lastName;
    existing.phone = input.phone ?? existing.phone;
    return existing;
  }
  const customer: CustomerRecord = {
    id: state.nextId(),
    email: input.email ?? null,
    phone: input.phone ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
  };
  if (key) shop.customers.set(key, customer);
  return customer;
}

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
  return list.map((f) => ({
    id: state.nextId(),
    status: f.status ?? "SUCCESS",
    trackingInfo:
      f.trackingNumber || f.trackingUrl || f.trackingCompany
        ? [{ number: f.trackingNumber ?? null, url: f.trackingUrl ?? null, company: f.trackingCompany ?? null }]
        : [],
    createdAt: now,
    updatedAt: now,
  }));
}

function emitTransitions(state: EmulatorState, shop: ShopRecord, o: OrderRecord, before: OrderRecord | null): void {
  const payload = orderPayload(shop, o);
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
  const customer =
    input.customer === null
      ? null
      : upsertCustomer(
          state,
          shop,
          input.customer ?? {
            email: input.email ?? `buyer${number}@example.com`,
            firstName: "Buyer",
            lastName: String(number),
          },
        );
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
    totalTax: money(input.totalTax),
    totalDiscounts: money(input.totalDiscounts),
    totalShipping: money(input.totalShipping),
    totalPrice: "0.00",
    tags: input.tags ?? [],
    note: input.note ?? null,
    test: input.test ?? false,
    customer,
    lineItems: buildLineItems(
      state,
      shop,
      input.lineItems ?? [{ title: "Emulator item", quantity: 1, price: "25.00" }],
    ),
    fulfillments: buildFulfillments(state, input.fulfillments ?? [], now),
  };
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
  if (input.customer !== undefined)
    order.customer = input.customer ? upsertCustomer(state, shop, input.customer) : null;
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
  if (input.totalTax !== undefined) order.totalTax = money(input.totalTax);
  if (input.totalShipping !== undefined) order.totalShipping = money(input.totalShipping);
  if (input.totalDiscounts !== undefined) order.totalDiscounts = money(input.totalDiscounts);
  if (input.processedAt) order.processedAt = input.processedAt;
  recomputeTotals(order);
  order.updatedAt = now;
  if (!opts.silent) emitTransitions(state, shop, order, before);
  return order;
}
