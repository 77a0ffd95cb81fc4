import { enqueue } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
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
  const record = await db.productContent.findFirst({
    where: { id: productContentId, shopDomain: shop },
    select: { id: true },
  });
  if (!record) {
    throw new AppError("RESOURCE_NOT_FOUND", `no content ${productContentId} for ${shop}`, {
      userMessage: "That product's copy could not be found.",
    });
  }
  await enqueue(
    "content.regenerate",
    { shop, productContentId, note },
    { jobId: `regenerate-${productContentId}-${Date.now()}` },
  );
  return { queued: true };
}
