import { AppError } from "~/lib/errors";
import { enqueue } from "~/jobs/enqueue.server";
import { translationJobId } from "~/services/translations/request-translation.server";
import type { Db } from "~/services/types";

/**
 * The merchant chose "replace with AI translation" for a key a person edited: the key is no longer
 * protected, and a run translates and registers it again (glossary and do-not-translate apply).
 */
export async function replaceWithAiTranslation({
  db,
  shop,
  resourceId,
  key,
  locale,
}: {
  db: Db;
  shop: string;
  resourceId: string;
  key: string;
  locale: string;
}) {
  const unprotected = await db.translationEntry.updateMany({
    where: { shopDomain: shop, resourceId, key, locale, market: "", status: "EDITED" },
    data: { status: "FAILED", failureReason: "Being replaced with the AI translation" },
  });
  if (unprotected.count === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no edited translation ${resourceId} ${locale}.${key}`, {
      userMessage: "That translation is not one a person edited, so there is nothing to replace.",
    });
  }
  const job = await enqueue(
    "translation.resource",
    { shop, resourceId, retryFailed: false, replace: [{ resourceId, key, locale }] },
    { jobId: translationJobId(resourceId, `replace:${locale}.${key}:${Date.now()}`) },
  );
  return { jobId: job.id };
}
