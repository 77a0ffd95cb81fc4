import { z } from "zod";

import { AppError } from "~/lib/errors";
import { COPY_LIMITS } from "~/services/content/copy/limits";
import { reviewReasonFor, sanitizeCopy } from "~/services/content/copy/sanitize";
import type { Db } from "~/services/types";

const L = COPY_LIMITS;

function bounded(label: string, { min, max }: { min: number; max: number }) {
  return z
    .string()
    .trim()
    .min(min, `${label} needs at least ${min} characters`)
    .max(max, `${label} must be at most ${max} characters`);
}

function listOf(
  noun: string,
  plural: string,
  limits: { minItems: number; maxItems: number; min: number; max: number },
) {
  return z
    .array(
      z
        .string()
        .min(limits.min, `Each ${noun} needs at least ${limits.min} characters`)
        .max(limits.max, `Each ${noun} must be at most ${limits.max} characters`),
    )
    .min(limits.minItems, `Add at least ${limits.minItems} ${plural}, one per line`)
    .max(limits.maxItems, `Keep it to ${limits.maxItems} ${plural} at most`);
}

/** The fields a merchant may edit, held to the same limits as generated copy (copy/limits.ts). */
export const DraftEdit = z.object({
  metaTitle: bounded("The SEO title", L.metaTitle),
  metaDescription: bounded("The SEO description", L.metaDescription),
  shortDescription: bounded("The short description", L.shortDescription),
  // A merchant may write a shorter description than the model must; it may not be empty.
  descriptionHtml: z
    .string()
    .trim()
    .min(1, "The description cannot be empty")
    .max(
      L.descriptionHtml.max,
      `The description must be at most ${L.descriptionHtml.max.toLocaleString("en")} characters`,
    ),
  features: listOf("feature", "features", L.features),
  useCases: listOf("use case", "use cases", L.useCases),
  seoKeywords: listOf("keyword", "keywords", L.seoKeywords),
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
  const text = (key: string) => (typeof form[key] === "string" ? form[key] : "");
  // Lists arrive one item per line; a list the form leaves out stays as it is.
  const lines = (key: string, current: string[]) =>
    typeof form[key] === "string"
      ? form[key]
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
      : current;
  const { copy, findings } = sanitizeCopy(
    {
      descriptionHtml: text("descriptionHtml"),
      shortDescription: text("shortDescription"),
      metaTitle: text("metaTitle"),
      metaDescription: text("metaDescription"),
      features: lines("features", draft.features),
      useCases: lines("useCases", draft.useCases),
      seoKeywords: lines("seoKeywords", draft.keywords),
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
  const { seoKeywords, ...rest } = parsed.data;
  const updated = await db.contentVersion.updateMany({
    where: { id: versionId, status: "DRAFT", productContent: { shopDomain: shop } },
    data: {
      ...rest,
      keywords: seoKeywords,
      // A regeneration's note says what this version was asked for; an edit keeps it.
      note: draft.note ?? "Edited by the merchant",
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
