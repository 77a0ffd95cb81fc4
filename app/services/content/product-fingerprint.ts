import { createHash } from "node:crypto";

import type { FingerprintFacts } from "~/services/ports/catalog";

// Hashing the same normalised facts from a webhook payload or an Admin API read means a product read
// by a bulk run and later reported by `products/update` is recognised as unchanged (0 tokens).

/** Variants beyond this many do not change the copy's facts (the Admin read stops here too). */
export const FINGERPRINT_VARIANTS = 20;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export function factsFingerprint(facts: FingerprintFacts): string {
  return sha256(
    JSON.stringify([
      facts.title.trim(),
      facts.vendor.trim(),
      facts.productType.trim(),
      facts.tags
        .map((tag) => tag.trim())
        .filter(Boolean)
        .sort(),
      facts.options.map((option) => [option.name, option.values]),
      facts.variants.slice(0, FINGERPRINT_VARIANTS).map((variant) => [variant.title, variant.sku ?? ""]),
    ]),
  );
}

/** What a description looked like; the echo of the app's own write has the hash it recorded. */
export function descriptionFingerprint(html: string): string {
  return sha256(html);
}
