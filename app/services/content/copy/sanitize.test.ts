import { describe, expect, it } from "vitest";

import { reviewReasonFor, sanitizeCopy } from "~/services/content/copy/sanitize";
import type { ProductFacts } from "~/services/ports/catalog";

const base = {
  descriptionHtml:
    "<p>Soft <strong>merino</strong> wool.</p><ul><li>Warm</li></ul><h2>Care</h2><ol><li>Hand wash<br>cold</li></ol>",
  shortDescription: "A warm hat for cold mornings.",
  features: ["Soft merino", "Warm"],
  useCases: ["Hiking"],
  seoKeywords: ["merino hat"],
  metaTitle: "Merino Hat",
  metaDescription: "A warm merino hat.",
};

const facts: ProductFacts = {
  id: "1",
  title: "Merino Hat",
  vendor: "Northwind",
  productType: "Hats",
  tags: ["northwind.example/care"],
  options: [],
  variants: [],
  imageAltTexts: [],
  descriptionHtml: "",
};
const ai = { kind: "ai" as const, facts, instructions: "You write product pages for an online store." };

describe("sanitizeCopy", () => {
  it("leaves allowed copy exactly as it was, with nothing to report", () => {
    const { copy, findings } = sanitizeCopy(base, ai);
    expect(copy).toEqual({ ...base, descriptionHtml: base.descriptionHtml.replace("<br>", "<br />") });
    expect(reviewReasonFor(findings, "the AI's answer")).toBeNull();
  });

  it("drops attributes even on allowed tags, and names what it removed", () => {
    const { copy, findings } = sanitizeCopy(
      { ...base, descriptionHtml: `<p class="x" style="color:red" onclick="alert(1)">Hi</p><script>alert(2)</script>` },
      { kind: "merchant" },
    );
    expect(copy.descriptionHtml).toBe("<p>Hi</p>");
    expect(reviewReasonFor(findings, "your edit")).toBe(
      "We removed unsafe markup from your edit: class attribute, style attribute, onclick attribute, <script>. Check it before publishing.",
    );
  });

  it("keeps plain-text fields free of markup, control and invisible characters, without double escaping", () => {
    const { copy } = sanitizeCopy(
      {
        ...base,
        metaTitle: "Fish &amp; <b>Chips</b>\u0007\u202E & co",
        features: ["<img src=x onerror=alert(1)>", "a < b > c"],
      },
      { kind: "merchant" },
    );
    expect(copy.metaTitle).toBe("Fish & Chips & co");
    expect(copy.features).toEqual(["a b c"]);
  });

  it("removes web addresses the product's details do not have, and every script address", () => {
    const { copy, findings } = sanitizeCopy(
      { ...base, metaDescription: "See northwind.example/care or https://evil.example/x, javascript:alert(1)" },
      ai,
    );
    expect(copy.metaDescription).toBe("See northwind.example/care or , (1)");
    expect(findings.urls).toEqual(["https://evil.example/x", "javascript:alert"]);
  });

  it("removes the model's instructions when it repeats them", () => {
    const { copy, findings } = sanitizeCopy(
      { ...base, descriptionHtml: "<p>Warm. You write product pages for an  online store.</p>" },
      ai,
    );
    expect(copy.descriptionHtml).toBe("<p>Warm. .</p>");
    expect(findings.leakedInstructions).toBe(true);
  });
});
