import { z } from "zod";

/**
 * The only tags a product description may carry on the storefront, with no attributes at all
 * (no links: copy has no business sending shoppers elsewhere). copy/sanitize.ts enforces it on
 * every description the app stores or writes, whoever wrote it.
 */
export const DESCRIPTION_TAGS = ["p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br"] as const;

/**
 * What the model must return for a product: validated by zod and sent to the model as a strict
 * JSON schema. Limits follow what storefronts and search engines show; every field is bounded,
 * so a reply talked into pasting its prompt or the catalog cannot grow without limit.
 */
export const productCopySchema = z.object({
  descriptionHtml: z
    .string()
    .min(200)
    .max(8000)
    .describe(
      `The long, story-driven product description as simple HTML using only these tags, without attributes: ${DESCRIPTION_TAGS.map((tag) => `<${tag}>`).join(", ")}.`,
    ),
  shortDescription: z.string().min(20).max(300).describe("A one- or two-sentence pitch, plain text."),
  features: z.array(z.string().min(3).max(120)).min(3).max(8).describe("Feature bullets, plain text."),
  useCases: z.array(z.string().min(3).max(160)).min(2).max(5).describe("Situations the product is made for."),
  seoKeywords: z.array(z.string().min(2).max(40)).min(5).max(8).describe("5 to 8 search keywords."),
  metaTitle: z.string().min(10).max(70).describe("SEO title, at most 70 characters."),
  metaDescription: z.string().min(50).max(160).describe("SEO meta description, at most 160 characters."),
});

export type GeneratedCopy = z.infer<typeof productCopySchema>;
