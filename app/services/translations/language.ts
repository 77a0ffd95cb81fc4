import { detectAll } from "tinyld";

import { PLACEHOLDER } from "~/services/translations/protect";

/**
 * Whether a translation reads as the target language. tinyld (MIT, no dependencies, about 1 MB
 * unpacked) answers in ISO 639-1 codes, the shop locales' own, and is built for short texts, which
 * franc-min (ISO 639-3, 10 characters minimum, last published in 2023) handles worse. Detection is
 * unreliable on a few words, so text shorter than MIN_LETTERS is not judged, and a target that
 * scores at least half of the top language passes (a text full of brand names scores mixed).
 */
const MIN_LETTERS = 24;

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
  if (words.replace(/[^\p{L}]/gu, "").length < MIN_LETTERS) return { ok: true };
  const target = locale.toLowerCase().split("-")[0]!;
  const scores = detectAll(words);
  const top = scores[0];
  if (!top || top.lang === target) return { ok: true };
  const mine = scores.find((score) => score.lang === target)?.accuracy ?? 0;
  return mine >= top.accuracy / 2 ? { ok: true } : { ok: false, detected: top.lang };
}
