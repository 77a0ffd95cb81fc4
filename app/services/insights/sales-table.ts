/**
 * The tables behind the insights report, shared by the page (shown formatted) and the CSV export
 * (raw figures): one definition of the columns, so a download always equals what the page shows.
 * Figures come from the metrics layer (metrics.ts via loadSalesReport); nothing is recomputed here.
 */
import { METRICS, type MetricId } from "~/services/insights/metrics";
import type { SalesReport } from "~/services/insights/sales-report";

export type Unit = "money" | "count" | "ratio";

/** The over-time columns: every metric, in the metrics layer's order. */
export const SERIES_COLUMNS: ReadonlyArray<{ id: MetricId; label: string; unit: Unit }> = METRICS.map((m) => ({
  id: m.id,
  label: m.label,
  unit: m.unit,
}));

/** A raw figure as the CSV writes it: money as a decimal of the shop's currency, a ratio as 0..1. */
export function rawFigure(value: number | null, unit: Unit): string {
  if (value === null) return "";
  if (unit === "money") return (value / 100).toFixed(2);
  if (unit === "ratio") return value.toFixed(4);
  return String(value);
}

/** A figure as the page shows it ("$1,234.50", "1,234", "12.5%", "—" when undefined). */
export function formatFigure(value: number | null, unit: Unit, currency: string | null): string {
  if (value === null) return "—";
  if (unit === "money") {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency ?? "USD" }).format(value / 100);
  }
  if (unit === "ratio") return `${(value * 100).toFixed(1)}%`;
  return new Intl.NumberFormat("en-US").format(value);
}

/** "+12.5%" / "−3.0%" / "0.0%": the sign in text, so a change never reads by colour alone. */
export function formatChange(change: number | null): string {
  if (change === null) return "no comparison";
  const pct = (Math.abs(change) * 100).toFixed(1);
  if (pct === "0.0") return "0.0%";
  return `${change > 0 ? "+" : "−"}${pct}%`;
}

/** Whether a rise in this metric is good news (refunds and discounts going up are not). */
export const higherIsBetter = (id: MetricId) => id !== "refunds" && id !== "discounts";

function csvCell(value: string) {
  // A text cell that a spreadsheet would read as a formula gets a leading quote (CSV injection).
  const safe = /^[=+\-@\t]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: string[]) => cells.map(csvCell).join(",");

/**
 * The report as CSV: the sales over time (one row per period of the granularity, every metric),
 * then, with a comparison, the previous period's rows. Amounts are in the shop's currency.
 * A cell that would start a spreadsheet formula is quoted (CSV injection).
 */
export function salesReportCsv(report: SalesReport & { currency: string | null }): string {
  const header = [
    "Period",
    "Period start",
    ...SERIES_COLUMNS.map((c) => (c.unit === "money" ? `${c.label} (${report.currency ?? ""})` : c.label)),
  ];
  const lines = [csvLine(header)];
  const rows = (period: string, series: SalesReport["series"]) =>
    series.map((point) =>
      csvLine([period, point.start, ...SERIES_COLUMNS.map((c) => rawFigure(point.values[c.id], c.unit))]),
    );
  lines.push(...rows("current", report.series));
  if (report.comparisonSeries) lines.push(...rows("previous", report.comparisonSeries));
  return `${lines.join("\r\n")}\r\n`;
}
