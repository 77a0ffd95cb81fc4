import { describe, expect, it } from "vitest";

import { diffAgainstLive, type ComparableCopy } from "~/services/content/copy-diff";

const live: ComparableCopy = {
  descriptionHtml: "<p>A warm sock.</p><ul><li>Cushioned heel</li></ul>",
  shortDescription: "Warm socks.",
  features: ["Merino", "Cushioned heel"],
  useCases: ["Hiking"],
  keywords: ["socks"],
  metaTitle: "Socks",
  metaDescription: "Warm socks.",
};

const changed = (copy: ComparableCopy) =>
  Object.fromEntries(
    diffAgainstLive(live, copy)
      .filter((field) => field.parts.length > 0)
      .map((field) => [field.field, field.parts.filter((part) => part.change !== "same")]),
  );

describe("diffAgainstLive", () => {
  it("reports nothing for the same copy", () => {
    expect(changed(live)).toEqual({});
  });

  it("marks words in prose and whole entries in lists, the description a block per line", () => {
    const result = changed({
      ...live,
      descriptionHtml: "<p>A soft sock.</p><ul><li>Cushioned heel</li><li>Made in Portugal</li></ul>",
      features: ["Merino", "Reinforced toe"],
    });
    expect(result.description).toEqual([
      { text: "warm", change: "removed" },
      { text: "soft", change: "added" },
      { text: "• Made in Portugal", change: "added" },
    ]);
    expect(result.features).toEqual([
      { text: "Cushioned heel", change: "removed" },
      { text: "Reinforced toe", change: "added" },
    ]);
    expect(Object.keys(result)).toEqual(["description", "features"]);
  });

  it("compares the description's text, not its markup", () => {
    expect(
      changed({ ...live, descriptionHtml: "<p>A <strong>warm</strong> sock.</p><ul><li>Cushioned heel</li></ul>" }),
    ).toEqual({});
  });
});
