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
 * - An order counts on the day it was processed (processedAt), in the shop's time zone (its IANA
 *   zone, so a merchant's "today" is Shopify admin's). A refund counts on the day it was made (its
 *   createdAt), not the order's. Weeks and months are made of those days.
 * - Gross sales: the lines' prices before discounts (Σ originalTotal), without shipping or tax.
 * - Discounts: every discount allocated to the lines, line-level and order-level (Shopify's
 *   discountAllocations); shipping discounts are not sales discounts (decision 029). An order read
 *   before lines carried their allocations falls back to subtotal + total discounts.
 * - Refunds: everything the refund returned (lines, tax, shipping). Net sales = gross sales −
 *   discounts − refunds.
 * - AOV = (gross sales − discounts) / orders. Units: the lines' quantities.
 * - New customers: customers whose first order falls in the period. Returning customer orders:
 *   orders by a customer who had ordered before. Repeat-purchase rate = returning customer orders /
 *   (new customers + returning customer orders): the share of known customers' orders that are
 *   repeat purchases. Orders without a known customer count in neither.
 * - Top products: by line revenue (originalTotal − every discount allocated to the line, order-level
 *   ones included, so the products' revenue sums to the lines' gross − discounts; minus that
 *   product's refunded lines, decision 029) and
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
  lines: Array<{
    productId: string | null;
    quantity: number;
    /** After line-level discounts only (Shopify's discountedTotalSet). */
    total: string;
    /** Before any discount (originalTotalSet); absent on orders recorded before decision 029. */
    originalTotal?: string;
    /** Every discount allocated to the line, order-level included (Σ discountAllocations). */
    discount?: string;
  }>;
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

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day of an instant in an IANA time zone (the shop's `ianaTimezone`), as YYYY-MM-DD.
 * An unknown zone throws (RangeError): a shop's zone is validated where it is stored.
 */
export function dayIn(at: Date, timeZone: string): string {
  if (timeZone === "UTC") return utcDay(at);
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Whether a string is an IANA time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** What a line sold for after every discount allocated to it (decision 029), in cents. */
function lineRevenue(line: MetricOrder["lines"][number]): number {
  if (line.originalTotal === undefined || line.discount === undefined) return cents(line.total);
  return cents(line.originalTotal) - cents(line.discount);
}

/** Gross and discounts from the lines when they carry allocations; else from the order's totals. */
function grossAndDiscounts(order: MetricOrder): { gross: number; discounts: number } {
  if (order.lines.length > 0 && order.lines.every((l) => l.originalTotal !== undefined && l.discount !== undefined)) {
    return {
      gross: order.lines.reduce((sum, l) => sum + cents(l.originalTotal!), 0),
      discounts: order.lines.reduce((sum, l) => sum + cents(l.discount!), 0),
    };
  }
  const discounts = cents(order.discounts);
  return { gross: cents(order.subtotal) + discounts, discounts };
}

/** Whether an order counts at all (test and cancelled orders do not). */
export const countsInSales = (order: Pick<MetricOrder, "test" | "cancelledAt">) => !order.test && !order.cancelledAt;

function addTo<T extends { day: string }>(rows: Map<string, T>, key: string, blank: () => T, add: (row: T) => void) {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = blank()));
  add(row);
}

/** The rollup rows of one order, its days being the shop's (`timeZone`, IANA; UTC by default). */
export function orderContribution(order: MetricOrder, timeZone = "UTC"): Contribution {
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

  const day = dayIn(order.processedAt, timeZone);
  const { gross, discounts } = grossAndDiscounts(order);
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
      row.revenue += lineRevenue(line);
      row.units += line.quantity;
    });
  }
  for (const refund of order.refunds) {
    const refundDay = dayIn(refund.createdAt, timeZone);
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

// ---- Cross-capability metrics (issue 11 §5, docs/decisions/028) ----
// Sales read against the app's own work: the copy it published and the translations it keeps.
// Pure like the definitions above; load-cross-capability.server.ts gathers their inputs.

/** The ids of the cross-capability figures (cited by the page's cards and the digest). */
export type CrossCapabilityMetricId =
  "copy_sales_before" | "copy_sales_after" | "copy_sales_change" | "copy_products_compared" | "translated_sales_share";

const dayDiff = (from: string, to: string) => Math.round((dayTime(to) - dayTime(from)) / DAY_MS);
const addDays = (day: string, days: number) => dayOf(dayTime(day) + days * DAY_MS);

/** A product's first publish of app-written copy, as a UTC day. */
export interface CopyPublish {
  productId: string;
  publishedDay: string;
}

export interface CopyWindowProduct {
  productId: string;
  publishedDay: string;
  /** The length of each window: the same number of whole days before and after the publish day. */
  windowDays: number;
  before: { netSales: number; netUnits: number };
  after: { netSales: number; netUnits: number };
}

export interface CopyBeforeAfter {
  /** Products compared: published long enough ago, with enough history before. */
  products: CopyWindowProduct[];
  /** Products left out: published fewer than `minDays` whole days ago, or with too little history. */
  leftOut: number;
  netSalesBefore: number;
  netSalesAfter: number;
  /** Relative change, after against before (null when there was nothing before). */
  change: number | null;
}

/**
 * Sales of products before and after their copy was published (descriptive only, not causal):
 * for each product, net sales (line revenue − refunded lines) over the `w` whole days before its
 * publish day and the `w` whole days after it, where w = min(windowDays, whole days since, whole
 * days of history before). The publish day itself is in neither window, and today (incomplete) is
 * never counted. A product whose w is under `minDays` is left out.
 */
export function copyBeforeAfter(input: {
  publishes: CopyPublish[];
  rows: Array<Pick<ProductRow, "day" | "productId" | "revenue" | "refunds" | "units" | "refundedUnits">>;
  today: string;
  /** The first day sales are recorded from (the backfill's window start); null: unlimited. */
  historyStart: string | null;
  windowDays?: number;
  minDays?: number;
}): CopyBeforeAfter {
  const windowDays = input.windowDays ?? 28;
  const minDays = input.minDays ?? 7;
  const byProduct = new Map<string, typeof input.rows>();
  for (const row of input.rows) byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row]);
  const products: CopyWindowProduct[] = [];
  let leftOut = 0;
  for (const publish of input.publishes) {
    const since = dayDiff(publish.publishedDay, input.today) - 1;
    const history = input.historyStart === null ? windowDays : dayDiff(input.historyStart, publish.publishedDay);
    const w = Math.min(windowDays, since, history);
    if (w < minDays) {
      leftOut += 1;
      continue;
    }
    const sum = (from: string, to: string) => {
      const total = { netSales: 0, netUnits: 0 };
      for (const row of byProduct.get(publish.productId) ?? []) {
        if (row.day < from || row.day > to) continue;
        total.netSales += row.revenue - row.refunds;
        total.netUnits += row.units - row.refundedUnits;
      }
      return total;
    };
    products.push({
      productId: publish.productId,
      publishedDay: publish.publishedDay,
      windowDays: w,
      before: sum(addDays(publish.publishedDay, -w), addDays(publish.publishedDay, -1)),
      after: sum(addDays(publish.publishedDay, 1), addDays(publish.publishedDay, w)),
    });
  }
  const netSalesBefore = products.reduce((s, p) => s + p.before.netSales, 0);
  const netSalesAfter = products.reduce((s, p) => s + p.after.netSales, 0);
  return { products, leftOut, netSalesBefore, netSalesAfter, change: change(netSalesAfter, netSalesBefore) };
}

/** A product's line sales in one country and buyer language (orders placed in the period). */
export interface LocaleSalesRow {
  country: string;
  /** The buyer's locale as the order recorded it ("fr-CA"), "" when unknown. */
  locale: string;
  productId: string;
  sales: number;
}

/** Whether a product has a current translation in a language: none means "missing". */
export type TranslationState = "translated" | "outdated";

export interface CoverageRow {
  country: string;
  /** The language part of the buyer's locale ("fr"), "" when not recorded. */
  language: string;
  /** The shop's primary language: nothing to translate. */
  primary: boolean;
  sales: number;
  translatedSales: number;
  outdatedSales: number;
  missingSales: number;
  /** translatedSales / sales; null for the primary language, an unknown one, or no sales. */
  translatedShare: number | null;
}

export const languageOf = (locale: string) => locale.split("-")[0]!.toLowerCase();

/**
 * Translation coverage against sales by market: for each country and buyer language, the share of
 * its product sales whose product has a current translation in that language. Sales in the shop's
 * primary language need none; an order without a recorded locale is listed but has no share.
 * `states` maps `${productId}|${language}` to the product's translation state.
 */
export function translationCoverage(input: {
  rows: LocaleSalesRow[];
  primaryLanguage: string;
  states: ReadonlyMap<string, TranslationState>;
}): { rows: CoverageRow[]; translatedShare: number | null } {
  const groups = new Map<string, CoverageRow>();
  const primaryLanguage = languageOf(input.primaryLanguage);
  for (const row of input.rows) {
    const language = row.locale ? languageOf(row.locale) : "";
    const key = `${row.country}|${language}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        country: row.country,
        language,
        primary: language === primaryLanguage,
        sales: 0,
        translatedSales: 0,
        outdatedSales: 0,
        missingSales: 0,
        translatedShare: null,
      };
      groups.set(key, group);
    }
    group.sales += row.sales;
    if (group.primary || !language) continue;
    const state = input.states.get(`${row.productId}|${language}`);
    if (state === "translated") group.translatedSales += row.sales;
    else if (state === "outdated") group.outdatedSales += row.sales;
    else group.missingSales += row.sales;
  }
  const rows = [...groups.values()]
    .map((g) => ({ ...g, translatedShare: g.primary || !g.language || !g.sales ? null : g.translatedSales / g.sales }))
    .sort((a, b) => b.sales - a.sales || a.country.localeCompare(b.country) || a.language.localeCompare(b.language));
  const foreign = rows.filter((r) => !r.primary && r.language);
  const sales = foreign.reduce((s, r) => s + r.sales, 0);
  return { rows, translatedShare: sales ? foreign.reduce((s, r) => s + r.translatedSales, 0) / sales : null };
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
