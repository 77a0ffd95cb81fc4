import type { ContentVersion, ProductContent } from "@prisma/client";

import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { hasFindings, sanitizeForWrite } from "~/services/content/copy/sanitize";
import { descriptionFingerprint } from "~/services/content/product-fingerprint";
import type { Store } from "~/services/store";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  store: Store;
  shop: string;
  versionId: string;
  /** The version with its product, when the caller has just read or written it. */
  version?: ContentVersion & { productContent: ProductContent };
}

/**
 * A claim this old belongs to an attempt that died. A write takes seconds, but its retries and
 * Shopify's throttling can stretch one to tens of seconds; a stalled job is retried after 30 s and
 * then backs off, so it comes back after the claim has gone stale.
 */
export const STALE_CLAIM_MS = 60_000;

const markerOf = (version: { productContentId: string; version: number }) =>
  `${version.productContentId}:${version.version}`;

type PublishableVersion = ContentVersion & { productContent: ProductContent };

/**
 * Publishes a version with one write to the store and records it as live. The version is claimed
 * (DRAFT/SUPERSEDED/REJECTED -> PUBLISHING, stamped with claimedAt) in one statement first, so a
 * retried or duplicated job cannot write twice; a failed write hands the claim back. A claim left
 * by an attempt that died mid-write is finished by a later attempt: if the store already carries
 * this version's marker the write happened and is only recorded, otherwise it is made. Every step
 * after the claim is conditional on still holding it.
 */
export async function publishContentVersion({ db, store, shop, versionId, version: known }: Options) {
  const version =
    known ?? (await db.contentVersion.findUnique({ where: { id: versionId }, include: { productContent: true } }));
  if (!version || version.productContent.shopDomain !== shop) {
    throw new AppError("RESOURCE_NOT_FOUND", `no content version ${versionId}`, {
      userMessage: "That version no longer exists.",
    });
  }
  if (version.status === "LIVE") return { published: false as const, reason: "already live" };
  const now = new Date();
  const interrupted = version.status === "PUBLISHING";
  if (interrupted && version.claimedAt && version.claimedAt.getTime() > now.getTime() - STALE_CLAIM_MS) {
    // Someone else is writing it; come back once that write is recorded or its claim goes stale.
    throw new AppError("CONTENT_BEING_PUBLISHED", `version ${versionId} is being published by another job`, {
      retryable: true,
      userMessage: "This copy is being published right now.",
    });
  }
  // Taking over a dead attempt's claim is conditional on that claim too: only one job wins it.
  const claim = await db.contentVersion.updateMany({
    where: interrupted
      ? { id: versionId, status: "PUBLISHING", claimedAt: version.claimedAt }
      : { id: versionId, status: { in: ["DRAFT", "SUPERSEDED", "REJECTED"] } },
    data: { status: "PUBLISHING", claimedAt: now },
  });
  if (claim.count === 0) return { published: false as const, reason: `version is ${version.status.toLowerCase()}` };

  let storedDescriptionHtml: string;
  try {
    const current = interrupted ? await store.publishedCopy(version.productContent.productId) : null;
    if (current && current.versionMarker === markerOf(version)) {
      storedDescriptionHtml = current.descriptionHtml;
    } else {
      const written = await store.publishProductCopy(version.productContent.productId, safeCopyOf(version, shop));
      storedDescriptionHtml = written.storedDescriptionHtml;
    }
  } catch (error) {
    await db.contentVersion.updateMany({
      where: { id: versionId, status: "PUBLISHING", claimedAt: now },
      data: { status: interrupted ? "DRAFT" : version.status, claimedAt: null },
    });
    throw error;
  }
  const recorded = await recordLive(db, version, storedDescriptionHtml, now);
  return recorded ? { published: true as const } : { published: false as const, reason: "claim was taken over" };
}

/**
 * The version as the store gets it, through the sanitiser once more: whatever a row holds
 * (written before sanitising existed, or by a path that forgot), the storefront never gets more
 * than the allow-list.
 */
function safeCopyOf(version: PublishableVersion, shop: string) {
  const { copy, findings } = sanitizeForWrite({
    descriptionHtml: version.descriptionHtml,
    shortDescription: version.shortDescription,
    features: version.features,
    useCases: version.useCases,
    keywords: version.keywords,
    metaTitle: version.metaTitle,
    metaDescription: version.metaDescription,
    versionMarker: markerOf(version),
  });
  if (hasFindings(findings)) {
    logger.warn(
      { shop, versionId: version.id, markup: findings.markup },
      "stored copy needed sanitising before its write",
    );
  }
  return copy;
}

async function recordLive(db: Db, version: PublishableVersion, storedDescriptionHtml: string, claimedAt: Date) {
  return db.$transaction(async (tx) => {
    const won = await tx.contentVersion.updateMany({
      where: { id: version.id, status: "PUBLISHING", claimedAt },
      data: { status: "LIVE", publishedAt: new Date() },
    });
    if (won.count === 0) return false;
    await tx.contentVersion.updateMany({
      where: { productContentId: version.productContentId, status: "LIVE", id: { not: version.id } },
      data: { status: "SUPERSEDED" },
    });
    await tx.productContent.update({
      where: { id: version.productContentId },
      data: {
        status: "LIVE",
        liveVersionId: version.id,
        writtenDescriptionHash: descriptionFingerprint(storedDescriptionHtml),
      },
    });
    return true;
  });
}
