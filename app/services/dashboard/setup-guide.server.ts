import type { ShopSettings } from "@prisma/client";

import { loadContentSettings } from "~/services/content/load-content-settings.server";
import type { Db } from "~/services/types";

/**
 * The home page's first-run guide: the few choices that decide what the copy is like, then the
 * first bulk run, then each capability's step (decision 021): the support chat's "add the chat to
 * your theme". A step is done when the merchant did it (saving settings confirms voice, mode and
 * language; starting any bulk run does the first run; a shopper's first chat proves the embed is
 * on the storefront) or marked it done themselves.
 */
export const SETUP_STEPS = ["voice", "mode", "language", "first-run", "chat-embed"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** Steps a settings save confirms: the merchant has seen and kept or changed each choice. */
export const STEPS_DONE_BY_SETTINGS: SetupStep[] = ["voice", "mode", "language"];

export interface SetupGuide {
  hidden: boolean;
  steps: Array<{ id: SetupStep; done: boolean }>;
  doneCount: number;
}

/** The guide for the shop's settings row, which the home page has read already. */
export async function loadSetupGuide({
  db,
  shop,
  settings,
}: {
  db: Db;
  shop: string;
  settings: Pick<ShopSettings, "setupDone" | "setupGuideHiddenAt">;
}): Promise<SetupGuide> {
  const [anyRun, anyChat] = await Promise.all([
    db.bulkRun.findFirst({ where: { shopDomain: shop }, select: { id: true } }),
    // Only the storefront's embed opens dialogs: one means the chat is on the theme.
    db.supportDialog.findFirst({ where: { shopDomain: shop }, select: { id: true } }),
  ]);
  const done = new Set(settings.setupDone);
  if (anyRun) done.add("first-run");
  if (anyChat) done.add("chat-embed");
  const steps = SETUP_STEPS.map((id) => ({ id, done: done.has(id) }));
  return {
    hidden: settings.setupGuideHiddenAt !== null,
    steps,
    doneCount: steps.filter((step) => step.done).length,
  };
}

/** Marks steps done (or not done again); unknown step names are ignored. */
export async function markSetupSteps({
  db,
  shop,
  steps,
  done,
}: {
  db: Db;
  shop: string;
  steps: SetupStep[];
  done: boolean;
}): Promise<void> {
  const settings = await loadContentSettings(db, shop);
  const current = new Set(settings.setupDone);
  for (const step of steps) {
    if (!SETUP_STEPS.includes(step)) continue;
    if (done) current.add(step);
    else current.delete(step);
  }
  await db.shopSettings.update({ where: { shopId: settings.shopId }, data: { setupDone: [...current] } });
}

export async function hideSetupGuide({ db, shop, hidden }: { db: Db; shop: string; hidden: boolean }): Promise<void> {
  const settings = await loadContentSettings(db, shop);
  await db.shopSettings.update({
    where: { shopId: settings.shopId },
    data: { setupGuideHiddenAt: hidden ? new Date() : null },
  });
}
