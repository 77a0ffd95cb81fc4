import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import type { DayRange, Granularity } from "~/services/insights/metrics";
import { salesReportCsv } from "~/services/insights/sales-table";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  range: DayRange;
  comparison: "previous-period" | "none";
  granularity: Granularity;
}

/** The report's sales over time as CSV, from the same metrics layer the page reads. */
export async function exportSalesReport({ db, shop, range, comparison, granularity }: Options) {
  const report = await loadSalesReport({ db, shop, range, comparison, granularity });
  const handle = shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "");
  return {
    csv: salesReportCsv(report),
    filename: `storewise-sales-${handle}-${range.start}-to-${range.end}-by-${granularity}.csv`,
  };
}
