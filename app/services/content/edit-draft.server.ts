import { z } from "zod";

import { AppError } from "~/lib/errors";
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

/** Saves a merchant's edits to a draft. Drafts change in place; published versions never do. */
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
  const parsed = DraftEdit.safeParse(form);
  if (!parsed.success) {
    const errors: DraftEditErrors = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof DraftEditErrors] ??= issue.message;
    return { ok: false as const, errors };
  }
  const updated = await db.contentVersion.updateMany({
    where: { id: versionId, status: "DRAFT", productContent: { shopDomain: shop } },
    data: { ...parsed.data, note: "Edited by the merchant" },
  });
  if (updated.count === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no draft ${versionId} for ${shop}`, {
      userMessage: "That draft was already handled.",
    });
  }
  return { ok: true as const };
}
