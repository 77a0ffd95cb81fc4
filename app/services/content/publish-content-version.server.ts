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

/**
 * Publishes a version with one write to the store and records it as live. The version is claimed
 * (DRAFT/SUPERSEDED/REJECTED -> PUBLISHING) in one statement first, so a retried or duplicated job cannot
 * write twice; a failed write hands the claim back.
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
  const claim = await db.contentVersion.updateMany({
    where: { id: versionId, status: { in: ["DRAFT", "SUPERSEDED", "REJECTED"] } },
    data: { status: "PUBLISHING" },
  });
  if (claim.count === 0) return { published: false as const, reason: `version is ${version.status.toLowerCase()}` };

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
      versionMarker: `${version.productContentId}:${version.version}`,
    });
  } catch (error) {
    await db.contentVersion.update({ where: { id: versionId }, data: { status: version.status } });
    throw error;
  }

  const now = new Date();
  await db.$transaction([
    db.contentVersion.updateMany({
      where: { productContentId: version.productContentId, status: "LIVE" },
      data: { status: "SUPERSEDED" },
    }),
    db.contentVersion.update({ where: { id: versionId }, data: { status: "LIVE", publishedAt: now } }),
    db.productContent.update({
      where: { id: version.productContentId },
      data: {
        status: "LIVE",
        liveVersionId: versionId,
        writtenDescriptionHash: descriptionFingerprint(stored.storedDescriptionHtml),
      },
    }),
  ]);
  return { published: true as const };
}
