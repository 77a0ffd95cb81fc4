import { z } from "zod";

import { COPY_LIMITS as L } from "~/services/content/copy/limits";

/**
 * The only tags a product description may carry on the storefront, with no attributes at all
 * (no links: copy has no business sending shoppers elsewhere). copy/sanitize.ts enforces it on
 * every description the app stores or writes, whoever wrote it.
 */
export const DESCRIPTION_TAGS = ["p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br"] as const;

function listOf(limits: { minItems: number; maxItems: number; min: number; max: number }) {
  return z.array(z.string().min(limits.min).max(limits.max)).min(limits.minItems).max(limits.maxItems);
}

/**
 * What the model must return for a product: validated by zod and sent to the model as a strict
 * JSON schema. Limits are COPY_LIMITS (copy/limits.ts); every field is bounded,
 * so a reply talked into pasting its prompt or the catalog cannot grow without limit.
 */
export const productCopySchema = z.object({
  descriptionHtml: z
    .string()
    .min(L.descriptionHtml.min)
    .max(L.descriptionHtml.max)
    .describe(
      `The long, story-driven product description as simple HTML using only these tags, without attributes: ${DESCRIPTION_TAGS.map((tag) => `<${tag}>`).join(", ")}.`,
    ),
  shortDescription: z
    .string()
    .min(L.shortDescription.min)
    .max(L.shortDescription.max)
    .describe("A one- or two-sentence pitch, plain text."),
  features: listOf(L.features).describe("Feature bullets, plain text."),
  useCases: listOf(L.useCases).describe("Situations the product is made for."),
  seoKeywords: listOf(L.seoKeywords).describe(
    `${L.seoKeywords.minItems} to ${L.seoKeywords.maxItems} search keywords.`,
  ),
  metaTitle: z
    .string()
    .min(L.metaTitle.min)
    .max(L.metaTitle.max)
    .describe(`SEO title, at most ${L.metaTitle.max} characters.`),
  metaDescription: z
    .string()
    .min(L.metaDescription.min)
    .max(L.metaDescription.max)
    .describe(`SEO meta description, at most ${L.metaDescription.max} characters.`),
});

export type GeneratedCopy = z.infer<typeof productCopySchema>;
