/**
 * The store's orders, as the support chat ("where is my order?") and the sales insights read them,
 * in the app's terms. Money is a decimal string in the shop's own currency. Contact details are a
 * separate read: a store may not let the app see them (on Shopify, protected customer data level
 * 2), and everything else must keep working when it does not. The Shopify implementation is
 * integrations/shopify/shopify-orders.server.ts.
 */

export interface OrderLine {
  productId: string | null;
  variantId: string | null;
  title: string;
  sku: string | null;
  quantity: number;
  /** What the shopper paid for the line, after line-level discounts only (not order-level ones). */
  total: string;
  /** The line's price × quantity before any discount (absent when a read did not give it). */
  originalTotal?: string;
  /** Every discount allocated to the line: line-level and its share of order-level ones (decision 029). */
  discount?: string;
}

export interface OrderTracking {
  number: string | null;
  url: string | null;
  company: string | null;
}

export interface OrderFulfillment {
  status: string;
  createdAt: string;
  tracking: OrderTracking[];
}

/** A refunded line: which product, how many, and the money returned for it (shop currency). */
export interface OrderRefundLine {
  productId: string | null;
  quantity: number;
  amount: string;
}

/** Money returned to the shopper, on the day it was returned. */
export interface OrderRefund {
  id: string;
  createdAt: string;
  /** Everything returned by this refund (lines, shipping, tax, adjustments), shop currency. */
  amount: string;
  /** The refunded lines; null when the store's read could not say (an order export). */
  lines: OrderRefundLine[] | null;
}

export interface OrderFacts {
  id: string;
  /** What the shopper sees, such as "#1001". */
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  test: boolean;
  financialStatus: string | null;
  fulfillmentStatus: string;
  currencyCode: string;
  /** The currency the shopper paid in. */
  presentmentCurrencyCode: string;
  customerLocale: string | null;
  /**
   * The order's custom attributes: on Shopify, the cart's attributes at checkout (Order.customAttributes,
   * the REST note_attributes). The support chat widget sets one to attribute the order to a dialog. Absent: none.
   */
  attributes?: Array<{ key: string; value: string | null }>;
  subtotal: string;
  discounts: string;
  shipping: string;
  tax: string;
  total: string;
  lines: OrderLine[];
  fulfillments: OrderFulfillment[];
  refunds: OrderRefund[];
  /** The country the order ships to (ISO 3166-1 alpha-2), else the billing country, when known. */
  countryCode: string | null;
  /**
   * The store's customer id when the read could see it (an export with the store's permission to
   * read customers); undefined when the read does not say (webhooks name the customer instead).
   */
  customerId?: string | null;
}

/** How to reach the shopper about an order; only when the store lets the app see it. */
export interface OrderContact {
  email: string | null;
  statusPageUrl: string | null;
}

/** An order export running in the store (on Shopify, a bulk operation). */
export type OrderExport =
  | { status: "running"; objectCount: number }
  | { status: "completed"; orders: OrderFacts[] }
  | { status: "failed" | "canceled"; error: string };

export interface OrdersStore {
  /** The order's facts, or null when the store has no such order. */
  order(orderId: string): Promise<OrderFacts | null>;
  /**
   * The order's contact details, or null when there is no such order. Throws ADMIN_API_ACCESS_DENIED
   * when the store does not let the app see them.
   */
  orderContact(orderId: string): Promise<OrderContact | null>;
  /**
   * Starts reading every order created since `createdSince` in the background; returns the export's
   * id. `withCustomer` asks for each order's customer id (on Shopify it needs the read_customers scope).
   */
  startOrderExport(options: { createdSince: Date; withCustomer?: boolean }): Promise<string>;
  /** An export's state; its refunds have lines null when the export could not list them. */
  orderExport(exportId: string): Promise<OrderExport>;
  /** The order's refunds with their lines, or null when there is no such order. */
  orderRefunds(orderId: string): Promise<OrderRefund[] | null>;
}
