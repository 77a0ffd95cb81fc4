// Prompt-derived vocabulary and prose builders. Generated strings reuse the content
// words of the prompt so that tests (and people looking at the sandbox) can see the
// reply is "about" the product that was sent, without any real language model.
import type { Rng } from "./random";

/** Matches the explicit test hooks, e.g. [[emulator:refusal]]; stripped before word extraction. */
export const HOOK_PATTERN = /\[\[emulator:([a-z0-9_-]+)(?::([^\]]*))?\]\]/gi;

// Function words plus the instruction verbs prompts are full of ("write", "return",
// "json"...), which would make generated copy read like the prompt instead of the product.
const STOP_WORDS = new Set(
  (
    "a an the and or but nor so yet of to in on at by for with from into onto over under about " +
    "as is are was were be been being am do does did done have has had having it its this that " +
    "these those there here then than too very can could should would will shall may might must " +
    "not no yes you your yours we our ours they them their i me my he she his her him who whom " +
    "which what when where why how all any each every some such only own same other more most " +
    "also just out up down off again once if else while per via etc using use used based given " +
    "following below above write rewrite generate create produce return respond reply answer " +
    "provide make give please json schema format field fields output input text words word " +
    "language locale string strings value values object objects array response request prompt " +
    "task user assistant system characters character max maximum min minimum least most long " +
    "short keep include includes including must should shopify store seo copy copywriting meta " +
    "title titles description descriptions summary summarize summarise translate translation " +
    "made tags keywords html markdown tone style audience product products item items following"
  ).split(" "),
);

/** Filler used when a prompt has too few content words (e.g. "hi"). */
const FALLBACK_WORDS = [
  "quality",
  "everyday",
  "comfort",
  "design",
  "durable",
  "essential",
  "modern",
  "classic",
  "versatile",
  "crafted",
];

const WORD_PATTERN = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Lower-cased content words in order of first appearance, hooks removed. */
export function extractKeywords(text: string, limit = 24): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const match of text.replace(HOOK_PATTERN, " ").matchAll(WORD_PATTERN)) {
    const word = match[0].toLowerCase().replace(/['’-]+$/, "");
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * Keywords of the main text, topped up from fallbacks so builders always have ≥ 6 words.
 * "Instruction: subject" prompts ("Write SEO copy for: Linen shirt", "Customer asks: …")
 * put the subject's words first, since those are what a real reply would talk about.
 */
export function vocabulary(primary: string, secondary: string): string[] {
  const colon = primary.indexOf(":");
  const label = colon > 0 ? primary.slice(0, colon) : "";
  const isLabel =
    label !== "" && label.split(/\s+/).filter(Boolean).length <= 6 && primary.slice(colon + 1).trim() !== "";
  const words = isLabel ? extractKeywords(primary.slice(colon + 1)) : extractKeywords(primary);
  if (isLabel) for (const w of extractKeywords(label)) if (!words.includes(w)) words.push(w);
  if (words.length < 6) {
    for (const w of extractKeywords(secondary)) if (!words.includes(w)) words.push(w);
  }
  for (const w of FALLBACK_WORDS) {
    if (words.length >= 6) break;
    if (!words.includes(w)) words.push(w);
  }
  return words;
}

export function capitalize(word: string): string {
  return word.length === 0 ? word : word.charAt(0).toLocaleUpperCase() + word.slice(1);
}

/**
 * `count` words in prompt order without repeats (while the vocabulary lasts). By default
 * starts near the front, where the subject of the last user message usually is.
 */
export function pickWords(rng: Rng, words: readonly string[], count: number, anywhere = false): string[] {
  const out: string[] = [];
  let index = rng.int(0, anywhere ? words.length - 1 : Math.min(2, words.length - 1));
  for (let i = 0; i < count; i++) {
    out.push(words[index % words.length] as string);
    // Step 1-2 words, but never wrap onto words already used while unused ones remain.
    index += count + i < words.length ? rng.int(1, 2) : 1;
  }
  return out;
}

/** "a" or "an" by the next word's first letter (good enough for generated copy). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

const SENTENCE_TEMPLATES: ReadonlyArray<(w: string[]) => string> = [
  (w) => `${capitalize(w[0]!)} ${w[1]} designed for ${w[2]} and ${w[3]}.`,
  (w) => `Discover ${w[0]} ${w[1]} with ${w[2]} ${w[3]}.`,
  (w) => `${capitalize(w[0]!)} and ${w[1]} come together in this ${w[2]} ${w[3]}.`,
  (w) => `Made with ${w[0]} ${w[1]}, it brings ${w[2]} to every ${w[3]}.`,
  (w) => `Enjoy ${w[0]} ${w[1]} that keeps ${w[2]} ${w[3]} simple.`,
  (w) => `${capitalize(article(w[0]!))} ${w[0]} ${w[1]} choice for ${w[2]} ${w[3]}.`,
];

export function sentence(rng: Rng, words: readonly string[]): string {
  return rng.pick(SENTENCE_TEMPLATES)(pickWords(rng, words, 4));
}

export function paragraph(rng: Rng, words: readonly string[], sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rng, words));
  return out.join(" ");
}

export function titleCase(words: readonly string[]): string {
  return words.map(capitalize).join(" ");
}

/** "Linen Shirt – Breathable Summer Style": the shape of a product/meta title. */
export function title(rng: Rng, words: readonly string[]): string {
  const headLength = rng.int(2, 3);
  const picked = pickWords(rng, words, headLength + 2);
  return `${titleCase(picked.slice(0, headLength))} – ${titleCase(picked.slice(headLength))}`;
}

/** Short noun phrase like "organic cotton blend"; `anywhere` varies it across the prompt. */
export function phrase(rng: Rng, words: readonly string[], min = 2, max = 4, anywhere = false): string {
  return pickWords(rng, words, rng.int(min, max), anywhere).join(" ");
}

/** ASCII kebab-case, e.g. for handles/slugs: "crème brûlée" → "creme-brulee". */
export function slugify(words: readonly string[]): string {
  const slug = words
    .join(" ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "item";
}

/** Simple product-copy HTML: a paragraph and a bullet list; parts are added while they fit. */
export function html(rng: Rng, words: readonly string[], maxLength = Number.POSITIVE_INFINITY): string {
  const intro = paragraph(rng, words, 2);
  const bullets: string[] = [];
  for (let attempt = 0; bullets.length < 3 && attempt < 12; attempt++) {
    const bullet = capitalize(phrase(rng, words, 2, 3, true));
    if (!bullets.includes(bullet)) bullets.push(bullet);
  }
  let out = `<p>${intro}</p>`;
  if (out.length > maxLength) out = `<p>${sentence(rng, words)}</p>`;
  if (out.length > maxLength) out = `<p>${capitalize(phrase(rng, words, 1, 2))}</p>`;
  if (out.length > maxLength) return ""; // caller falls back to plain text
  let list = "";
  for (const bullet of bullets) {
    const next = `${list}<li>${bullet}</li>`;
    if (out.length + next.length + "<ul></ul>".length > maxLength) break;
    list = next;
  }
  return list ? `${out}<ul>${list}</ul>` : out;
}
