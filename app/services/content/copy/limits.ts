/**
 * The lengths every product's copy is held to, whoever wrote it: the model's schema (schema.ts),
 * a merchant's edit (edit-draft.server.ts) and the review page's character counters all read them
 * here, so a counter can never promise more than the server accepts. They follow what storefronts
 * and search engines show.
 */
export const COPY_LIMITS = {
  descriptionHtml: { min: 200, max: 8000 },
  shortDescription: { min: 20, max: 300 },
  metaTitle: { min: 10, max: 70 },
  metaDescription: { min: 50, max: 160 },
  features: { minItems: 3, maxItems: 8, min: 3, max: 120 },
  useCases: { minItems: 2, maxItems: 5, min: 3, max: 160 },
  seoKeywords: { minItems: 5, maxItems: 8, min: 2, max: 40 },
} as const;
