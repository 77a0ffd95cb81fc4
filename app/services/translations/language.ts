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
const MIN_LETTERS = 24;
const MIN_WORDS = 5;

export function plainWords(text: string): string {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(PLACEHOLDER, " ")
    .replace(/&[a-z]+;|&#\d+;/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export type LanguageVerdict = { ok: true } | { ok: false; detected: string };

export function checkLanguage(text: string, locale: string): LanguageVerdict {
  const words = plainWords(text);
  if (words.replace(/[^\p{L}]/gu, "").length < MIN_LETTERS || (words.match(/\p{L}+/gu) ?? []).length < MIN_WORDS)
    return { ok: true };
  const target = locale.toLowerCase().split("-")[0]!;
  const scores = detectAll(words);
  const top = scores[0];
  if (!top || top.lang === target) return { ok: true };
  const mine = scores.find((score) => score.lang === target)?.accuracy ?? 0;
  return mine >= top.accuracy / 3 ? { ok: true } : { ok: false, detected: top.lang };
}
