import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { tokenCapReached, usageHistory } from "~/services/usage/monthly-usage.server";

afterAll(async () => {
  await prisma.$disconnect();
});

const shop = `usage-${randomUUID().slice(0, 8)}.myshopify.com`;

async function used(shopDomain: string, at: string, task: string, model: string, prompt: number, completion: number) {
  await prisma.llmUsage.create({
    data: { shopDomain, task, model, promptTokens: prompt, completionTokens: completion, createdAt: new Date(at) },
  });
}

describe("AI usage per shop and month", () => {
  it("adds up tokens and estimated cost per month and task, newest month first, for this shop only", async () => {
    await used(shop, "2026-11-03T10:00:00Z", "content", "gpt-4o-mini", 1_000_000, 0);
    await used(shop, "2026-11-20T10:00:00Z", "translation", "gpt-4o-mini", 0, 1_000_000);
    await used(shop, "2026-12-01T00:30:00Z", "content", "gpt-4o-mini", 400, 100);
    await used(shop, "2026-04-01T00:00:00Z", "content", "gpt-4o-mini", 999, 999); // older than six months
    await used(`other-${shop}`, "2026-12-01T01:00:00Z", "content", "gpt-4o-mini", 5_000, 5_000);

    const history = await usageHistory({ db: prisma, shop, now: new Date("2026-12-01T12:00:00Z") });

    expect(history).toEqual([
      { month: "2026-12", totalTokens: 500, estimatedCostUsd: 0.0001, byTask: { content: 500 } },
      {
        month: "2026-11",
        totalTokens: 2_000_000,
        // $0.15 per million prompt tokens, $0.60 per million completion tokens.
        estimatedCostUsd: 0.75,
        byTask: { content: 1_000_000, translation: 1_000_000 },
      },
    ]);
  });

  it("shows tokens without a cost for a model whose price is unknown", async () => {
    const local = `local-${randomUUID().slice(0, 8)}.myshopify.com`;
    await used(local, new Date().toISOString(), "content", "llama3.1:8b", 10, 20);
    const [month] = await usageHistory({ db: prisma, shop: local });
    expect(month).toMatchObject({ totalTokens: 30, estimatedCostUsd: null });
  });

  it("costs no query without a cap, and counts this month's tokens against one", async () => {
    const capped = `capped-${randomUUID().slice(0, 8)}.myshopify.com`;
    await used(capped, new Date().toISOString(), "content", "gpt-4o-mini", 600, 400);
    expect(await tokenCapReached({ db: prisma, shop: capped, cap: null })).toBe(false);
    expect(await tokenCapReached({ db: prisma, shop: capped, cap: 1_001 })).toBe(false);
    expect(await tokenCapReached({ db: prisma, shop: capped, cap: 1_000 })).toBe(true);
  });
});
