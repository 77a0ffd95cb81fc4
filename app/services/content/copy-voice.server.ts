import type { ShopSettings } from "@prisma/client";

import type { VoiceSettings } from "~/services/content/copy/prompt";
import { voiceOf } from "~/services/content/load-content-settings.server";
import type { ShopFactsStore } from "~/services/ports/shop-facts";

/**
 * How long a shop's primary language is remembered in this process. A merchant rarely changes it,
 * and without the memo every product that needs copy would pay an extra Admin API call for it.
 */
const PRIMARY_LOCALE_TTL_MS = 5 * 60_000;
const primaryLocales = new Map<string, { locale: string; until: number }>();

interface Options {
  store: Pick<ShopFactsStore, "locales">;
  shop: string;
  settings: ShopSettings;
  now?: number;
}

/**
 * The voice for the shop's next copy. Only when the merchant left the output language empty is the
 * store asked for its primary language (a set language needs no read).
 */
export async function copyVoice({ store, shop, settings, now = Date.now() }: Options): Promise<VoiceSettings> {
  // A language the merchant chose wins over the primary one, which then need not be read.
  if (settings.outputLanguage) return voiceOf({ settings, primaryLocale: settings.outputLanguage });
  let known = primaryLocales.get(shop);
  if (!known || known.until <= now) {
    known = { locale: (await store.locales()).primary, until: now + PRIMARY_LOCALE_TTL_MS };
    primaryLocales.set(shop, known);
  }
  return voiceOf({ settings, primaryLocale: known.locale });
}
