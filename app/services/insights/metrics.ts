/**
 * The sales metrics, defined once (docs/decisions/018). Everything the report shows is computed
 * here from an order's facts, in two steps: `orderContribution` turns one order into the rollup rows
 * it adds (pure: the order ingest stores them and subtracts them again when the order changes), and
 * `METRICS` turns summed rollups into named figures. Money is in integer cents of the shop's
 * currency (shop money) throughout, so sums are exact.
 *
 * Definitions:
 * - Test orders are excluded everywhere.
 * - A cancelled order is excluded everywhere, as if it had never been placed: its gross sales,
 *   discounts, units, customers and refunds all leave the report, on every day (cancelling an order
 *   removes it; the money it returned does not count as a refund a second time).
 * - An order counts on the UTC day it was processed (processedAt). A refund counts on the UTC day it
 *   was made (its createdAt), not the order's.
 * - Gross sales: the lines' prices before discounts (subtotal + discounts), without shipping or tax.
 * - Discounts: the order's total discounts. Refunds: everything the refund returned (lines, tax,
 *   shipping). Net sales = gross sales − discounts − refunds.
 * - AOV = (gross sales − discounts) / orders. Units: the lines' quantities.
 * - New customers: customers whose first order falls in the period. Returning customer orders:
 *   orders by a customer who had ordered before. Repeat-purchase rate = returning customer orders /
 *   (new customers + returning customer orders): the share of known customers' orders that are
 *   repeat purchases. Orders without a known customer count in neither.
 * - Top products: by line revenue (after line discounts, minus that product's refunded lines) and
 *   by units (minus refunded units). Country: the shipping (else billing) country, "" when
 *   unknown. Currency: the one the buyer paid in; amounts stay in the shop's currency.
 */

export type Granularity = "day" | "week" | "month";

/** An order as the metrics read it, in the app's terms. */
export interface MetricOrder {
  processedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  subtotal: string;
  discounts: string;
  countryCode: string | null;
  presentmentCurrency: string;
  /** True for the customer's first order, false for a later one, null when no customer is known. */
  firstOrder: boolean | null;
  lines: Array<{ productId: string | null; quantity: number; total: string }>;
  refunds: Array<{
    createdAt: Date;
    amount: string;
    lines: Array<{ productId: string | null; quantity: number; amount: string }> | null;
  }>;
}

/** One day's rollup of the shop: the Totals of that day. */
export interface DayRow extends Totals {
  day: string;
}
export interface ProductRow {
  day: string;
  productId: string;
  revenue: number;
  units: number;
  refunds: number;
  refundedUnits: number;
}
export interface SegmentRow {
  day: string;
  country: string;
  currency: string;
  grossSales: number;
  discounts: number;
  refunds: number;
  orders: number;
}

/** The rollup rows one order adds; subtracting them removes the order exactly. */
export interface Contribution {
  days: DayRow[];
  products: ProductRow[];
  segments: SegmentRow[];
}

export const EMPTY_CONTRIBUTION: Contribution = { days: [], products: [], segments: [] };

/** "12.30" → 1230. Store amounts have at most two decimals in the currencies Shopify settles in. */
export function cents(amount: string): number {
  const value = Number(amount);
  if (!Number.isFinite(value)) throw new Error(`not an amount: ${amount}`);
  return Math.round(value * 100);
}

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Whether an order counts at all (test and cancelled orders do not). */
export const countsInSales = (order: Pick<MetricOrder, "test" | "cancelledAt">) => !order.test && !order.cancelledAt;

function addTo<T extends { day: string }>(rows: Map<string, T>, key: string, blank: () => T, add: (row: T) => void) {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = blank()));
  add(row);
}

export function orderContribution(order: MetricOrder): Contribution {
  if (!countsInSales(order)) return EMPTY_CONTRIBUTION;
  const days = new Map<string, DayRow>();
  const products = new Map<string, ProductRow>();
  const segments = new Map<string, SegmentRow>();
  const country = order.countryCode ?? "";
  const currency = order.presentmentCurrency;
  const blankDay = (day: string) => () => ({
    day,
    grossSales: 0,
    discounts: 0,
    refunds: 0,
    orders: 0,
    units: 0,
    newCustomers: 0,
    returningCustomerOrders: 0,
  });
  const blankProduct = (day: string, productId: string) => () => ({
    day,
    productId,
    revenue: 0,
    units: 0,
    refunds: 0,
    refundedUnits: 0,
  });
  const blankSegment = (day: string) => () => ({
    day,
    country,
    currency,
    grossSales: 0,
    discounts: 0,
    refunds: 0,
    orders: 0,
  });

  const day = utcDay(order.processedAt);
  const discounts = cents(order.discounts);
  const gross = cents(order.subtotal) + discounts;
  const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  addTo(days, day, blankDay(day), (row) => {
    row.grossSales += gross;
    row.discounts += discounts;
    row.orders += 1;
    row.units += units;
    if (order.firstOrder === true) row.newCustomers += 1;
    if (order.firstOrder === false) row.returningCustomerOrders += 1;
  });
  addTo(segments, day, blankSegment(day), (row) => {
    row.grossSales += gross;
    row.discounts += discounts;
    row.orders += 1;
  });
  for (const line of order.lines) {
    if (!line.productId) continue;
    addTo(products, `${day}|${line.productId}`, blankProduct(day, line.productId), (row) => {
      row.revenue += cents(line.total);
      row.units += line.quantity;
    });
  }
  for (const refund of order.refunds) {
    const refundDay = utcDay(refund.createdAt);
    const amount = cents(refund.amount);
    addTo(days, refundDay, blankDay(refundDay), (row) => (row.refunds += amount));
    addTo(segments, refundDay, blankSegment(refundDay), (row) => (row.refunds += amount));
    for (const line of refund.lines ?? []) {
      if (!line.productId) continue;
      addTo(products, `${refundDay}|${line.productId}`, blankProduct(refundDay, line.productId), (row) => {
        row.refunds += cents(line.amount);
        row.refundedUnits += line.quantity;
      });
    }
  }
  return { days: [...days.values()], products: [...products.values()], segments: [...segments.values()] };
}

/** Summed rollups over a period. */
export interface Totals {
  grossSales: number;
  discounts: number;
  refunds: number;
  orders: number;
  units: number;
  newCustomers: number;
  returningCustomerOrders: number;
}

export const ZERO_TOTALS: Totals = {
  grossSales: 0,
  discounts: 0,
  refunds: 0,
  orders: 0,
  units: 0,
  newCustomers: 0,
  returningCustomerOrders: 0,
};

export function sumTotals(rows: Iterable<Totals>): Totals {
  const total = { ...ZERO_TOTALS };
  for (const row of rows) for (const key of Object.keys(total) as Array<keyof Totals>) total[key] += row[key];
  return total;
}

export type MetricId =
  | "gross_sales"
  | "discounts"
  | "refunds"
  | "net_sales"
  | "orders"
  | "average_order_value"
  | "units"
  | "new_customers"
  | "returning_customer_orders"
  | "repeat_purchase_rate";

export interface MetricDefinition {
  id: MetricId;
  label: string;
  /** money: cents of the shop's currency; count: a whole number; ratio: 0..1. */
  unit: "money" | "count" | "ratio";
  /** The figure, or null when it is undefined for the period (an average over no orders). */
  compute(totals: Totals): number | null;
}

export const METRICS: readonly MetricDefinition[] = [
  { id: "gross_sales", label: "Gross sales", unit: "money", compute: (t) => t.grossSales },
  { id: "discounts", label: "Discounts", unit: "money", compute: (t) => t.discounts },
  { id: "refunds", label: "Refunds", unit: "money", compute: (t) => t.refunds },
  { id: "net_sales", label: "Net sales", unit: "money", compute: (t) => t.grossSales - t.discounts - t.refunds },
  { id: "orders", label: "Orders", unit: "count", compute: (t) => t.orders },
  {
    id: "average_order_value",
    label: "Average order value",
    unit: "money",
    compute: (t) => (t.orders ? Math.round((t.grossSales - t.discounts) / t.orders) : null),
  },
  { id: "units", label: "Units sold", unit: "count", compute: (t) => t.units },
  { id: "new_customers", label: "New customers", unit: "count", compute: (t) => t.newCustomers },
  {
    id: "returning_customer_orders",
    label: "Returning customer orders",
    unit: "count",
    compute: (t) => t.returningCustomerOrders,
  },
  {
    id: "repeat_purchase_rate",
    label: "Repeat-purchase rate",
    unit: "ratio",
    compute: (t) => {
      const known = t.newCustomers + t.returningCustomerOrders;
      return known ? t.returningCustomerOrders / known : null;
    },
  },
];

/** A range of whole UTC days, both ends included (YYYY-MM-DD). */
export interface DayRange {
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
const dayTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

export const rangeDays = (range: DayRange) => Math.round((dayTime(range.end) - dayTime(range.start)) / DAY_MS) + 1;

/** The period of the same length just before `range`. */
export function previousPeriod(range: DayRange): DayRange {
  const length = rangeDays(range);
  const end = dayTime(range.start) - DAY_MS;
  return { start: dayOf(end - (length - 1) * DAY_MS), end: dayOf(end) };
}

/** The first day of the bucket a day falls in: itself, its ISO week's Monday, or its month's 1st. */
export function bucketOf(day: string, granularity: Granularity): string {
  if (granularity === "day") return day;
  if (granularity === "month") return `${day.slice(0, 7)}-01`;
  const time = dayTime(day);
  const weekday = (new Date(time).getUTCDay() + 6) % 7; // Monday = 0
  return dayOf(time - weekday * DAY_MS);
}

/** Every bucket start of a range, in order (so empty buckets show as zero). */
export function bucketsOf(range: DayRange, granularity: Granularity): string[] {
  const buckets: string[] = [];
  for (let time = dayTime(range.start); time <= dayTime(range.end); time += DAY_MS) {
    const bucket = bucketOf(dayOf(time), granularity);
    if (buckets.at(-1) !== bucket) buckets.push(bucket);
  }
  return buckets;
}

/** The relative change from `previous` to `current`, or null when there is nothing to compare to. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

// ---- orders placed by chatting visitors (docs/decisions/026) ----

/**
 * An order as the chat attribution reads it: the Order row's `chatDialogId`, kept only when it
 * names one of the shop's own dialogs that started at or before the order was processed (the
 * query that loads these joins on both; `services/insights/chat-attribution.server.ts`).
 */
export interface ChatAttributedOrder extends Pick<MetricOrder, "processedAt" | "cancelledAt" | "test" | "subtotal"> {
  chatDialogId: string | null;
}

/** Orders placed by chatting visitors over a period, and what they sold (cents of shop money). */
export interface ChatAttributionTotals {
  attributedOrders: number;
  attributedSales: number;
}

/**
 * Attributed orders: counted orders (not test, not cancelled) whose cart carried a chat dialog.
 * Attributed sales: their gross sales − discounts (the order's subtotal, as in AOV), before refunds,
 * without shipping or tax. Each order counts on the UTC day it was processed.
 */
export function chatAttributionTotals(orders: Iterable<ChatAttributedOrder>): ChatAttributionTotals {
  const totals = { attributedOrders: 0, attributedSales: 0 };
  for (const order of orders) {
    if (!order.chatDialogId || !countsInSales(order)) continue;
    totals.attributedOrders += 1;
    totals.attributedSales += cents(order.subtotal);
  }
  return totals;
}

export type ChatAttributionMetricId = "chat_attributed_orders" | "chat_attributed_sales";

export const CHAT_ATTRIBUTION_METRICS: ReadonlyArray<{
  id: ChatAttributionMetricId;
  label: string;
  unit: "money" | "count";
  compute(totals: ChatAttributionTotals): number;
}> = [
  { id: "chat_attributed_orders", label: "Orders after a chat", unit: "count", compute: (t) => t.attributedOrders },
  { id: "chat_attributed_sales", label: "Sales after a chat", unit: "money", compute: (t) => t.attributedSales },
];
