import { z } from "zod";

import { dayIn, type DayRange } from "~/services/insights/metrics";

/** The presets the page offers; "custom" takes start and end from the URL. */
export const PRESETS = [
  { value: "last7", label: "Last 7 days", days: 7 },
  { value: "last30", label: "Last 30 days", days: 30 },
  { value: "last90", label: "Last 90 days", days: 90 },
] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The report's URL parameters (`?range=last30&comparison=previous-period&granularity=day`). */
export const ReportQuery = z.object({
  range: z.enum(["last7", "last30", "last90", "custom"]).catch("last30"),
  start: day.optional().catch(undefined),
  end: day.optional().catch(undefined),
  comparison: z.enum(["previous-period", "none"]).catch("previous-period"),
  granularity: z.enum(["day", "week", "month"]).catch("day"),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The longest custom range a report covers (loadSalesReport refuses more than two years). */
const MAX_CUSTOM_DAYS = 730;

/**
 * Whether a custom range can be reported: both days given, in order, not after the shop's today
 * (in its IANA time zone), ≤ 2 years.
 */
export function customRangeUsable(query: ReportQuery, now = new Date(), timeZone = "UTC"): boolean {
  const today = dayIn(now, timeZone);
  if (!query.start || !query.end || query.start > query.end || query.end > today) return false;
  return (Date.parse(query.end) - Date.parse(query.start)) / 86_400_000 < MAX_CUSTOM_DAYS;
}

/**
 * The shop's days a query covers (its IANA time zone, as the rollups are, decision 029), ending on
 * the shop's today for a preset, so "today" is the day Shopify admin shows; a custom range that
 * cannot be reported falls back to the last 30 days (the page says so: customRangeUsable).
 */
export function rangeOf(query: ReportQuery, now = new Date(), timeZone = "UTC"): DayRange {
  const today = dayIn(now, timeZone);
  if (query.range === "custom" && customRangeUsable(query, now, timeZone)) {
    return { start: query.start!, end: query.end! };
  }
  const days = PRESETS.find((p) => p.value === query.range)?.days ?? 30;
  return { start: dayOf(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000), end: today };
}

export const parseReportQuery = (url: URL) => ReportQuery.parse(Object.fromEntries(url.searchParams));
