import type { ShopSettings } from "@prisma/client";

import type { VoiceSettings } from "~/services/content/copy/prompt";
import type { Db } from "~/services/types";

/** The shop's content settings, created with defaults the first time. */
export async function loadContentSettings(db: Db, shop: string): Promise<ShopSettings> {
  // Read first: this runs on every content job and page load, and the row almost always exists.
  // One raw join: Prisma's findFirst with a relation filter cost the worker ~1.4 ms of CPU per job
  // to compile and run, this ~0.6 ms (docs/decisions/020). Postgres returns enums as their names
  // and text[] as arrays, so the row has ShopSettings' shape.
  const [existing] = await db.$queryRaw<ShopSettings[]>`
    SELECT settings.* FROM "ShopSettings" settings JOIN "Shop" shop ON shop."id" = settings."shopId"
    WHERE shop."domain" = ${shop}`;
  if (existing) return existing;
  const record = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, settings: { create: {} } },
    update: {},
    include: { settings: true },
  });
  return record.settings ?? db.shopSettings.create({ data: { shopId: record.id } });
}

/**
 * The voice copy is written in. An empty output language means the shop's primary language, so the
 * caller must say what that is (copy-voice.server.ts reads it from the store); there is no default,
 * because a default of English is how copy came out in the wrong language (issue 7, B1).
 */
export function voiceOf({ settings, primaryLocale }: { settings: ShopSettings; primaryLocale: string }): VoiceSettings {
  return {
    brandTone: settings.brandTone,
    writingStyle: settings.writingStyle,
    targetAudience: settings.targetAudience,
    language: settings.outputLanguage || primaryLocale,
    copyLength: settings.copyLength,
    keywordsInclude: settings.keywordsInclude,
    keywordsAvoid: settings.keywordsAvoid,
  };
}
