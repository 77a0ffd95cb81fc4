import type { ContentVersion, ProductContent } from "@prisma/client";

import { env } from "~/config/env.server";
import { AppError, isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { hasFindings, sanitizeForWrite } from "~/services/content/copy/sanitize";
import { descriptionFingerprint } from "~/services/content/product-fingerprint";
import type { CatalogStore } from "~/services/ports/catalog";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  store: CatalogStore;
  shop: string;
  versionId: string;
  /** The version with its product, when the caller has just read or written it. */
  version?: ContentVersion & { productContent: ProductContent };
  /** How old a claim must be to be taken over: staleClaimMs(the store's call timeout). */
  claimWindowMs?: number;
}

/**
 * How old a claim must be before another attempt may take it over, from the longest one store
 * call may take (the Admin client's ADMIN_API_TIMEOUT_MS, pacing and retries included). Between
 * claiming and recording, an attempt makes at most two store calls (the marker read after a
 * take-over, then the write), so no live attempt holds a claim longer than 2 x timeout; the extra
 * half a timeout is the margin for Shopify to finish or drop a write the client gave up on.
 * 30 s -> 75 s. docs/decisions/011.
 */
export function staleClaimMs(storeCallTimeoutMs: number): number {
  return Math.ceil(storeCallTimeoutMs * 2.5);
}

/** The window for the configured Admin API timeout (ADMIN_API_TIMEOUT_MS, default 30 s -> 75 s). */
export const configuredClaimWindowMs = () => staleClaimMs(env().ADMIN_API_TIMEOUT_MS);

/**
 * Whether a failed store call may still have written: a call that timed out on the wire or lost
 * its connection. Such a failure keeps the claim, so the next attempt waits out the window and
 * checks the product's marker before writing (never a second write of the same version).
 */
function mayHaveWritten(error: unknown): boolean {
  if (!isAppError(error) || error.details.sent === true) return true;
  if (isAppError(error, "ADMIN_API_TIMEOUT")) return error.details.sent !== false;
  return isAppError(error, "ADMIN_API_NETWORK_ERROR");
}

/**
 * The publish job id for one approval of a version. `claimedAt` is when the version was last
 * claimed (a failed publish hands the version back and keeps that stamp), so approving again after
 * a failure queues a new job, while a repeated click on the same approval dedupes.
 */
export function publishJobId(version: { id: string; claimedAt: Date | null }): string {
  return `publish-${version.id}-${version.claimedAt?.getTime() ?? 0}`;
}

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
export async function publishContentVersion({
  db,
  store,
  shop,
  versionId,
  version: known,
  claimWindowMs = configuredClaimWindowMs(),
}: Options) {
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
  if (interrupted && version.claimedAt && version.claimedAt.getTime() > now.getTime() - claimWindowMs) {
    // Someone else is writing it; come back once that write is recorded or its claim goes stale
    // (the job harness reschedules this without spending an attempt, docs/decisions/011).
    throw new AppError("CONTENT_BEING_PUBLISHED", `version ${versionId} is being published by another job`, {
      retryable: true,
      userMessage: "This copy is being published right now.",
      details: { retryInMs: version.claimedAt.getTime() + claimWindowMs - now.getTime() + 100 },
    });
  }
  // Taking over a dead attempt's claim is conditional on that claim too: only one job wins it.
  // One UPDATE each (Prisma runs an updateMany as BEGIN, UPDATE, COMMIT: docs/decisions/020).
  const claimed = interrupted
    ? await db.$executeRaw`
        UPDATE "ContentVersion" SET "status" = 'PUBLISHING', "claimedAt" = ${now}
        WHERE "id" = ${versionId} AND "status" = 'PUBLISHING' AND "claimedAt" = ${version.claimedAt}`
    : await db.$executeRaw`
        UPDATE "ContentVersion" SET "status" = 'PUBLISHING', "claimedAt" = ${now}
        WHERE "id" = ${versionId} AND "status" IN ('DRAFT', 'SUPERSEDED', 'REJECTED')`;
  if (claimed === 0) return { published: false as const, reason: `version is ${version.status.toLowerCase()}` };

  let storedDescriptionHtml: string;
  try {
    const current = interrupted ? await store.publishedCopy(version.productContent.productId) : null;
    if (current && current.versionMarker === markerOf(version)) {
      storedDescriptionHtml = current.descriptionHtml;
    } else if (interrupted && (await newerLiveVersion(db, version))) {
      // The dead attempt's write never landed, and since it claimed, another version of the product
      // (a restore, or copy for newer facts) went live: writing this one now would put back copy
      // the merchant or the pipeline has replaced. It steps aside instead.
      await db.contentVersion.updateMany({
        where: { id: versionId, status: "PUBLISHING", claimedAt: now },
        data: { status: "SUPERSEDED" },
      });
      return { published: false as const, reason: "a newer version went live meanwhile" };
    } else {
      const written = await store.publishProductCopy(version.productContent.productId, safeCopyOf(version, shop));
      storedDescriptionHtml = written.storedDescriptionHtml;
    }
  } catch (error) {
    // A write that may have landed keeps the claim (see mayHaveWritten); any other failure hands
    // it back, keeping claimedAt as when it was last claimed (publishJobId).
    if (!mayHaveWritten(error)) {
      await db.contentVersion.updateMany({
        where: { id: versionId, status: "PUBLISHING", claimedAt: now },
        data: { status: interrupted ? "DRAFT" : version.status },
      });
    }
    throw error;
  }
  const recorded = await recordLive(db, version, storedDescriptionHtml, now);
  return recorded ? { published: true as const } : { published: false as const, reason: "claim was taken over" };
}

/** Whether another version of the same product went live after this version's (dead) claim. */
async function newerLiveVersion(db: Db, version: PublishableVersion): Promise<boolean> {
  if (!version.claimedAt) return false;
  const newer = await db.contentVersion.count({
    where: {
      productContentId: version.productContentId,
      id: { not: version.id },
      status: "LIVE",
      publishedAt: { gt: version.claimedAt },
    },
  });
  return newer > 0;
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

/**
 * Records the write: the version goes live if this attempt still holds its claim, the product's
 * previous live version is superseded and the product points at the new one. One statement (its
 * three updates are atomic, and the last two only run when the first won), where a Prisma
 * transaction took five round trips (docs/decisions/020).
 */
async function recordLive(db: Db, version: PublishableVersion, storedDescriptionHtml: string, claimedAt: Date) {
  const now = new Date();
  const [result] = await db.$queryRaw<Array<{ won: number }>>`
    WITH won AS (
      UPDATE "ContentVersion" SET "status" = 'LIVE', "publishedAt" = ${now}
      WHERE "id" = ${version.id} AND "status" = 'PUBLISHING' AND "claimedAt" = ${claimedAt}
      RETURNING "id"
    ), superseded AS (
      UPDATE "ContentVersion" SET "status" = 'SUPERSEDED'
      WHERE "productContentId" = ${version.productContentId} AND "status" = 'LIVE' AND "id" <> ${version.id}
        AND EXISTS (SELECT 1 FROM won)
    ), product AS (
      UPDATE "ProductContent"
      SET "status" = 'LIVE', "liveVersionId" = ${version.id},
          "writtenDescriptionHash" = ${descriptionFingerprint(storedDescriptionHtml)}, "updatedAt" = ${now}
      WHERE "id" = ${version.productContentId} AND EXISTS (SELECT 1 FROM won)
    )
    SELECT count(*)::int AS won FROM won`;
  return (result?.won ?? 0) > 0;
}
