import { data, type LoaderFunctionArgs } from "@remix-run/node";

import { llmFor } from "~/composition.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { parseReportQuery, rangeOf } from "~/services/insights/report-query";
import { summarizeSales } from "~/services/insights/summarize-sales.server";
import { reportTimeZone } from "~/services/insights/shop-clock.server";
import { authenticate } from "~/shopify.server";

export type SummaryResult =
  | { error: null; sentences: Array<{ text: string; metricIds: string[] }>; dropped: number }
  | { error: string; sentences: []; dropped: 0 };

/** The AI summary of the report for the same URL parameters as the page, asked for on demand. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseReportQuery(new URL(request.url));
  const timeZone = await reportTimeZone(prisma, session.shop);
  try {
    const summary = await summarizeSales({
      db: prisma,
      shop: session.shop,
      llm: llmFor(request.signal),
      range: rangeOf(query, new Date(), timeZone),
      comparison: query.comparison,
      granularity: query.granularity,
    });
    return { error: null, ...summary } satisfies SummaryResult;
  } catch (error) {
    if (isAppError(error)) {
      return data({ error: error.userMessage, sentences: [], dropped: 0 } satisfies SummaryResult, {
        status: actionStatus(error),
      });
    }
    throw error;
  }
};
