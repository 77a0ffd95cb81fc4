// GIVEN the in-process cache of FAQ matches (decision 027) WHEN shoppers ask the same question in
// other spellings, other shops ask it, time passes or the merchant edits the FAQ THEN a repeat is
// answered from the cache, never across shops, languages, the TTL or an edit.
import { describe, expect, it, vi } from "vitest";

import { cachedFaqMatches, forgetFaqMatches, normaliseQuestion } from "~/services/support/faq-cache";
import type { FaqMatch } from "~/services/support/match-faq.server";

const entry = (answer: string): FaqMatch[] => [{ id: answer, question: "q", answer, locale: "en", score: 0.9 }];

describe("the hot-FAQ cache", () => {
  it("folds case, accents, punctuation and spacing", () => {
    expect(normaliseQuestion("  Quelle est votre POLITIQUE de retour ?! ")).toBe(
      normaliseQuestion("quelle est votre politique de retour"),
    );
    expect(normaliseQuestion("Où est ma commande")).toBe("ou est ma commande");
  });

  it("answers a repeat from the cache, but never another shop's or another language's question", async () => {
    const match = vi.fn(async () => entry("A"));
    const now = 1_000_000;
    await cachedFaqMatches({ shop: "a.myshopify.com", message: "Return policy?", language: "en", now }, match);
    const again = await cachedFaqMatches(
      { shop: "a.myshopify.com", message: "return  POLICY", language: "en", now: now + 1 },
      match,
    );
    expect(again[0]!.answer).toBe("A");
    expect(match).toHaveBeenCalledTimes(1);
    const other = vi.fn(async () => entry("B"));
    expect(
      (await cachedFaqMatches({ shop: "b.myshopify.com", message: "Return policy?", language: "en", now }, other))[0]!
        .answer,
    ).toBe("B");
    await cachedFaqMatches({ shop: "a.myshopify.com", message: "Return policy?", language: "fr", now }, other);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it("asks the database again after the TTL, and at once after the shop's FAQ changed", async () => {
    const match = vi.fn(async () => entry("C"));
    const options = { shop: "c.myshopify.com", message: "Do you ship?", language: "en" };
    await cachedFaqMatches({ ...options, now: 0 }, match);
    await cachedFaqMatches({ ...options, now: 11_000 }, match);
    expect(match).toHaveBeenCalledTimes(2);
    forgetFaqMatches("c.myshopify.com");
    await cachedFaqMatches({ ...options, now: 11_001 }, match);
    expect(match).toHaveBeenCalledTimes(3);
  });
});
