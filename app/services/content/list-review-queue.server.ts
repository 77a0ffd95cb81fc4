import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { displayableHtml } from "~/services/content/copy/sanitize";
import type { CatalogStore } from "~/services/ports/catalog";
import type { Db } from "~/services/types";

/** The product's description in the store right now, as the merchant compares the draft with it. */
export type CurrentDescription = { status: "loaded"; html: string } | { status: "gone" } | { status: "unavailable" };

/** The most drafts one page shows (and so the most one "approve all" covers). */
export const REVIEW_QUEUE_LIMIT = 100;

export interface ReviewItem {
  productContentId: string;
  productId: string;
  title: string;
  /** What the product page says today, whoever wrote it (sanitised for display). */
  before: CurrentDescription;
  draft: {
    id: string;
    version: number;
    /** Approved, and being written to the store now. */
    publishing: boolean;
    metaTitle: string;
    metaDescription: string;
    shortDescription: string;
    /** As stored (the editor's starting point). */
    descriptionHtml: string;
    /** What the admin renders. */
    displayHtml: string;
    features: string[];
    useCases: string[];
    keywords: string[];
    note: string | null;
    /** Why it waits for the merchant beyond the shop's mode (e.g. unsafe markup was removed). */
    reviewReason: string | null;
  };
}

/**
 * Drafts waiting for the merchant, each beside the product's description as the store has it
 * now, read in one batch for the page. If the store cannot answer, the drafts still show.
 */
export async function listReviewQueue({
  db,
  store,
  shop,
}: {
  db: Db;
  store: Pick<CatalogStore, "currentDescriptions">;
  shop: string;
}): Promise<ReviewItem[]> {
  const rows = await db.productContent.findMany({
    where: { shopDomain: shop, versions: { some: { status: { in: ["DRAFT", "PUBLISHING"] } } } },
    include: { versions: { where: { status: { in: ["DRAFT", "PUBLISHING"] } }, orderBy: { version: "desc" } } },
    orderBy: { updatedAt: "desc" },
    take: REVIEW_QUEUE_LIMIT,
  });
  const current = await currentDescriptions(
    store,
    shop,
    rows.map((row) => row.productId),
  );
  return rows.flatMap((row) => {
    const draft = row.versions[0];
    if (!draft) return [];
    return [
      {
        productContentId: row.id,
        productId: row.productId,
        title: row.title,
        before: current(row.productId),
        draft: {
          id: draft.id,
          version: draft.version,
          publishing: draft.status === "PUBLISHING",
          metaTitle: draft.metaTitle,
          metaDescription: draft.metaDescription,
          shortDescription: draft.shortDescription,
          descriptionHtml: draft.descriptionHtml,
          displayHtml: displayableHtml(draft.descriptionHtml),
          features: draft.features,
          useCases: draft.useCases,
          keywords: draft.keywords,
          note: draft.note,
          reviewReason: draft.reviewReason,
        },
      },
    ];
  });
}

async function currentDescriptions(
  store: Pick<CatalogStore, "currentDescriptions">,
  shop: string,
  productIds: string[],
): Promise<(productId: string) => CurrentDescription> {
  if (productIds.length === 0) return () => ({ status: "gone" });
  try {
    const descriptions = await store.currentDescriptions(productIds);
    return (productId) => {
      const html = descriptions.get(productId);
      return html === undefined ? { status: "gone" } : { status: "loaded", html: displayableHtml(html) };
    };
  } catch (error) {
    // The page still loads: each card says the comparison is missing, the log keeps the cause.
    if (!isAppError(error, "SHOP_UNAVAILABLE"))
      logger.warn({ err: error, shop }, "review: current descriptions unavailable");
    return () => ({ status: "unavailable" });
  }
}
