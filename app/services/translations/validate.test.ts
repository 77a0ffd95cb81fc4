import { describe, expect, it } from "vitest";

import { checkLanguage } from "~/services/translations/language";
import { mask, tagsOf, unmask } from "~/services/translations/protect";
import { rejectionOf, type FieldToCheck } from "~/services/translations/validate";

const field = (overrides: Partial<FieldToCheck>): FieldToCheck => ({
  key: "title",
  maskedSource: "Warm hat",
  maskedValue: "Chapeau chaud",
  value: "Chapeau chaud",
  source: "Warm hat",
  locale: "fr",
  glossary: [],
  ...overrides,
});

describe("masking", () => {
  it("swaps Liquid tokens and whole do-not-translate terms for placeholders, and back", () => {
    const masked = mask("<p>Arc by Arctic Co: {{ price }} for Arc fans {% if x %}!{% endif %}</p>", [
      "Arc",
      "Arctic Co",
    ]);
    // Liquid first (⟦1⟧-⟦3⟧), then the longer term, so "Arc" never matches inside "Arctic Co".
    expect(masked.text).toBe("<p>⟦5⟧ by ⟦4⟧: ⟦1⟧ for ⟦6⟧ fans ⟦2⟧!⟦3⟧</p>");
    expect(unmask(masked.text, masked.slots)).toBe(
      "<p>Arc by Arctic Co: {{ price }} for Arc fans {% if x %}!{% endif %}</p>",
    );
  });

  it("leaves a term inside a tag's attribute alone", () => {
    expect(mask('<a title="Arc">Arc</a>', ["Arc"]).text).toBe('<a title="Arc">⟦1⟧</a>');
  });
});

describe("rejectionOf", () => {
  it("accepts a faithful translation", () => {
    expect(rejectionOf(field({}))).toBeNull();
  });

  it("refuses changed tags, dropped placeholders and an empty value", () => {
    expect(
      rejectionOf(field({ key: "body_html", maskedSource: "<p>a</p><p>b</p>", maskedValue: "<p>a<p>b</p>" })),
    ).toMatch(/HTML tags differ/);
    expect(rejectionOf(field({ maskedSource: "⟦1⟧ hat", maskedValue: "chapeau" }))).toMatch(/placeholders/);
    expect(rejectionOf(field({ maskedSource: "⟦1⟧ hat", maskedValue: "⟦1⟧ ⟦1⟧ chapeau" }))).toMatch(/placeholders/);
    expect(rejectionOf(field({ value: "  " }))).toMatch(/empty/);
  });

  it("applies the glossary with its case rule", () => {
    const glossary = [{ source: "Hat", target: "Chapeau", caseSensitive: true }];
    expect(rejectionOf(field({ source: "Warm Hat", value: "Bonnet chaud", glossary }))).toMatch(/glossary/);
    expect(rejectionOf(field({ source: "warm hat", value: "Bonnet chaud", glossary }))).toBeNull();
    const loose = [{ source: "hat", target: "chapeau", caseSensitive: false }];
    expect(rejectionOf(field({ source: "Warm HAT", value: "Chapeau chaud", glossary: loose }))).toBeNull();
  });

  it("holds each key to the store's limit", () => {
    expect(rejectionOf(field({ key: "meta_title", value: "é".repeat(71) }))).toMatch(/more than the 70/);
    expect(rejectionOf(field({ key: "title", value: "é".repeat(255) }))).toBeNull();
  });
});

describe("checkLanguage", () => {
  it("refuses a reply left in English and accepts French, but does not judge a few words", () => {
    const english = "A warm hat for long mornings at home with friends, knitted from soft merino that lasts for years.";
    expect(checkLanguage(english, "fr")).toEqual({ ok: false, detected: "en" });
    const french =
      "Un chapeau chaud pour les longues matinées à la maison, tricoté en mérinos doux qui dure des années.";
    expect(checkLanguage(french, "fr")).toEqual({ ok: true });
    expect(checkLanguage("Alpine Merino Beanie", "fr")).toEqual({ ok: true });
    // Short lists are not judged: tinyld reads this good Spanish as English (0.33 against 0.06).
    expect(checkLanguage('["Hecho por Northwind","Cálida aspecto que dura","Sencillo a cuidar para"]', "es")).toEqual({
      ok: true,
    });
  });
});

it("tagsOf lists opening and closing tags in order", () => {
  expect(tagsOf('<p class="x">a<br/><strong>b</strong></p>')).toEqual(["p", "br", "strong", "/strong", "/p"]);
});
