import { loadContentSettings } from "~/services/content/load-content-settings.server";
import type { GlossaryEntry } from "~/services/translations/prompt";
import type { Db } from "~/services/types";

/** Everything one translation run reads about the shop's choices. */
export interface TranslationSettingsView {
  /** Translate after a copy publish and on product edits (ShopSettings.autoTranslate). */
  autoTranslate: boolean;
  /** Locales to automate; empty = every published locale. */
  locales: string[];
  translateHandles: boolean;
  doNotTranslate: string[];
  /** Glossary terms per locale. */
  glossary: Record<string, GlossaryEntry[]>;
  monthlyTokenCap: number | null;
}

export async function loadTranslationSettings(db: Db, shop: string): Promise<TranslationSettingsView> {
  const [content, own, terms] = await Promise.all([
    loadContentSettings(db, shop),
    db.translationSettings.findUnique({ where: { shopDomain: shop } }),
    db.glossaryTerm.findMany({ where: { shopDomain: shop }, orderBy: { source: "asc" } }),
  ]);
  const glossary: Record<string, GlossaryEntry[]> = {};
  for (const term of terms) {
    (glossary[term.locale] ??= []).push({
      source: term.source,
      target: term.target,
      caseSensitive: term.caseSensitive,
    });
  }
  return {
    autoTranslate: content.autoTranslate,
    locales: own?.locales ?? [],
    translateHandles: own?.translateHandles ?? false,
    doNotTranslate: own?.doNotTranslate ?? [],
    glossary,
    monthlyTokenCap: content.monthlyTokenCap,
  };
}

/** The locales a run translates into: published, not the primary, and chosen by the shop. */
export function targetLocales(
  locales: { primary: string; published: string[] },
  settings: Pick<TranslationSettingsView, "locales">,
): string[] {
  return locales.published.filter(
    (locale) => locale !== locales.primary && (settings.locales.length === 0 || settings.locales.includes(locale)),
  );
}
