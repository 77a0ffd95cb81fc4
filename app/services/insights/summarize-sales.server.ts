import { z } from "zod";

import { loadSalesReport, type LoadedSalesReport } from "~/services/insights/load-sales-report.server";
import type { DayRange, Granularity } from "~/services/insights/metrics";
import { formatChange, formatFigure } from "~/services/insights/sales-table";
import { verifySentences } from "~/services/insights/verify-summary";
import type { Llm } from "~/services/ports/llm";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  llm: Pick<Llm, "generateStructured">;
  range: DayRange;
  comparison: "previous-period" | "none";
  granularity: Granularity;
}

export const SUMMARY_SCHEMA_NAME = "insights_summary";
const SummarySchema = z.object({
  sentences: z.array(z.object({ text: z.string().max(300), metricIds: z.array(z.string()).max(4) })).max(6),
});

const SYSTEM = [
  "You write a short summary of a shop's sales for its owner.",
  "Use only the figures given. Write at most 4 sentences. Each sentence cites, in metricIds, the ids",
  "of the metrics whose figures it uses, and writes each figure exactly as given.",
].join(" ");

/**
 * The AI summary of a report: the model sees only computed figures (ids, labels, formatted values,
 * previous values and changes), never orders, customers or product names. Every number in a
 * returned sentence is checked against the figures it cites (verifySentences); a sentence with a
 * number that matches none is dropped and counted.
 */
export async function summarizeSales({ db, shop, llm, range, comparison, granularity }: Options) {
  const report = await loadSalesReport({ db, shop, range, comparison, granularity });
  return summarizeReport({ shop, llm, report });
}

/** The summary of a report already loaded (the weekly digest loads it once for both of its parts). */
export async function summarizeReport({
  shop,
  llm,
  report,
}: {
  shop: string;
  llm: Pick<Llm, "generateStructured">;
  report: LoadedSalesReport;
}) {
  const range = report.range;
  const metrics = report.metrics.map((m) => ({
    id: m.id,
    label: m.label,
    value: formatFigure(m.value, m.unit, report.currency),
    ...(report.comparisonRange
      ? { previous: formatFigure(m.previous, m.unit, report.currency), change: formatChange(m.change) }
      : {}),
  }));
  const user = [
    `Period: ${range.start} to ${range.end}${report.comparisonRange ? `, compared with ${report.comparisonRange.start} to ${report.comparisonRange.end}` : ""}.`,
    `Metrics: ${JSON.stringify(metrics)}`,
  ].join("\n");
  const { data } = await llm.generateStructured({
    shop,
    task: "insights",
    system: SYSTEM,
    user,
    schema: SummarySchema,
    schemaName: SUMMARY_SCHEMA_NAME,
    temperature: 0,
  });
  const { kept, dropped } = verifySentences(data.sentences, report.metrics);
  return { sentences: kept, dropped };
}
