import { enqueue } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { tokenCapReached } from "~/services/content/monthly-usage.server";
import type { Db } from "~/services/types";

/** After the cap was raised (or a new month began), queues every product paused by the cap. */
export async function resumePausedProducts({ db, shop }: { db: Db; shop: string }) {
  const settings = await loadContentSettings(db, shop);
  if (await tokenCapReached({ db, shop, cap: settings.monthlyTokenCap })) {
    throw new AppError("INVALID_INPUT", `monthly token cap still reached for ${shop}`, {
      userMessage: "The monthly token cap is still used up. Raise it in Settings first.",
    });
  }
  const paused = await db.productContent.findMany({
    where: { shopDomain: shop, status: "PAUSED" },
    select: { id: true },
  });
  for (const record of paused) {
    await db.productContent.update({ where: { id: record.id }, data: { status: "PENDING", skippedReason: null } });
    await enqueue(
      "content.resume",
      { shop, productContentId: record.id },
      { jobId: `resume-${record.id}-${Date.now()}` },
    );
  }
  return { resumed: paused.length };
}
