import { fieldLimit } from "~/services/translations/translatable-keys";
import { checkLanguage } from "~/services/translations/language";
import { placeholdersOf, tagsOf } from "~/services/translations/protect";
import type { GlossaryEntry } from "~/services/translations/prompt";

export interface FieldToCheck {
  key: string;
  /** The source as sent to the model (masked). */
  maskedSource: string;
  /** The model's answer, still masked. */
  maskedValue: string;
  /** The answer with placeholders put back: what would be registered. */
  value: string;
  /** The unmasked source, for glossary matches. */
  source: string;
  locale: string;
  glossary: readonly GlossaryEntry[];
}

const contains = (text: string, term: string, caseSensitive: boolean) => {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, caseSensitive ? "u" : "iu").test(text);
};

/**
 * Why a translation may not be registered, or null when it may: it must keep the source's tags in
 * order and every placeholder, read as the target language, use the locale's glossary, and fit
 * the store's limit for the key. Each reason is a sentence the model is re-asked with and the
 * merchant later reads.
 */
export function rejectionOf(field: FieldToCheck): string | null {
  const { key, maskedSource, maskedValue, value, source, locale } = field;
  if (!value.trim()) return `${key}: the translation is empty`;
  const expected = tagsOf(maskedSource).join(" ");
  if (tagsOf(maskedValue).join(" ") !== expected) return `${key}: the HTML tags differ from the source's`;
  const wanted = placeholdersOf(maskedSource).sort();
  const got = placeholdersOf(maskedValue).sort();
  const missing = wanted.filter((placeholder, i) => got[i] !== placeholder);
  if (missing.length || got.length !== wanted.length)
    return `${key}: placeholders were dropped or changed (${wanted.join(" ")} must each appear once)`;
  const language = checkLanguage(value, locale, source);
  if (!language.ok) return `${key}: the translation is in ${language.detected}, not ${locale}`;
  for (const term of field.glossary) {
    if (contains(source, term.source, term.caseSensitive) && !contains(value, term.target, term.caseSensitive))
      return `${key}: the glossary says "${term.source}" is "${term.target}" in ${locale}`;
  }
  const limit = fieldLimit(key);
  if (value.length > limit) return `${key}: ${value.length} characters, more than the ${limit} the store accepts`;
  return null;
}
