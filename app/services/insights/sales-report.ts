import {
  bucketOf,
  bucketsOf,
  change,
  METRICS,
  previousPeriod,
  sumTotals,
  type DayRange,
  type DayRow,
  type Granularity,
  type MetricId,
  type SegmentRow,
} from "~/services/insights/metrics";

/** A product's sales over the period, summed by the store (rollups), before ranking. */
export interface ProductTotals {
  productId: string;
  revenue: number;
  units: number;
  refunds: number;
  refundedUnits: number;
}

export interface MetricFigure {
  id: MetricId;
  label: string;
  unit: "money" | "count" | "ratio";
  value: number | null;
  previous: number | null;
  /** Relative change from the previous period (0.1 = +10%), null without a comparison. */
  change: number | null;
}

export interface SalesReport {
  range: DayRange;
  comparisonRange: DayRange | null;
  granularity: Granularity;
  metrics: MetricFigure[];
  /** One point per bucket of the range (empty buckets are zero), each metric's value. */
  series: Array<{ start: string; values: Record<MetricId, number | null> }>;
  /** The same for the comparison period, bucket by bucket. */
  comparisonSeries: Array<{ start: string; values: Record<MetricId, number | null> }> | null;
  topProductsByRevenue: Array<{ productId: string; netRevenue: number; netUnits: number }>;
  topProductsByUnits: Array<{ productId: string; netRevenue: number; netUnits: number }>;
  byCountry: Array<{ country: string; grossSales: number; netSales: number; orders: number }>;
  byCurrency: Array<{ currency: string; grossSales: number; netSales: number; orders: number }>;
}

const inRange = (day: string, range: DayRange) => day >= range.start && day <= range.end;

function figures(days: DayRow[]) {
  const totals = sumTotals(days);
  return Object.fromEntries(METRICS.map((metric) => [metric.id, metric.compute(totals)])) as Record<
    MetricId,
    number | null
  >;
}

function seriesOf(days: DayRow[], range: DayRange, granularity: Granularity) {
  const byBucket = new Map<string, DayRow[]>();
  for (const row of days) {
    if (!inRange(row.day, range)) continue;
    const bucket = bucketOf(row.day, granularity);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), row]);
  }
  return bucketsOf(range, granularity).map((start) => ({ start, values: figures(byBucket.get(start) ?? []) }));
}

function segmentsBy(rows: SegmentRow[], key: "country" | "currency") {
  const sums = new Map<string, { grossSales: number; netSales: number; orders: number }>();
  for (const row of rows) {
    const sum = sums.get(row[key]) ?? { grossSales: 0, netSales: 0, orders: 0 };
    sum.grossSales += row.grossSales;
    sum.netSales += row.grossSales - row.discounts - row.refunds;
    sum.orders += row.orders;
    sums.set(row[key], sum);
  }
  return [...sums].map(([value, sum]) => ({ [key]: value, ...sum })).sort((a, b) => b.netSales - a.netSales);
}

/**
 * The report from rollup rows: `days` covers the range and (with a comparison) the previous period;
 * `segments` and `products` cover the range only. Pure, so the definitions are tested without a
 * database (metrics.test.ts) and loadSalesReport only reads.
 */
export function buildSalesReport(input: {
  range: DayRange;
  comparison: boolean;
  granularity: Granularity;
  days: DayRow[];
  segments: SegmentRow[];
  products: ProductTotals[];
  topProducts?: number;
}): SalesReport {
  const { range, granularity } = input;
  const comparisonRange = input.comparison ? previousPeriod(range) : null;
  const current = figures(input.days.filter((row) => inRange(row.day, range)));
  const previous = comparisonRange ? figures(input.days.filter((row) => inRange(row.day, comparisonRange))) : null;
  const limit = input.topProducts ?? 10;
  const products = input.products.map((p) => ({
    productId: p.productId,
    netRevenue: p.revenue - p.refunds,
    netUnits: p.units - p.refundedUnits,
  }));
  const segments = input.segments.filter((row) => inRange(row.day, range));
  return {
    range,
    comparisonRange,
    granularity,
    metrics: METRICS.map((metric) => ({
      id: metric.id,
      label: metric.label,
      unit: metric.unit,
      value: current[metric.id],
      previous: previous ? previous[metric.id] : null,
      change: previous ? change(current[metric.id], previous[metric.id]) : null,
    })),
    series: seriesOf(input.days, range, granularity),
    comparisonSeries: comparisonRange ? seriesOf(input.days, comparisonRange, granularity) : null,
    topProductsByRevenue: [...products]
      .sort((a, b) => b.netRevenue - a.netRevenue || a.productId.localeCompare(b.productId))
      .slice(0, limit),
    topProductsByUnits: [...products]
      .sort((a, b) => b.netUnits - a.netUnits || a.productId.localeCompare(b.productId))
      .slice(0, limit),
    byCountry: segmentsBy(segments, "country") as SalesReport["byCountry"],
    byCurrency: segmentsBy(segments, "currency") as SalesReport["byCurrency"],
  };
}
