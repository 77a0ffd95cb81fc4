// The cross-capability metrics (docs/decisions/028) and the digest's recommendation candidates
// against hand-computed fixtures: every expected figure below was worked out by hand.
import { describe, expect, it } from "vitest";

import { copyBeforeAfter, translationCoverage, type TranslationState } from "~/services/insights/metrics";
import { buildRecommendationCandidates, verifyRecommendations } from "~/services/insights/recommend-actions.server";

const row = (
  day: string,
  productId: string,
  revenue: number,
  extra: Partial<{ refunds: number; units: number; refundedUnits: number }> = {},
) => ({
  day,
  productId,
  revenue,
  refunds: extra.refunds ?? 0,
  units: extra.units ?? 0,
  refundedUnits: extra.refundedUnits ?? 0,
});

describe("sales before and after copy was published", () => {
  it("compares equal windows of whole days around each publish, leaving out the publish day and today", () => {
    const result = copyBeforeAfter({
      today: "2026-12-04",
      historyStart: "2026-10-05",
      publishes: [
        // 32 whole days since, 27 days of history before: 27 days each side,
        // before = Oct 5..Oct 31, after = Nov 2..Nov 28.
        { productId: "A", publishedDay: "2026-11-01" },
        // 3 whole days since (Dec 1..3): under a week, left out.
        { productId: "B", publishedDay: "2026-11-30" },
        // 13 whole days since: before = Nov 7..Nov 19, after = Nov 21..Dec 3.
        { productId: "C", publishedDay: "2026-11-20" },
      ],
      rows: [
        row("2026-10-04", "A", 5000), // before the history window
        row("2026-10-10", "A", 3000, { refunds: 1000, units: 2, refundedUnits: 1 }),
        row("2026-11-01", "A", 9999, { units: 9 }), // the publish day: in neither window
        row("2026-11-05", "A", 4000, { units: 2 }),
        row("2026-11-28", "A", 2500, { units: 1 }),
        row("2026-11-29", "A", 7000), // after the 27-day window
        row("2026-12-01", "B", 4200),
        row("2026-11-06", "C", 800), // a day before C's window
        row("2026-11-07", "C", 1000, { units: 1 }),
        row("2026-12-03", "C", 1500, { units: 1 }),
        row("2026-12-04", "C", 600), // today: incomplete
      ],
    });
    expect(result.leftOut).toBe(1);
    expect(result.products).toEqual([
      {
        productId: "A",
        publishedDay: "2026-11-01",
        windowDays: 27,
        before: { netSales: 2000, netUnits: 1 },
        after: { netSales: 6500, netUnits: 3 },
      },
      {
        productId: "C",
        publishedDay: "2026-11-20",
        windowDays: 13,
        before: { netSales: 1000, netUnits: 1 },
        after: { netSales: 1500, netUnits: 1 },
      },
    ]);
    expect(result.netSalesBefore).toBe(3000);
    expect(result.netSalesAfter).toBe(8000);
    // (8000 − 3000) / 3000
    expect(result.change).toBeCloseTo(5 / 3, 10);
  });

  it("has no change to report when nothing sold before", () => {
    const result = copyBeforeAfter({
      today: "2026-12-04",
      historyStart: null,
      publishes: [{ productId: "A", publishedDay: "2026-11-01" }],
      rows: [row("2026-11-02", "A", 1200)],
    });
    // 28 days each side (no history limit): after = Nov 2..Nov 29.
    expect(result.products[0]?.windowDays).toBe(28);
    expect(result.netSalesAfter).toBe(1200);
    expect(result.change).toBeNull();
  });
});

describe("translation coverage against sales by market", () => {
  it("gives each country and buyer language the share of sales whose product is translated", () => {
    const states = new Map<string, TranslationState>([
      ["P1|fr", "translated"],
      ["P2|fr", "outdated"],
    ]);
    const result = translationCoverage({
      primaryLanguage: "en",
      states,
      rows: [
        { country: "CA", locale: "fr-CA", productId: "P1", sales: 10000 },
        { country: "CA", locale: "fr", productId: "P2", sales: 5000 },
        { country: "CA", locale: "en", productId: "P1", sales: 3000 },
        { country: "FR", locale: "fr", productId: "P1", sales: 2000 },
        { country: "FR", locale: "fr", productId: "P3", sales: 1000 },
        { country: "US", locale: "", productId: "P1", sales: 700 },
        { country: "DE", locale: "de", productId: "P2", sales: 4000 },
      ],
    });
    const base = { translatedSales: 0, outdatedSales: 0, missingSales: 0 };
    expect(result.rows).toEqual([
      // 10000 of 15000 translated; P2 (5000) is outdated.
      {
        country: "CA",
        language: "fr",
        primary: false,
        sales: 15000,
        translatedSales: 10000,
        outdatedSales: 5000,
        missingSales: 0,
        translatedShare: 10000 / 15000,
      },
      { country: "DE", language: "de", primary: false, sales: 4000, ...base, missingSales: 4000, translatedShare: 0 },
      { country: "CA", language: "en", primary: true, sales: 3000, ...base, translatedShare: null },
      {
        country: "FR",
        language: "fr",
        primary: false,
        sales: 3000,
        ...base,
        translatedSales: 2000,
        missingSales: 1000,
        translatedShare: 2000 / 3000,
      },
      { country: "US", language: "", primary: false, sales: 700, ...base, translatedShare: null },
    ]);
    // Other languages: 15000 + 4000 + 3000 = 22000, of which 10000 + 2000 translated.
    expect(result.translatedShare).toBeCloseTo(12000 / 22000, 10);
  });
});

describe("the digest's recommendations", () => {
  const candidates = buildRecommendationCandidates({
    topSellers: [
      { productId: "P1", netRevenue: 20000, netUnits: 5 },
      { productId: "P2", netRevenue: 9000, netUnits: 3 },
      { productId: "P3", netRevenue: 0, netUnits: 0 },
    ],
    titles: new Map([
      ["P1", "Linen Throw"],
      ["P2", "Oak Side Table 2"],
      ["P3", "Wool Hat"],
    ]),
    copy: new Map([["P1", { contentId: "pc1", versions: 2 }]]),
    languageSales: new Map([
      [
        "P1",
        new Map([
          ["fr", 12000],
          ["en", 3000],
          ["", 700],
        ]),
      ],
      [
        "P2",
        new Map([
          ["fr", 5000],
          ["de", 4000],
        ]),
      ],
    ]),
    states: new Map<string, TranslationState>([
      ["P1|fr", "translated"],
      ["P2|fr", "outdated"],
    ]),
    primaryLanguage: "en-US",
    chatMentions: [
      { productId: "P2", dialogs: 4 },
      { productId: "P9", dialogs: 2 }, // no longer in the catalog
    ],
    netSales: new Map([["P2", 9000]]),
  });

  it("finds untranslated best sellers where they sell, chat interest, and best sellers without copy", () => {
    expect(candidates.map((c) => [c.ref, c.kind, c.productId, c.language, c.translation, c.link])).toEqual([
      ["r1", "translate", "P2", "fr", "outdated", "/app/translations/P2"],
      ["r2", "translate", "P2", "de", "missing", "/app/translations/P2"],
      ["r3", "chat-interest", "P2", null, null, "/app/support/faq"],
      ["r4", "write-copy", "P2", null, null, "/app/content"],
    ]);
    expect(candidates[0]!.figures.map((f) => [f.id, f.value])).toEqual([
      ["r1.language_sales", 5000],
      ["r1.net_sales", 9000],
    ]);
    expect(candidates[2]!.figures.map((f) => [f.id, f.value])).toEqual([
      ["r3.chat_conversations", 4],
      ["r3.net_sales", 9000],
    ]);
    expect(candidates[3]!.figures.map((f) => [f.id, f.value])).toEqual([
      ["r4.net_sales", 9000],
      ["r4.units", 3],
    ]);
  });

  it("keeps a recommendation only when every number is its own candidate's figure", () => {
    const { kept, dropped } = verifyRecommendations(
      [
        // The title's "2" is not a figure; $50.00 is r1's language sales.
        {
          ref: "r1",
          text: "Update the French translation of Oak Side Table 2: French buyers bought $50.00.",
          metricIds: ["r1.language_sales"],
        },
        // Wrong count (4 conversations, not 5).
        {
          ref: "r3",
          text: "Shoppers asked about Oak Side Table 2 in 5 conversations.",
          metricIds: ["r3.chat_conversations"],
        },
        { ref: "r9", text: "Do something.", metricIds: ["r1.net_sales"] },
        // A second sentence for r1.
        { ref: "r1", text: "Translate Oak Side Table 2: $90.00 in sales.", metricIds: ["r1.net_sales"] },
        // Citing another candidate's figure.
        { ref: "r4", text: "Write copy for Oak Side Table 2: $50.00.", metricIds: ["r1.language_sales"] },
        {
          ref: "r2",
          text: "Add a German translation of Oak Side Table 2 ($40.00 from German buyers).",
          metricIds: ["r2.language_sales"],
        },
      ],
      candidates,
    );
    expect(dropped).toBe(4);
    expect(kept.map((r) => [r.kind, r.language, r.text])).toEqual([
      ["translate", "fr", "Update the French translation of Oak Side Table 2: French buyers bought $50.00."],
      ["translate", "de", "Add a German translation of Oak Side Table 2 ($40.00 from German buyers)."],
    ]);
  });
});
