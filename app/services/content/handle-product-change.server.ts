import { Prisma, type ProductContent } from "@prisma/client";

import { AppError } from "~/lib/errors";
import { createDraftVersion } from "~/services/content/create-draft-version.server";
import { generateProductCopy } from "~/services/content/generate-product-copy.server";
import { copyVoice } from "~/services/content/copy-voice.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { tokenCapReached } from "~/services/usage/monthly-usage.server";
import { publishContentVersion } from "~/services/content/publish-content-version.server";
import type { CatalogStore, ProductFacts } from "~/services/ports/catalog";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";
import type { Llm } from "~/services/ports/llm";

export interface ProductChange {
  /** "bulk-run": a merchant's bulk run asked for this product's copy. */
  kind: "created" | "updated" | "bulk-run";
  productId: string;
  /** Fingerprints of the product as the change reported it (see app/webhook-jobs.server.ts). */
  factsHash: string;
  descriptionHash: string;
  /** When the store last changed the product, as the change reported it (webhooks only). */
  updatedAt?: string;
}

interface Options {
  db: Db;
  store: CatalogStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  change: ProductChange;
  /** The product's facts when the caller has already read them (a bulk run fingerprints them). */
  facts?: ProductFacts;
}

export const CAP_REACHED = "Paused: this month's token cap is used up.";

export type ChangeOutcome =
  | { outcome: "echo" | "unchanged" | "edit-ignored" | "paused" }
  | { outcome: "skipped"; reason: string }
  /** `tokens`: what this change's new copy cost (absent when an earlier attempt's draft is published). */
  | { outcome: "drafted" | "published"; versionId: string; tokens?: number };

/**
 * A product was created or edited: decide whether it needs copy, write it, and draft or publish
 * it. Never loops (the echo of our own write is recognised), never spends tokens on an unchanged
 * product, and never overwrites a merchant's description unless the shop asked for that.
 */
export async function handleProductChange({
  db,
  store,
  llm,
  shop,
  change,
  facts: known,
}: Options): Promise<ChangeOutcome> {
  const key = { shopDomain_productId: { shopDomain: shop, productId: change.productId } };
  const at = change.updatedAt ? new Date(change.updatedAt) : null;
  // A new product gets its row in one statement, its updated_at claimed with it (nothing newer can
  // have been seen for a row that did not exist).
  const created = change.kind === "created" ? await createRecord(db, shop, change.productId, at) : null;
  // A delivery older than one already processed (Shopify does not order deliveries, and a captured
  // body can be replayed) must not roll the product's facts back: claim its updated_at, atomically,
  // only if no newer one was seen. Equal is allowed: create and update often report one instant.
  // Most updates are echoes of a product the app already knows: it is read and claimed in one
  // statement, before anything else is written.
  const claim = created || !at ? null : await claimKnownProduct(db, shop, change.productId, at);
  if (claim && !claim.claimed) return { outcome: "unchanged" };
  const record =
    created ??
    claim?.record ??
    (change.kind === "created" || at ? null : await db.productContent.findUnique({ where: key })) ??
    (await db.productContent.upsert({
      where: key,
      create: { shopDomain: shop, productId: change.productId, title: "" },
      update: {},
    }));
  if (at && !created && !claim && !(await claimSourceUpdate(db, record.id, at))) return { outcome: "unchanged" };
  // Our own write's echo carries our description and unchanged facts; a merchant's edit of the
  // facts alone (description untouched) is not an echo.
  if (
    record.writtenDescriptionHash &&
    record.writtenDescriptionHash === change.descriptionHash &&
    record.factsHash === change.factsHash
  )
    return { outcome: "echo" };
  const settings = await loadContentSettings(db, shop);
  // A product skipped for its existing description has not had copy for these facts yet.
  if (record.factsHash === change.factsHash && record.status !== "SKIPPED") {
    // A retry of a job that wrote its draft but could not publish it yet (out of Admin API budget,
    // or killed mid-write) finishes the publish instead of stopping at "unchanged".
    const unpublished = await db.contentVersion.findFirst({
      where: {
        productContentId: record.id,
        status: { in: ["DRAFT", "PUBLISHING"] },
        factsHash: change.factsHash,
        note: null,
        // Copy that had to be cleaned waits for the merchant.
        reviewReason: null,
      },
      orderBy: { version: "desc" },
    });
    if (!unpublished || settings.contentMode !== "AUTO_PUBLISH") return { outcome: "unchanged" };
    const { published } = await publishContentVersion({
      db,
      store,
      shop,
      versionId: unpublished.id,
      version: { ...unpublished, productContent: record },
    });
    return published ? { outcome: "published", versionId: unpublished.id } : { outcome: "unchanged" };
  }

  if (change.kind === "updated" && record.factsHash && !settings.regenerateOnEdit) return { outcome: "edit-ignored" };

  if (await tokenCapReached({ db, shop, cap: settings.monthlyTokenCap })) {
    // Nothing is lost: the dashboard shows the pause, and resuming queues every paused product.
    await db.productContent.update({
      where: { id: record.id },
      data: { status: "PAUSED", skippedReason: CAP_REACHED },
    });
    return { outcome: "paused" };
  }

  const facts = known ?? (await store.product(change.productId));
  if (!facts) {
    await db.productContent.update({ where: { id: record.id }, data: { status: "FAILED", skippedReason: "deleted" } });
    throw new AppError("RESOURCE_NOT_FOUND", `product ${change.productId} no longer exists`, {
      userMessage: "The product was deleted before its copy could be written.",
    });
  }
  if (facts.descriptionHtml.trim() && !settings.overwriteDescriptions && !record.liveVersionId) {
    const reason = "The product already has a description, and overwriting is off.";
    await db.productContent.update({
      where: { id: record.id },
      data: { status: "SKIPPED", skippedReason: reason, title: facts.title, factsHash: change.factsHash },
    });
    return { outcome: "skipped", reason };
  }

  const { copy, reviewReason, usage, model } = await generateProductCopy({
    llm,
    shop,
    facts,
    voice: await copyVoice({ store, shop, settings }),
  });
  const version = await createDraftVersion({
    db,
    record,
    title: facts.title,
    copy,
    reviewReason,
    usage,
    model,
    factsHash: change.factsHash,
  });

  // Copy that had to be cleaned goes to review even in auto-publish mode, with its reason.
  const tokens = usage.promptTokens + usage.completionTokens;
  if (settings.contentMode !== "AUTO_PUBLISH" || version.reviewReason)
    return { outcome: "drafted", versionId: version.id, tokens };
  await publishContentVersion({ db, store, shop, versionId: version.id, version });
  return { outcome: "published", versionId: version.id, tokens };
}

/**
 * The product's row, created with `sourceUpdatedAt` already claimed; null when it exists already
 * (another delivery for the product came first). One INSERT, where an upsert is a transaction of
 * four statements (docs/decisions/020).
 */
async function createRecord(db: Db, shop: string, productId: string, at: Date | null) {
  try {
    return await db.productContent.create({ data: { shopDomain: shop, productId, title: "", sourceUpdatedAt: at } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}

/**
 * The product's row and whether this delivery's updated_at was claimed for it (unless a newer one
 * was processed); null when the app has no row for the product yet. One statement where a read
 * and a claim took two (docs/decisions/020). A concurrent claim of the same row waits for the
 * first and is then checked against its updated_at, so only one of two racing deliveries wins.
 */
async function claimKnownProduct(db: Db, shop: string, productId: string, at: Date) {
  const [row] = await db.$queryRaw<Array<ProductContent & { claimed: boolean }>>`
    WITH claimed AS (
      UPDATE "ProductContent" SET "sourceUpdatedAt" = ${at}, "updatedAt" = ${new Date()}
      WHERE "shopDomain" = ${shop} AND "productId" = ${productId}
        AND ("sourceUpdatedAt" IS NULL OR "sourceUpdatedAt" <= ${at})
      RETURNING *
    )
    SELECT *, true AS "claimed" FROM claimed
    UNION ALL
    SELECT *, false AS "claimed" FROM "ProductContent"
    WHERE "shopDomain" = ${shop} AND "productId" = ${productId} AND NOT EXISTS (SELECT 1 FROM claimed)`;
  if (!row) return null;
  const { claimed, ...record } = row;
  return { record, claimed };
}

/**
 * Claims a delivery's updated_at for the product unless a newer one was processed. One UPDATE:
 * Prisma runs an updateMany as BEGIN, UPDATE, COMMIT (docs/decisions/020).
 */
async function claimSourceUpdate(db: Db, id: string, at: Date): Promise<boolean> {
  const claimed = await db.$executeRaw`
    UPDATE "ProductContent" SET "sourceUpdatedAt" = ${at}, "updatedAt" = ${new Date()}
    WHERE "id" = ${id} AND ("sourceUpdatedAt" IS NULL OR "sourceUpdatedAt" <= ${at})`;
  return claimed > 0;
}
