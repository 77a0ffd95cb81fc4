import { enqueue } from "~/jobs/enqueue.server";
import { findProductContent } from "~/services/content/product-history.server";
import type { Db } from "~/services/types";

/** Queues new copy for one of the shop's products, with the merchant's note for the writer. */
export async function requestRegeneration({
  db,
  shop,
  productContentId,
  note,
}: {
  db: Db;
  shop: string;
  productContentId: string;
  note: string | null;
}) {
  await findProductContent({ db, shop, productContentId });
  await enqueue(
    "content.regenerate",
    { shop, productContentId, note },
    { jobId: `regenerate-${productContentId}-${Date.now()}` },
  );
  return { queued: true };
}
