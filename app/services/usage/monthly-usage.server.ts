import { Prisma } from "@prisma/client";

import { priceFor } from "~/config/llm-prices";
import type { Db } from "~/services/types";

/** One month of a shop's LLM usage. */
export interface UsageMonth {
  month: string;
  totalTokens: number;
  /** Null when a model's price is unknown. */
  estimatedCostUsd: number | null;
  /** Tokens per task (content, translation, chat, insights). */
  byTask: Record<string, number>;
}

/** This month's usage against the shop's cap. */
export interface MonthlyUsage extends Omit<UsageMonth, "byTask"> {
  cap: number | null;
  capReached: boolean;
}

function monthStart(now: Date, monthsBack = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
}

const monthKey = (date: Date) => date.toISOString().slice(0, 7);

/** The shop's tokens and estimated cost for each of its last `months` months, newest first. */
export async function usageHistory({
  db,
  shop,
  months = 6,
  now = new Date(),
}: {
  db: Db;
  shop: string;
  months?: number;
  now?: Date;
}): Promise<UsageMonth[]> {
  const rows = await db.$queryRaw<
    Array<{ month: string; task: string; model: string; prompt: bigint; completion: bigint }>
  >(Prisma.sql`
    SELECT to_char(date_trunc('month', "createdAt"), 'YYYY-MM') AS month, task, model,
           sum("promptTokens") AS prompt, sum("completionTokens") AS completion
    FROM "LlmUsage"
    WHERE "shopDomain" = ${shop} AND "createdAt" >= ${monthStart(now, months - 1)}
    GROUP BY 1, 2, 3`);
  const byMonth = new Map<string, UsageMonth>();
  for (const row of rows) {
    const month = byMonth.get(row.month) ?? { month: row.month, totalTokens: 0, estimatedCostUsd: 0, byTask: {} };
    const prompt = Number(row.prompt);
    const completion = Number(row.completion);
    month.totalTokens += prompt + completion;
    month.byTask[row.task] = (month.byTask[row.task] ?? 0) + prompt + completion;
    const price = priceFor(row.model);
    month.estimatedCostUsd =
      price && month.estimatedCostUsd !== null
        ? month.estimatedCostUsd + (prompt * price.prompt + completion * price.completion) / 1_000_000
        : null;
    byMonth.set(row.month, month);
  }
  return [...byMonth.values()]
    .map((month) => ({
      ...month,
      estimatedCostUsd: month.estimatedCostUsd === null ? null : Math.round(month.estimatedCostUsd * 10_000) / 10_000,
    }))
    .sort((a, b) => b.month.localeCompare(a.month));
}

/** This (UTC) month's usage, read off the history, against the shop's cap. */
export function monthlyUsage(history: UsageMonth[], cap: number | null, now = new Date()): MonthlyUsage {
  const month = monthKey(monthStart(now));
  const { byTask: _byTask, ...current } = history.find((entry) => entry.month === month) ?? {
    month,
    totalTokens: 0,
    estimatedCostUsd: 0,
    byTask: {},
  };
  return { ...current, cap, capReached: cap !== null && current.totalTokens >= cap };
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
