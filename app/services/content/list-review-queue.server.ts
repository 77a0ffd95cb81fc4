import type { Db } from "~/services/types";

export interface ReviewItem {
  productContentId: string;
  productId: string;
  title: string;
  draft: {
    id: string;
    version: number;
    metaTitle: string;
    metaDescription: string;
    shortDescription: string;
    descriptionHtml: string;
    /** Why it waits for the merchant beyond the shop's mode (e.g. unsafe markup was removed). */
    reviewReason: string | null;
  };
  live: { version: number; metaTitle: string; shortDescription: string } | null;
}

/** Drafts waiting for the merchant, each beside what is live now. */
export async function listReviewQueue({ db, shop }: { db: Db; shop: string }): Promise<ReviewItem[]> {
  const rows = await db.productContent.findMany({
    where: { shopDomain: shop, versions: { some: { status: { in: ["DRAFT", "PUBLISHING"] } } } },
    include: { versions: { where: { status: { in: ["DRAFT", "PUBLISHING", "LIVE"] } }, orderBy: { version: "desc" } } },
    orderBy: { updatedAt: "desc" },
    take: 100,
  });
  return rows.flatMap((row) => {
    const draft = row.versions.find((version) => version.status === "DRAFT" || version.status === "PUBLISHING");
    if (!draft) return [];
    const live = row.versions.find((version) => version.status === "LIVE");
    return [
      {
        productContentId: row.id,
        productId: row.productId,
        title: row.title,
        draft: {
          id: draft.id,
          version: draft.version,
          metaTitle: draft.metaTitle,
          metaDescription: draft.metaDescription,
          shortDescription: draft.shortDescription,
          descriptionHtml: draft.descriptionHtml,
          reviewReason: draft.reviewReason,
        },
        live: live
          ? { version: live.version, metaTitle: live.metaTitle, shortDescription: live.shortDescription }
          : null,
      },
    ];
  });
}
