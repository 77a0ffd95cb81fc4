import type { ProductContent } from "@prisma/client";

import type { SanitizedCopy } from "~/services/content/copy/sanitize";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  record: ProductContent;
  title: string;
  /** Only sanitised copy is stored (copy/sanitize.ts). */
  copy: SanitizedCopy;
  /** Why this copy must wait for the merchant whatever the shop's mode, or null. */
  reviewReason?: string | null;
  usage: { promptTokens: number; completionTokens: number };
  model: string;
  factsHash: string;
  note?: string | null;
}

/**
 * Stores generated copy as the product's next draft. Older drafts are set aside (rejected), so
 * the review queue always shows one draft per product: the newest.
 */
export async function createDraftVersion({
  db,
  record,
  title,
  copy,
  reviewReason,
  usage,
  model,
  factsHash,
  note,
}: Options) {
  // A product never written for (no facts recorded, nothing live) has no versions yet.
  const first = record.factsHash === null && record.liveVersionId === null;
  const latest = first
    ? null
    : await db.contentVersion.aggregate({ where: { productContentId: record.id }, _max: { version: true } });
  const create = db.contentVersion.create({
    data: {
      productContentId: record.id,
      version: (latest?._max.version ?? 0) + 1,
      descriptionHtml: copy.descriptionHtml,
      shortDescription: copy.shortDescription,
      features: copy.features,
      useCases: copy.useCases,
      keywords: copy.seoKeywords,
      metaTitle: copy.metaTitle,
      metaDescription: copy.metaDescription,
      factsHash,
      note: note ?? null,
      reviewReason: reviewReason ?? null,
      model,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    },
  });
  const update = db.productContent.update({
    where: { id: record.id },
    data: { status: record.liveVersionId ? "LIVE" : "DRAFT", title, factsHash, skippedReason: null },
  });
  if (first) {
    const [version, updated] = await db.$transaction([create, update]);
    return { ...version, productContent: updated };
  }
  const setAside = db.contentVersion.updateMany({
    where: { productContentId: record.id, status: "DRAFT" },
    data: { status: "REJECTED" },
  });
  const [, version, updated] = await db.$transaction([setAside, create, update]);
  return { ...version, productContent: updated };
}
