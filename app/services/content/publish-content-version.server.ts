import type { ContentVersion, ProductContent } from "@prisma/client";

import { AppError } from "~/lib/errors";
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

/** A claim this old belongs to an attempt that died (a write takes seconds; a stalled job is retried after 30 s). */
export const STALE_CLAIM_MS = 15_000;

const markerOf = (version: { productContentId: string; version: number }) =>
  `${version.productContentId}:${version.version}`;

/**
 * Publishes a version with one write to the store and records it as live. The version is claimed
 * (DRAFT/SUPERSEDED/REJECTED -> PUBLISHING) in one statement first, so a retried or duplicated job cannot
 * write twice; a failed write hands the claim back. A claim left by an attempt that died mid-write
 * is finished by the next attempt: if the store already carries this version's marker the write
 * happened and is only recorded, otherwise it is made.
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
    return { published: false as const, reason: "another job is publishing it" };
  }
  // Taking over a dead attempt's claim is conditional on that claim too: only one job wins it.
  const claim = await db.contentVersion.updateMany({
    where: interrupted
      ? { id: versionId, status: "PUBLISHING", claimedAt: version.claimedAt }
      : { id: versionId, status: { in: ["DRAFT", "SUPERSEDED", "REJECTED"] } },
    data: { status: "PUBLISHING", claimedAt: now },
  });
  if (claim.count === 0) return { published: false as const, reason: `version is ${version.status.toLowerCase()}` };

  if (interrupted) {
    const current = await store.publishedCopy(version.productContent.productId);
    if (current?.versionMarker === markerOf(version)) {
      await recordLive(db, version, current.descriptionHtml, now);
      return { published: true as const, recovered: true };
    }
  }

  let stored: { storedDescriptionHtml: string };
  try {
    stored = await store.publishProductCopy(version.productContent.productId, {
      descriptionHtml: version.descriptionHtml,
      shortDescription: version.shortDescription,
      features: version.features,
      useCases: version.useCases,
      keywords: version.keywords,
      metaTitle: version.metaTitle,
      metaDescription: version.metaDescription,
      versionMarker: markerOf(version),
    });
  } catch (error) {
    const handBack = interrupted ? "DRAFT" : version.status;
    await db.contentVersion.update({ where: { id: versionId }, data: { status: handBack, claimedAt: null } });
    throw error;
  }
  await recordLive(db, version, stored.storedDescriptionHtml, now);
  return { published: true as const };
}

async function recordLive(
  db: Db,
  version: ContentVersion & { productContent: ProductContent },
  storedDescriptionHtml: string,
  now: Date,
) {
  await db.$transaction([
    db.contentVersion.updateMany({
      where: { productContentId: version.productContentId, status: "LIVE" },
      data: { status: "SUPERSEDED" },
    }),
    db.contentVersion.update({ where: { id: version.id }, data: { status: "LIVE", publishedAt: now } }),
    db.productContent.update({
      where: { id: version.productContentId },
      data: {
        status: "LIVE",
        liveVersionId: version.id,
        writtenDescriptionHash: descriptionFingerprint(storedDescriptionHtml),
      },
    }),
  ]);
}
