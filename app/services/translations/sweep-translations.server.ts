import { enqueue } from "~/jobs/enqueue.server";
import type { TranslationsStore } from "~/services/ports/translations";
import { translationJobId } from "~/services/translations/request-translation.server";
import type { Db } from "~/services/types";

/**
 * Kinds Shopify sends no update webhook for: WebhookSubscriptionTopic (Admin 2026-10) has
 * COLLECTIONS_UPDATE but no page or shop-policy topic. Their changes are found by a sweep: every
 * resource of the kind is queued, and each run reads the store's digests and `outdated` flags, so a
 * page edited since its translation is redone key by key and an unchanged one costs one read and
 * no tokens. Data, like translatable-keys.ts: a kind without a topic is a member here.
 */
export const SWEPT_KINDS = ["page", "policy"] as const;

/** The top-level kinds a sweep can list (nested kinds are translated with their product). */
export type SweepKind = "page" | "policy" | "collection" | "product";

/** Queues a sweep of the shop's pages and policies now (on demand, and when a locale is published). */
export async function requestTranslationSweep({
  shop,
  kinds = SWEPT_KINDS,
  now = new Date(),
}: {
  shop: string;
  kinds?: readonly SweepKind[];
  now?: Date;
}) {
  // One sweep per shop and minute: asking twice in a row queues nothing more.
  const sweepId = String(Math.floor(now.getTime() / 60_000));
  const jobId = `translation-sweep-${shop}-${sweepId}`;
  await enqueue("translation.sweep", { shop, kinds: [...kinds], sweepId }, { jobId });
  return { jobId };
}

/**
 * The `translation.sweep` job: queues the translation of every resource of `kinds` (one job each,
 * ids per resource and sweep, so a retried sweep queues nothing twice). docs/decisions/023.
 */
export async function sweepTranslations({
  store,
  shop,
  kinds,
  sweepId,
}: {
  db?: Db;
  store: TranslationsStore;
  shop: string;
  kinds: readonly SweepKind[];
  sweepId: string;
}): Promise<{ queued: number }> {
  let queued = 0;
  for (const kind of kinds) {
    let after: string | null = null;
    do {
      const page: { ids: string[]; next: string | null } = await store.listTranslatableResources(kind, { after });
      for (const resourceId of page.ids) {
        await enqueue(
          "translation.resource",
          { shop, resourceId },
          { jobId: translationJobId(resourceId, `sweep:${sweepId}`) },
        );
        queued++;
      }
      after = page.next;
    } while (after);
  }
  return { queued };
}
