import { z } from "zod";

import { AppError } from "~/lib/errors";
import { reviewReasonFor, sanitizeCopy } from "~/services/content/copy/sanitize";
import type { Db } from "~/services/types";

/** The fields a merchant may edit, held to the same limits as generated copy (copy/schema.ts). */
export const DraftEdit = z.object({
  metaTitle: z
    .string()
    .trim()
    .min(10, "The SEO title needs at least 10 characters")
    .max(70, "The SEO title must be at most 70 characters"),
  metaDescription: z
    .string()
    .trim()
    .min(50, "The SEO description needs at least 50 characters")
    .max(160, "The SEO description must be at most 160 characters"),
  shortDescription: z
    .string()
    .trim()
    .min(20, "The short description needs at least 20 characters")
    .max(300, "The short description must be at most 300 characters"),
  descriptionHtml: z.string().trim().min(1, "The description cannot be empty").max(8000, "At most 8,000 characters"),
});

export type DraftEditErrors = Partial<Record<keyof z.infer<typeof DraftEdit>, string>>;

/**
 * Saves a merchant's edits to a draft. Drafts change in place; published versions never do. The
 * edit is sanitised like generated copy (the storefront must never get a script, whoever typed
 * it), the limits apply to what is left, and what was removed is kept as the draft's review reason.
 */
export async function editDraft({
  db,
  shop,
  versionId,
  form,
}: {
  db: Db;
  shop: string;
  versionId: string;
  form: Record<string, unknown>;
}) {
  const draft = await db.contentVersion.findFirst({
    where: { id: versionId, status: "DRAFT", productContent: { shopDomain: shop } },
  });
  if (!draft) throw notFound(shop, versionId);
  const text = (key: keyof z.infer<typeof DraftEdit>) => (typeof form[key] === "string" ? form[key] : "");
  const { copy, findings } = sanitizeCopy(
    {
      descriptionHtml: text("descriptionHtml"),
      shortDescription: text("shortDescription"),
      metaTitle: text("metaTitle"),
      metaDescription: text("metaDescription"),
      features: draft.features,
      useCases: draft.useCases,
      seoKeywords: draft.keywords,
    },
    { kind: "merchant" },
  );
  const parsed = DraftEdit.safeParse(copy);
  if (!parsed.success) {
    const errors: DraftEditErrors = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof DraftEditErrors] ??= issue.message;
    return { ok: false as const, errors };
  }
  const editReason = reviewReasonFor(findings, "your edit");
  const updated = await db.contentVersion.updateMany({
    where: { id: versionId, status: "DRAFT", productContent: { shopDomain: shop } },
    data: {
      ...parsed.data,
      note: "Edited by the merchant",
      // The AI answer's reason stays (the merchant may not have fixed it all); a new one is added.
      ...(editReason ? { reviewReason: [draft.reviewReason, editReason].filter(Boolean).join(" ") } : {}),
    },
  });
  if (updated.count === 0) throw notFound(shop, versionId);
  return { ok: true as const, reviewReason: editReason };
}

function notFound(shop: string, versionId: string) {
  return new AppError("RESOURCE_NOT_FOUND", `no draft ${versionId} for ${shop}`, {
    userMessage: "That draft was already handled.",
  });
}
