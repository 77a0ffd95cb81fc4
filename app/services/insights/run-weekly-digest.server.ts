import { generateDigest } from "~/services/insights/generate-digest.server";
import type { Llm } from "~/services/ports/llm";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  llm: Pick<Llm, "generateStructured">;
  trigger: "scheduled" | "on-demand";
  /** Removes the shop's weekly scheduler (jobs/digest-schedule.server.ts). */
  removeSchedule: (shop: string) => Promise<boolean>;
  now?: Date;
}

/**
 * The weekly digest job: a shop that is no longer installed loses its scheduler instead (a
 * scheduler left behind by a missed uninstall heals itself here), any other gets its digest.
 */
export async function runWeeklyDigest({ db, shop, llm, trigger, removeSchedule, now }: Options) {
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!record || record.uninstalledAt) {
    await removeSchedule(shop);
    return { skipped: true as const, reason: "the shop is not installed" };
  }
  return generateDigest({ db, shop, llm, trigger, ...(now ? { now } : {}) });
}
