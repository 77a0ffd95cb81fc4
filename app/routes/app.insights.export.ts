import type { LoaderFunctionArgs } from "@remix-run/node";

import { prisma } from "~/db.server";
import { exportSalesReport } from "~/services/insights/export-sales-report.server";
import { parseReportQuery, rangeOf } from "~/services/insights/report-query";
import { reportTimeZone } from "~/services/insights/shop-clock.server";
import { authenticate } from "~/shopify.server";

/** The report's CSV for the same URL parameters as the page (`/app/insights/export?range=…`). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseReportQuery(new URL(request.url));
  const timeZone = await reportTimeZone(prisma, session.shop);
  const { csv, filename } = await exportSalesReport({
    db: prisma,
    shop: session.shop,
    range: rangeOf(query, new Date(), timeZone),
    comparison: query.comparison,
    granularity: query.granularity,
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
