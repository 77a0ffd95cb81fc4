import type { ChangeOutcome, ProductChange } from "~/services/content/handle-product-change.server";
import { queueAutomaticTranslation } from "~/services/translations/request-translation.server";
import type { Db } from "~/services/types";

type After =
  /** A products/create or products/update job ran (whatever it decided about the copy). */
  | { change: ProductChange; outcome: ChangeOutcome; versionId?: undefined }
  /** A merchant's approval published a version. */
  | { versionId: string; change?: undefined; outcome?: undefined };

/**
 * The content pipeline's hand-off to translation: after a copy publish, and on every product edit
 * (the store's source changed), the product is queued for translation when the shop translates
 * automatically. The job id is the product's fingerprints after the change, so a publish and the
 * products/update echo of that same publish are one job; the ledger then keeps an unchanged key
 * from costing tokens.
 */
export async function queueTranslationAfterCopy({ db, shop, ...after }: { db: Db; shop: string } & After) {
  if (after.versionId !== undefined) {
    const version = await db.contentVersion.findUnique({
      where: { id: after.versionId },
      include: { productContent: true },
    });
    if (!version) return { queued: false as const };
    const record = version.productContent;
    return queueAutomaticTranslation({
      db,
      shop,
      resourceId: record.productId,
      sourceChange: `${record.factsHash ?? ""}:${record.writtenDescriptionHash ?? ""}`,
    });
  }
  const { change, outcome } = after;
  if (change.kind === "bulk-run") return { queued: false as const };
  const published = outcome.outcome === "published";
  // A new product is translated once its copy is published; an edit is translated as it is.
  if (change.kind === "created" && !published) return { queued: false as const };
  const record = published
    ? await db.productContent.findUnique({
        where: { shopDomain_productId: { shopDomain: shop, productId: change.productId } },
      })
    : null;
  const description = record?.writtenDescriptionHash ?? change.descriptionHash;
  return queueAutomaticTranslation({
    db,
    shop,
    resourceId: change.productId,
    sourceChange: `${change.factsHash}:${description}`,
  });
}
