import { enqueue } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
import type { Db } from "~/services/types";

/**
 * Restores an older version: it is published again (queued, like an approval), and the version
 * live until then becomes superseded.
 */
export async function restoreVersion({ db, shop, versionId }: { db: Db; shop: string; versionId: string }) {
  const version = await db.contentVersion.findFirst({
    where: { id: versionId, status: { in: ["SUPERSEDED", "REJECTED"] }, productContent: { shopDomain: shop } },
  });
  if (!version) {
    throw new AppError("RESOURCE_NOT_FOUND", `no restorable version ${versionId} for ${shop}`, {
      userMessage: "Only an earlier or rejected version can be restored.",
    });
  }
  await enqueue("content.publish-version", { shop, versionId }, { jobId: `publish-${versionId}-${Date.now()}` });
  return { queued: true };
}
