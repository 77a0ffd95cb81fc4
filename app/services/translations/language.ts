import { detectAll } from "tinyld";

import { PLACEHOLDER } from "~/services/translations/protect";

/**
 * Whether a translation reads as the target language. tinyld (MIT, no dependencies, about 1 MB
 * unpacked) answers in ISO 639-1 codes, the shop locales' own, and is built for short texts, which
 * franc-min (ISO 639-3, 10 characters minimum, last published in 2023) handles worse. Detection is
 * unreliable on a few words and on names ("Alpine Merino Bonnet | Northwind" reads as Hindi to it),
 * so text of fewer than MIN_WORDS words or MIN_LETTERS letters is not judged, and a target that
 * scores at least a third of the top language passes (product names keep their own language, so a
 * good translation often scores mixed). A reply left in the source language scores 0 and fails.
 */
// Measured on the copy's own short lists: an 11-word Spanish list ("Hecho por Northwind, Cálida
// aspecto que dura, Sencillo a cuidar para") scores English 0.33, Spanish 0.06. Below about ten
// words, and with the names it kept, tinyld's verdict is noise; refusing a good translation costs the
// merchant a failure.
const MIN_LETTERS = 40;
const MIN_WORDS = 10;

export function plainWords(text: string): string {
  return (
    text
      .replace(/<[^>]*>/g, " ")
      .replace(PLACEHOLDER, " ")
      .replace(/&[a-z]+;|&#\d+;/gi, " ")
      // A list metafield's value is a JSON array of strings: judge its words, not its brackets.
      .replace(/["[\]{}]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

export type LanguageVerdict = { ok: true } | { ok: false; detected: string };

/** A list metafield's value: a JSON array of strings, or null for any other text. */
function listItems(text: string): string[] | null {
  if (!text.trimStart().startsWith("[")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : null;
  } catch {
    return null;
  }
}

/**
 * Names carry no evidence of a language: "Le Alpine Merino Bonnet par Northwind est un chapeau
 * chaud" reads as English to tinyld because of its kept names. Capitalised words that the source
 * has verbatim (brands, product lines, kept names) are left out of the judgement; a reply left in
 * the source language keeps its lower-case words, so it is still caught.
 */
function withoutKeptNames(text: string, source: string): string {
  if (!source) return text;
  const names = new Set(source.match(/\p{Lu}[\p{L}\p{N}'-]*/gu) ?? []);
  return text.replace(/\p{Lu}[\p{L}\p{N}'-]*/gu, (word) => (names.has(word) ? " " : word));
}

export function checkLanguage(text: string, locale: string, source = ""): LanguageVerdict {
  // A list is judged item by item: its items are separate phrases, most too short to judge.
  const items = listItems(text);
  if (items) {
    for (const item of items) {
      const verdict = checkLanguage(item, locale, source);
      if (!verdict.ok) return verdict;
    }
    return { ok: true };
  }
  const words = plainWords(withoutKeptNames(text, source));
  if (words.replace(/[^\p{L}]/gu, "").length < MIN_LETTERS || (words.match(/\p{L}+/gu) ?? []).length < MIN_WORDS)
    return { ok: true };
  const target = locale.toLowerCase().split("-")[0]!;
  const scores = detectAll(words);
  const top = scores[0];
  if (!top || top.lang === target) return { ok: true };
  const mine = scores.find((score) => score.lang === target)?.accuracy ?? 0;
  return mine >= top.accuracy / 3 ? { ok: true } : { ok: false, detected: top.lang };
}
