import { randomUUID } from "node:crypto";

import type { ContentVersion, ProductContent } from "@prisma/client";

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
 *
 * One statement: setting older drafts aside, inserting the version (numbered after the product's
 * highest) and updating the product are atomic, where a Prisma transaction took four round trips
 * and an aggregate read a fifth (docs/decisions/020). A concurrent draft of the same product fails
 * on the (productContentId, version) key and nothing is written, as the transaction did.
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
}: Options): Promise<ContentVersion & { productContent: ProductContent }> {
  const now = new Date();
  const id = randomUUID();
  const status = record.liveVersionId ? "LIVE" : "DRAFT";
  const [row] = await db.$queryRaw<Array<ProductContent & { newVersion: number }>>`
    WITH set_aside AS (
      UPDATE "ContentVersion" SET "status" = 'REJECTED'
      WHERE "productContentId" = ${record.id} AND "status" = 'DRAFT'
    ), created AS (
      INSERT INTO "ContentVersion" (
        "id", "productContentId", "version", "status", "descriptionHtml", "shortDescription", "features",
        "useCases", "keywords", "metaTitle", "metaDescription", "factsHash", "note", "reviewReason", "model",
        "promptTokens", "completionTokens", "createdAt")
      VALUES (
        ${id}, ${record.id},
        (SELECT COALESCE(max("version"), 0) + 1 FROM "ContentVersion" WHERE "productContentId" = ${record.id}),
        'DRAFT', ${copy.descriptionHtml}, ${copy.shortDescription}, ${copy.features}::text[],
        ${copy.useCases}::text[], ${copy.seoKeywords}::text[], ${copy.metaTitle}, ${copy.metaDescription},
        ${factsHash}, ${note ?? null}, ${reviewReason ?? null}, ${model}, ${usage.promptTokens},
        ${usage.completionTokens}, ${now})
      RETURNING "version"
    ), product AS (
      UPDATE "ProductContent"
      SET "status" = CAST(${status} AS "ContentStatus"), "title" = ${title}, "factsHash" = ${factsHash},
          "skippedReason" = NULL, "updatedAt" = ${now}
      WHERE "id" = ${record.id}
      RETURNING *
    )
    SELECT (SELECT "version" FROM created) AS "newVersion", product.* FROM product`;
  if (!row) throw new Error(`product content ${record.id} disappeared while its draft was written`);
  const { newVersion, ...productContent } = row;
  const version: ContentVersion = {
    id,
    productContentId: record.id,
    version: newVersion,
    status: "DRAFT",
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
    createdAt: now,
    claimedAt: null,
    publishedAt: null,
  };
  return { ...version, productContent };
}
