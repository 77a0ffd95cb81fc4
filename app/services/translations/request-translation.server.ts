import { createHash } from "node:crypto";

import { enqueue } from "~/jobs/enqueue.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { targetLocales } from "~/services/translations/load-translation-settings.server";
import { automaticTranslationFacts } from "~/services/translations/shop-locales.server";
import type { Db } from "~/services/types";

/**
 * The job id of one source change of a resource: the same change asked for twice (after a copy
 * publish, then on the products/update echo of that publish) is one job, so one translationsRegister.
 * Completed translation jobs are kept ten minutes (definitions.ts), so a later edit with the same
 * fingerprints (an SEO-only edit) runs again and the ledger decides what changed.
 */
export function translationJobId(resourceId: string, sourceChange: string): string {
  return `translate-${createHash("sha256").update(`${resourceId}\u0000${sourceChange}`).digest("hex").slice(0, 40)}`;
}

/**
 * Queues the automatic translation of a resource after its source changed (a copy published, a
 * product edited), when the shop translates automatically and has a locale to translate into.
 * `sourceChange` names the change (the content pipeline's fingerprints of the product as it is
 * now). The locales are the shop's stored ones (decision 023): a shop that publishes no other
 * language costs one database read per change, no job, no Admin call and no TranslationRun row.
 */
export async function queueAutomaticTranslation({
  db,
  shop,
  resourceId,
  sourceChange,
}: {
  db: Db;
  shop: string;
  resourceId: string;
  sourceChange: string;
}) {
  const facts = await automaticTranslationFacts(db, shop);
  const autoTranslate = facts ? facts.autoTranslate : (await loadContentSettings(db, shop)).autoTranslate;
  if (!autoTranslate) return { queued: false as const };
  if (facts?.locales && targetLocales(facts.locales, { locales: facts.chosenLocales }).length === 0) {
    return { queued: false as const, reason: "no-locales" as const };
  }
  const job = await enqueue(
    "translation.resource",
    { shop, resourceId },
    { jobId: translationJobId(resourceId, sourceChange) },
  );
  return { queued: true as const, jobId: job.id };
}

/**
 * A merchant asked for one resource's translation now: every changed key, and keys that failed
 * before, are translated whatever the automation settings say (human edits stay protected).
 */
export async function requestTranslation({ shop, resourceId }: { shop: string; resourceId: string }) {
  const job = await enqueue(
    "translation.resource",
    { shop, resourceId, retryFailed: true },
    { jobId: translationJobId(resourceId, `manual:${Date.now()}`) },
  );
  return { jobId: job.id };
}
