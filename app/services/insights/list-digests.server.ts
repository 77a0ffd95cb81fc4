import type { Recommendation } from "~/services/insights/recommend-actions.server";
import type { SummarySentence } from "~/services/insights/verify-summary";
import type { Db } from "~/services/types";

export interface DigestEntry {
  id: string;
  periodStart: string;
  periodEnd: string;
  trigger: string;
  generatedAt: string;
  sentences: SummarySentence[];
  recommendations: Recommendation[];
  dropped: number;
  /** How many recommendations the app had to suggest before the number check. */
  candidates: number;
}

/** The shop's digest history, newest week first. */
export async function listDigests({ db, shop, take = 12 }: { db: Db; shop: string; take?: number }) {
  const rows = await db.insightsDigest.findMany({
    where: { shopDomain: shop },
    orderBy: { periodStart: "desc" },
    take,
  });
  return rows.map((row): DigestEntry => ({
    id: row.id,
    periodStart: row.periodStart.toISOString().slice(0, 10),
    periodEnd: row.periodEnd.toISOString().slice(0, 10),
    trigger: row.trigger,
    generatedAt: row.generatedAt.toISOString(),
    sentences: row.sentences as unknown as SummarySentence[],
    recommendations: row.recommendations as unknown as Recommendation[],
    dropped: row.dropped,
    candidates: row.candidates,
  }));
}
