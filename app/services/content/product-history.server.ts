import { AppError } from "~/lib/errors";
import { diffAgainstLive, type ComparableCopy, type FieldDiff } from "~/services/content/copy-diff";
import { displayableHtml } from "~/services/content/copy/sanitize";
import type { Db } from "~/services/types";

/** The shop's content record for a product; another shop's id is "not found". */
export async function findProductContent({
  db,
  shop,
  productContentId,
}: {
  db: Db;
  shop: string;
  productContentId: string;
}) {
  const record = await db.productContent.findFirst({ where: { id: productContentId, shopDomain: shop } });
  if (!record) {
    throw new AppError("RESOURCE_NOT_FOUND", `no content ${productContentId} for ${shop}`, {
      userMessage: "That product's copy could not be found.",
    });
  }
  return record;
}

/** A product's content record with every version, newest first. */
export async function productHistory({
  db,
  shop,
  productContentId,
}: {
  db: Db;
  shop: string;
  productContentId: string;
}) {
  const record = await findProductContent({ db, shop, productContentId });
  const versions = await db.contentVersion.findMany({
    where: { productContentId: record.id },
    orderBy: { version: "desc" },
  });
  return { ...record, versions };
}

/**
 * One version as the history page shows it: in full, with what it changes against the live copy.
 * `descriptionHtml` is sanitised again for display (stored copy may predate today's allow-list).
 */
export interface HistoryVersion extends ComparableCopy {
  id: string;
  version: number;
  status: "DRAFT" | "PUBLISHING" | "LIVE" | "SUPERSEDED" | "REJECTED";
  note: string | null;
  reviewReason: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  /** Null for the live version itself, or when nothing is live. */
  changes: FieldDiff[] | null;
}

/** A product's copy history for the merchant: every version, newest first, each against the live one. */
export async function copyHistory(options: { db: Db; shop: string; productContentId: string }) {
  const record = await productHistory(options);
  const live = record.versions.find((version) => version.status === "LIVE") ?? null;
  const versions: HistoryVersion[] = record.versions.map((version) => ({
    id: version.id,
    version: version.version,
    status: version.status,
    descriptionHtml: displayableHtml(version.descriptionHtml),
    shortDescription: version.shortDescription,
    features: version.features,
    useCases: version.useCases,
    keywords: version.keywords,
    metaTitle: version.metaTitle,
    metaDescription: version.metaDescription,
    note: version.note,
    reviewReason: version.reviewReason,
    createdAt: version.createdAt,
    publishedAt: version.publishedAt,
    changes: live && live.id !== version.id ? diffAgainstLive(live, version) : null,
  }));
  return { title: record.title, productId: record.productId, liveVersion: live?.version ?? null, versions };
}
