import { enqueueMany } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { tokenCapReached } from "~/services/usage/monthly-usage.server";
import type { Db } from "~/services/types";

/**
 * After the cap was raised (or a new month began), queues every product paused by the cap.
 * The state change and the enqueue happen in one transaction, the enqueue last: when the queue
 * cannot be reached the products stay PAUSED (and the merchant sees the error), never PENDING
 * with no job. Job ids come from each row's updatedAt, so trying again after a failure re-adds
 * what the failed call had already queued as the same jobs.
 */
export async function resumePausedProducts({ db, shop }: { db: Db; shop: string }) {
  const settings = await loadContentSettings(db, shop);
  if (await tokenCapReached({ db, shop, cap: settings.monthlyTokenCap })) {
    throw new AppError("INVALID_INPUT", `monthly token cap still reached for ${shop}`, {
      userMessage: "The monthly token cap is still used up. Raise it in Settings first.",
    });
  }
  const paused = await db.productContent.findMany({
    where: { shopDomain: shop, status: "PAUSED" },
    select: { id: true, updatedAt: true },
  });
  if (paused.length === 0) return { resumed: 0 };
  await db.$transaction(
    async (tx) => {
      await tx.productContent.updateMany({
        where: { id: { in: paused.map((record) => record.id) }, status: "PAUSED" },
        data: { status: "PENDING", skippedReason: null },
      });
      await enqueueMany(
        "content.resume",
        paused.map((record) => ({
          payload: { shop, productContentId: record.id },
          jobId: `resume-${record.id}-${record.updatedAt.getTime()}`,
        })),
      );
    },
    { timeout: 60_000 },
  );
  return { resumed: paused.length };
}
