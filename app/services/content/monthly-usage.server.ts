import { priceFor } from "~/config/llm-prices";
import type { Db } from "~/services/types";

export interface MonthlyUsage {
  month: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Null when a model's price is unknown. */
  estimatedCostUsd: number | null;
  cap: number | null;
  capReached: boolean;
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The shop's LLM tokens and estimated cost since the start of the (UTC) month, against its cap. */
export async function monthlyUsage({
  db,
  shop,
  cap,
  now = new Date(),
}: {
  db: Db;
  shop: string;
  cap: number | null;
  now?: Date;
}): Promise<MonthlyUsage> {
  const since = monthStart(now);
  const byModel = await db.llmUsage.groupBy({
    by: ["model"],
    where: { shopDomain: shop, createdAt: { gte: since } },
    _sum: { promptTokens: true, completionTokens: true },
  });
  let promptTokens = 0;
  let completionTokens = 0;
  let cost: number | null = 0;
  for (const row of byModel) {
    const prompt = row._sum.promptTokens ?? 0;
    const completion = row._sum.completionTokens ?? 0;
    promptTokens += prompt;
    completionTokens += completion;
    const price = priceFor(row.model);
    cost = price && cost !== null ? cost + (prompt * price.prompt + completion * price.completion) / 1_000_000 : null;
  }
  const totalTokens = promptTokens + completionTokens;
  return {
    month: since.toISOString().slice(0, 7),
    promptTokens,
    completionTokens,
    totalTokens,
    estimatedCostUsd: cost === null ? null : Math.round(cost * 10_000) / 10_000,
    cap,
    capReached: cap !== null && totalTokens >= cap,
  };
}

/**
 * Whether the shop's monthly token cap is used up. Without a cap there is nothing to count, so the
 * content pipeline pays no query for it on every product.
 */
export async function tokenCapReached({ db, shop, cap }: { db: Db; shop: string; cap: number | null }) {
  if (cap === null) return false;
  const { _sum } = await db.llmUsage.aggregate({
    where: { shopDomain: shop, createdAt: { gte: monthStart(new Date()) } },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (_sum.promptTokens ?? 0) + (_sum.completionTokens ?? 0) >= cap;
}
