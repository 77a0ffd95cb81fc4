import { describe, expect, it } from "vitest";

import { estimateTranslationCost } from "~/services/translations/admin/estimate-translation-cost";
import { gridOf, keyState, type ResourceStatus } from "~/services/translations/admin/translation-status.server";

const checkedAt = new Date("2026-12-04T10:00:00Z");
const before = new Date("2026-12-04T09:00:00Z");
const after = new Date("2026-12-04T11:00:00Z");
const scanned = (live: boolean | undefined, digest = "d2") => ({ digest, live, checkedAt });

describe("a key's state in the status grid", () => {
  it("is missing when the store has no translation and the app never made one", () => {
    expect(keyState(scanned(undefined), undefined)).toBe("missing");
  });

  it("is outdated when Shopify flags the translation, or the source digest moved on since the app translated it", () => {
    expect(keyState(scanned(true, "d1"), { status: "TRANSLATED", sourceDigest: "d1", updatedAt: before })).toBe(
      "outdated",
    );
    expect(keyState(scanned(false, "d2"), { status: "TRANSLATED", sourceDigest: "d1", updatedAt: before })).toBe(
      "outdated",
    );
    expect(keyState(scanned(false, "d1"), { status: "TRANSLATED", sourceDigest: "d1", updatedAt: before })).toBe(
      "translated",
    );
  });

  it("trusts a ledger row newer than the scan: a run since then read the digests itself", () => {
    expect(keyState(scanned(undefined, "d1"), { status: "TRANSLATED", sourceDigest: "d2", updatedAt: after })).toBe(
      "translated",
    );
  });

  it("shows a person's translation the app never registered, and the ledger's edits and failures, as such", () => {
    expect(keyState(scanned(false), undefined)).toBe("edited");
    expect(keyState(scanned(true), { status: "EDITED", sourceDigest: "d1", updatedAt: before })).toBe("edited");
    expect(keyState(scanned(undefined), { status: "FAILED", sourceDigest: "d2", updatedAt: before })).toBe("failed");
  });
});

const status = (resourceId: string, fr: number, de: number): ResourceStatus => {
  const locale = (pending: number) => ({
    counts: { translated: 2 - Math.min(pending, 2), outdated: 0, missing: Math.min(pending, 2), edited: 0, failed: 0 },
    keys: { translated: [], outdated: [], missing: [], edited: [], failed: [] },
    pendingWords: pending * 10,
    pendingChars: pending * 60,
    pendingKeys: pending,
    reasons: [],
  });
  return { resourceId, kind: "product", title: resourceId, locales: { fr: locale(fr), de: locale(de) } };
};

describe("the bulk translation cost preview", () => {
  it("counts words × locales, one call per resource and locale with work, and prices them", () => {
    const estimate = estimateTranslationCost({
      statuses: [status("a", 2, 2), status("b", 1, 0), status("c", 0, 0)],
      locales: ["fr", "de"],
      primary: "en",
      glossary: {},
      model: "gpt-4o-mini",
    });
    expect(estimate.resources).toBe(2);
    expect(estimate.calls).toBe(3);
    expect(estimate.wordsByLocale).toEqual({ fr: 30, de: 20 });
    expect(estimate.words).toBe(50);
    expect(estimate.tokens).toBe(estimate.promptTokens + estimate.completionTokens);
    expect(estimate.costUsd).toBeCloseTo((estimate.promptTokens * 0.15 + estimate.completionTokens * 0.6) / 1e6, 10);
  });

  it("knows no price for an unknown model, and nothing to do costs nothing", () => {
    expect(
      estimateTranslationCost({ statuses: [], locales: ["fr"], primary: "en", glossary: {}, model: "mystery" }).costUsd,
    ).toBeNull();
    const none = estimateTranslationCost({
      statuses: [status("c", 0, 0)],
      locales: ["fr", "de"],
      primary: "en",
      glossary: {},
      model: "gpt-4o-mini",
    });
    expect([none.calls, none.tokens, none.costUsd]).toEqual([0, 0, 0]);
  });

  it("adds the grid's counts per kind and locale", () => {
    const cells = gridOf([status("a", 2, 1), status("b", 1, 0)], ["fr", "de"]);
    expect(cells.map((cell) => [cell.locale, cell.counts.missing, cell.counts.translated])).toEqual([
      ["fr", 3, 1],
      ["de", 1, 3],
    ]);
  });
});
