// GIVEN the passages retrieval found WHEN the shopper names a policy or asks a product's price or
// sizes THEN the chat answers from the store's own words; anything subtler, or a passage not in
// the shopper's language, is left to the model (null).
import { describe, expect, it } from "vitest";

import { answerFromPassage } from "~/services/support/answer-from-passage";
import type { PassageMatch } from "~/services/support/match-passages.server";

const shirt: PassageMatch = {
  kind: "product",
  sourceId: "gid://shopify/Product/1",
  title: "Linen Shirt",
  body: "Price: 49.00 EUR to 54.00 EUR. Size: S, M, L. Brand: Acme. Type: Shirts. Pure linen. Care: wash cold.",
  locale: "",
  score: 0.9,
  titleMatch: 1,
};
const shipping: PassageMatch = {
  kind: "policy",
  sourceId: "gid://shopify/ShopPolicy/2",
  title: "Shipping policy",
  body: `We ship worldwide within 2 business days. ${"Details follow. ".repeat(60)}`,
  locale: "",
  score: 0.8,
  titleMatch: 0.9,
};

const answer = (message: string, passages: PassageMatch[], language = "en") =>
  answerFromPassage({ message, passages, language, primaryLanguage: "en" });

describe("answers straight from a passage", () => {
  it("gives a named product's price, and its sizes, without the description", () => {
    expect(answer("How much is the Linen Shirt?", [shirt])).toEqual({
      source: "catalog",
      answer: "Linen Shirt: Price: 49.00 EUR to 54.00 EUR.",
    });
    expect(answer("What sizes does the Linen Shirt come in?", [shirt])).toEqual({
      source: "catalog",
      answer: "Linen Shirt: Size: S, M, L.",
    });
  });

  it("gives a named policy's opening, cut at a sentence", () => {
    const reply = answer("What is your shipping policy?", [shipping]);
    expect(reply?.source).toBe("policy");
    expect(reply?.answer).toMatch(/^Shipping policy: We ship worldwide within 2 business days\./);
    expect(reply!.answer.length).toBeLessThanOrEqual(640);
    expect(reply?.answer.endsWith(".")).toBe(true);
  });

  it("leaves subtler questions, unnamed products and other languages to the model", () => {
    expect(answer("What temperature can the Linen Shirt take?", [shirt])).toBeNull();
    expect(answer("How much is it?", [{ ...shirt, titleMatch: 0.3 }])).toBeNull();
    expect(answer("Can I return worn shoes?", [shipping])).toBeNull();
    // A French shopper and only the English source text: the model translates.
    expect(answer("Combien coûte la Linen Shirt ?", [shirt], "fr")).toBeNull();
    expect(
      answer("Combien coûte la Chemise en lin ?", [{ ...shirt, locale: "fr", title: "Chemise en lin" }], "fr"),
    ).toMatchObject({
      source: "catalog",
    });
  });
});
