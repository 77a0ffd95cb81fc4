/**
 * Checks every number in an AI-written sentence against the computed figures it cites (issue 11).
 * A number passes when it equals, at the precision it is written with, one of the cited metrics'
 * current value, previous value or change (money in the shop's currency, counts, rates and changes
 * as percentages). Currency symbols, thousands separators and signs are tolerated; a sentence with
 * any number that matches none is dropped, as is one citing an unknown metric.
 */
import type { MetricFigure } from "~/services/insights/sales-report";

/** What a number is checked against: a report metric, or any figure with a string id. */
export type VerifiableFigure = Omit<MetricFigure, "id" | "label"> & { id: string };

export interface SummarySentence {
  text: string;
  metricIds: string[];
}

/** Numbers as written: "$1,234.50", "−12.5%", "3", "1.2k" is not a form we accept (no match). */
const NUMBER = /[-−+]?\s?[$£€¥]?\s?\d[\d,]*(?:\.\d+)?\s?%?/g;

/** The plain values a figure may be written as: money in units (not cents), rates and changes in percent. */
function candidates(metric: VerifiableFigure): Array<{ value: number; percent: boolean }> {
  const out: Array<{ value: number; percent: boolean }> = [];
  for (const v of [metric.value, metric.previous]) {
    if (v === null) continue;
    if (metric.unit === "money") out.push({ value: v / 100, percent: false });
    else if (metric.unit === "ratio") out.push({ value: v * 100, percent: true });
    else out.push({ value: v, percent: false });
  }
  if (metric.change !== null) out.push({ value: metric.change * 100, percent: true });
  return out;
}

function matches(written: string, allowed: Array<{ value: number; percent: boolean }>): boolean {
  const percent = written.includes("%");
  const digits = written.replace(/[^\d.]/g, "");
  const decimals = digits.includes(".") ? digits.split(".")[1]!.length : 0;
  const number = Number(digits);
  if (!Number.isFinite(number)) return false;
  const half = 0.5 * 10 ** -decimals + 1e-9;
  // Signs are tolerated ("down 12%" for −12%): compare magnitudes, at the written precision.
  return allowed.some((c) => c.percent === percent && Math.abs(Math.abs(c.value) - number) <= half);
}

/**
 * Whether every number in `text` is one of the cited figures' (the cited ids must all be known).
 * `ignore` lists names quoted in the text (a product's title) whose digits are not figures.
 */
export function numbersVerified(
  text: string,
  metricIds: string[],
  figures: ReadonlyMap<string, VerifiableFigure>,
  ignore: string[] = [],
): boolean {
  const cited = metricIds.map((id) => figures.get(id));
  let checked = text;
  for (const name of ignore) if (name) checked = checked.split(name).join(" ");
  const numbers = checked.match(NUMBER) ?? [];
  const allowed = cited.flatMap((m) => (m ? candidates(m) : []));
  return cited.length > 0 && cited.every(Boolean) && numbers.every((n) => matches(n.trim(), allowed));
}

export function verifySentences(sentences: SummarySentence[], metrics: VerifiableFigure[]) {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const kept: SummarySentence[] = [];
  let dropped = 0;
  for (const sentence of sentences) {
    if (numbersVerified(sentence.text, sentence.metricIds, byId)) kept.push(sentence);
    else dropped += 1;
  }
  return { kept, dropped };
}
