/**
 * What must come back from the model exactly as it went in. Do-not-translate terms (brand and
 * product-line names) and Liquid tokens ({{ }}, {% %}) are swapped for numbered placeholders before
 * the call, so the model never sees them as words, and swapped back after; HTML tags stay in the
 * text and are compared tag by tag (validate.ts).
 */
export interface Masked {
  text: string;
  /** placeholder -> the original text it stands for */
  slots: Map<string, string>;
}

const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
export const PLACEHOLDER = /⟦\d+⟧/g;

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with Liquid tokens and every do-not-translate term replaced by ⟦n⟧ placeholders. */
export function mask(text: string, doNotTranslate: readonly string[]): Masked {
  const slots = new Map<string, string>();
  const slot = (original: string) => {
    const placeholder = `⟦${slots.size + 1}⟧`;
    slots.set(placeholder, original);
    return placeholder;
  };
  let out = text.replace(LIQUID, slot);
  // Longest first, so "Northwind Trail" is kept whole before "Northwind" is looked for.
  const terms = [...new Set(doNotTranslate.map((term) => term.trim()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  for (const term of terms) {
    // Whole words only ("Arc" is not the start of "Arctic"); names are matched as written.
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, "gu");
    out = splitOutsideTags(out, (part) => part.replace(pattern, slot));
  }
  return { text: out, slots };
}

/** Applies `fn` to the text between HTML tags only (a term inside an attribute stays as it is). */
function splitOutsideTags(text: string, fn: (part: string) => string): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part, index) => (index % 2 === 1 ? part : fn(part)))
    .join("");
}

/** The model's text with each placeholder put back. */
export function unmask(text: string, slots: Map<string, string>): string {
  return text.replace(PLACEHOLDER, (placeholder) => slots.get(placeholder) ?? placeholder);
}

/** The placeholders of a text, in order. */
export const placeholdersOf = (text: string) => text.match(PLACEHOLDER) ?? [];

/** The sequence of tags ("p", "/p", "br") of an HTML text: what a translation must keep. */
export function tagsOf(text: string): string[] {
  return [...text.matchAll(/<\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g)].map(
    (match) => `${match[1]}${match[2]!.toLowerCase()}`,
  );
}
