import type { Prisma } from "@prisma/client";

import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { dayIn, type DayRange } from "~/services/insights/metrics";
import { loadRecommendationCandidates, recommendActions } from "~/services/insights/recommend-actions.server";
import { reportTimeZone } from "~/services/insights/shop-clock.server";
import { summarizeReport } from "~/services/insights/summarize-sales.server";
import type { Llm } from "~/services/ports/llm";
import type { Db } from "~/services/types";

const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The last complete week before `now`: the seven whole days ending yesterday, in the shop's time
 * zone (decision 029), so the digest's week is the one the report page shows for those dates.
 */
export function digestWeek(now: Date, timeZone = "UTC"): DayRange {
  const end = Date.parse(`${dayIn(now, timeZone)}T00:00:00Z`) - DAY_MS;
  return { start: dayOf(end - 6 * DAY_MS), end: dayOf(end) };
}

interface Options {
  db: Db;
  shop: string;
  llm: Pick<Llm, "generateStructured">;
  trigger: "scheduled" | "on-demand";
  now?: Date;
}

/**
 * Writes the shop's digest of the last complete week (docs/decisions/028): the report against the
 * week before, its verified summary, and verified recommendations drawn from the app's other data
 * (translations, chat, copy). Writing the same week again replaces its row, so a retried or
 * on-demand run never adds a second digest for a week. A shop with no recorded sales gets none.
 */
export async function generateDigest({ db, shop, llm, trigger, now = new Date() }: Options) {
  const anySales = await db.salesDay.findFirst({ where: { shopDomain: shop }, select: { day: true } });
  if (!anySales) return { skipped: true as const, reason: "no sales recorded" };
  const range = digestWeek(now, await reportTimeZone(db, shop));
  const report = await loadSalesReport({ db, shop, range, comparison: "previous-period", granularity: "day" });
  const candidates = await loadRecommendationCandidates({ db, shop, range, report });
  const [summary, advice] = await Promise.all([
    summarizeReport({ shop, llm, report }),
    recommendActions({ llm, shop, candidates, currency: report.currency }),
  ]);
  const data = {
    periodEnd: new Date(`${range.end}T00:00:00Z`),
    trigger,
    sentences: summary.sentences as unknown as Prisma.InputJsonValue,
    recommendations: advice.recommendations as unknown as Prisma.InputJsonValue,
    dropped: summary.dropped + advice.dropped,
    candidates: candidates.length,
    generatedAt: now,
  };
  const periodStart = new Date(`${range.start}T00:00:00Z`);
  const digest = await db.insightsDigest.upsert({
    where: { shopDomain_periodStart: { shopDomain: shop, periodStart } },
    create: { shopDomain: shop, periodStart, ...data },
    update: data,
  });
  return {
    skipped: false as const,
    digestId: digest.id,
    sentences: summary.sentences.length,
    recommendations: advice.recommendations.length,
    dropped: data.dropped,
  };
}
