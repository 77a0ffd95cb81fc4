import type { ShopSettings } from "@prisma/client";
import { describe, expect, it } from "vitest";

import { copyVoice } from "~/services/content/copy-voice.server";
import { voiceOf } from "~/services/content/load-content-settings.server";

const settings = (overrides: Partial<ShopSettings> = {}): ShopSettings =>
  ({
    shopId: "shop-1",
    contentMode: "REVIEW",
    overwriteDescriptions: false,
    regenerateOnEdit: false,
    autoTranslate: true,
    brandTone: "warm",
    writingStyle: "plain",
    targetAudience: "",
    outputLanguage: "",
    copyLength: "MEDIUM",
    keywordsInclude: [],
    keywordsAvoid: [],
    monthlyTokenCap: null,
    ...overrides,
  }) as ShopSettings;

/** A store that counts how often it is asked for its languages. */
function storeWithPrimary(primary: string) {
  const store = {
    asked: 0,
    async locales() {
      store.asked++;
      return { primary, published: [primary, "en"] };
    },
  };
  return store;
}

describe("the voice settings", () => {
  it("write in the shop's primary language when the output language is left empty", () => {
    expect(voiceOf({ settings: settings(), primaryLocale: "de" }).language).toBe("de");
  });

  it("write in the merchant's chosen language over the primary one", () => {
    expect(voiceOf({ settings: settings({ outputLanguage: "fr" }), primaryLocale: "de" }).language).toBe("fr");
  });

  it("carry the merchant's tone, style, audience, length and keywords as saved", () => {
    const voice = voiceOf({
      settings: settings({
        brandTone: "bold",
        writingStyle: "terse",
        targetAudience: "climbers",
        copyLength: "SHORT",
        keywordsInclude: ["rope"],
        keywordsAvoid: ["cheap"],
      }),
      primaryLocale: "en",
    });
    expect(voice).toEqual({
      brandTone: "bold",
      writingStyle: "terse",
      targetAudience: "climbers",
      language: "en",
      copyLength: "SHORT",
      keywordsInclude: ["rope"],
      keywordsAvoid: ["cheap"],
    });
  });
});

describe("the voice for a shop's next copy", () => {
  it("asks the store for its primary language when none is set, and remembers it for a while", async () => {
    const store = storeWithPrimary("pt-BR");
    const shop = `voice-${Math.random()}.myshopify.com`;
    expect((await copyVoice({ store, shop, settings: settings(), now: 0 })).language).toBe("pt-BR");
    expect((await copyVoice({ store, shop, settings: settings(), now: 60_000 })).language).toBe("pt-BR");
    expect(store.asked).toBe(1);
    // After the memo expires the store is asked again (a merchant may have changed it).
    await copyVoice({ store, shop, settings: settings(), now: 10 * 60_000 });
    expect(store.asked).toBe(2);
  });

  it("never asks the store when the merchant chose a language", async () => {
    const store = storeWithPrimary("pt-BR");
    const voice = await copyVoice({ store, shop: "set.myshopify.com", settings: settings({ outputLanguage: "it" }) });
    expect(voice.language).toBe("it");
    expect(store.asked).toBe(0);
  });
});
