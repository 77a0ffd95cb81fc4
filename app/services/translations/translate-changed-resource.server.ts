import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationsStore } from "~/services/ports/translations";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { targetLocales } from "~/services/translations/load-translation-settings.server";
import { automaticTranslationFacts } from "~/services/translations/shop-locales.server";
import { translateResource, type TranslationOutcome } from "~/services/translations/translate-resource.server";
import type { Db } from "~/services/types";

/**
 * The `translation.resource-changed` job: a resource other than a product changed in the store (a
 * collections/update webhook). Like a product edit, it is translated only when the shop translates
 * automatically and has a target locale (read from the Shop's stored locales: nothing is read from
 * the store otherwise), and then only the keys whose digest changed cost tokens (the ledger). Which
 * keys of which kind are translated is data (translatable-keys.ts), so another kind with an update
 * webhook is a topic mapped to this job, not new code. docs/decisions/023.
 */
export async function translateChangedResource(options: {
  db: Db;
  store: TranslationsStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  resourceId: string;
}): Promise<TranslationOutcome | { outcome: "not-automated" | "no-locales" }> {
  const { db, shop } = options;
  const facts = await automaticTranslationFacts(db, shop);
  const autoTranslate = facts ? facts.autoTranslate : (await loadContentSettings(db, shop)).autoTranslate;
  if (!autoTranslate) return { outcome: "not-automated" };
  if (facts?.locales && targetLocales(facts.locales, { locales: facts.chosenLocales }).length === 0) {
    return { outcome: "no-locales" };
  }
  return translateResource(options);
}
