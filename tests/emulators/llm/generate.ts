// Deterministic, schema-valid content. Everything is a pure function of the compiled
// schema, a seeded Rng and the prompt's vocabulary, so one request always yields the
// same reply and different prompts yield visibly different, prompt-flavoured replies.
import { stringFromPattern } from "./pattern";
import {
  productFeatures,
  productHtml,
  productKeywords,
  productMetaDescription,
  productPitch,
  productSentences,
  productTitle,
  productUseCases,
  type ProductBrief,
} from "./product-copy";
import { hash32, type Rng } from "./random";
import { resolveNode, type SchemaNode } from "./schema";
import { safeSlice } from "./tokens";
import * as w from "./words";

/** Beyond this depth recursive schemas shrink: null branches, minItems, required keys only. */
const SHALLOW_DEPTH = 5;
const MAX_DEPTH = 12;
const DEFAULT_ARRAY_ITEMS: readonly [number, number] = [2, 4];

interface Ctx {
  words: readonly string[];
  /** Set when the prompt describes a product: strings are product copy built from its facts. */
  brief?: ProductBrief;
  /** Sentences that pad a string to its minLength. */
  sentence: (rng: Rng) => string;
}

export function generateFromSchema(
  node: SchemaNode,
  rng: Rng,
  words: readonly string[],
  brief?: ProductBrief | null,
): unknown {
  let sentence = (r: Rng) => w.sentence(r, words);
  if (brief) {
    // Padding continues the description rather than repeating its opening.
    const pool = productSentences(brief);
    let next = 1;
    sentence = () => pool[next++ % pool.length]!;
  }
  return gen({ words, brief: brief ?? undefined, sentence }, node, rng, "", 0, false);
}

function gen(ctx: Ctx, input: SchemaNode, rng: Rng, name: string, depth: number, inArray: boolean): unknown {
  const node = resolveNode(input);
  switch (node.kind) {
    case "any":
      return depth > SHALLOW_DEPTH ? null : capitalizePhrase(rng, ctx.words);
    case "never":
    case "null":
    case "lazy":
      return null;
    case "const":
      return node.value;
    case "enum":
      return rng.pick(node.values);
    case "boolean":
      return rng.bool();
    case "string":
      return genString(ctx, node, rng, name, inArray);
    case "number":
      return genNumber(node, rng, name);
    case "choice": {
      if (depth > SHALLOW_DEPTH && node.nullIndex >= 0) return null;
      const option = node.options.find((_, i) => i !== node.nullIndex) ?? node.options[0];
      return option ? gen(ctx, option, rng, name, depth, inArray) : null;
    }
    case "array":
      return genArray(ctx, node, rng, name, depth);
    case "object":
      return genObject(ctx, node, rng, depth);
  }
}

function capitalizePhrase(rng: Rng, words: readonly string[]): string {
  return w.capitalize(w.phrase(rng, words));
}

// --- objects & arrays ------------------------------------------------------------------

function genObject(ctx: Ctx, node: Extract<SchemaNode, { kind: "object" }>, rng: Rng, depth: number) {
  const out: Record<string, unknown> = {};
  const shallow = depth > SHALLOW_DEPTH;
  for (const prop of node.properties) {
    // Optional keys are filled too (richer, more realistic replies) unless recursion is deep.
    if (!prop.required && (shallow || depth >= MAX_DEPTH)) continue;
    out[prop.name] = gen(ctx, prop.node, rng.fork(prop.name), prop.name, depth + 1, false);
  }
  // Maps (`additionalProperties: {schema}` without properties) get keys from the prompt.
  const extra = node.additional;
  if (extra && !shallow) {
    const isMap = node.properties.length === 0 && resolveNode(extra).kind !== "any";
    const target = Math.max(isMap ? 2 : 0, node.minProperties);
    for (let i = 0; Object.keys(out).length < target && i < target + 16; i++) {
      const base = w.slugify([ctx.words[i % ctx.words.length] ?? "key"]);
      const key = i < ctx.words.length ? base : `${base}-${i}`;
      if (key in out) continue;
      out[key] = gen(ctx, extra, rng.fork(key), key, depth + 1, false);
    }
  }
  return out;
}

function genArray(ctx: Ctx, node: Extract<SchemaNode, { kind: "array" }>, rng: Rng, name: string, depth: number) {
  const shallow = depth > SHALLOW_DEPTH;
  let count = shallow ? node.minItems : rng.int(DEFAULT_ARRAY_ITEMS[0], DEFAULT_ARRAY_ITEMS[1]);
  count = Math.min(Math.max(count, node.minItems, shallow ? 0 : node.prefix.length), node.maxItems);
  if (!node.items) count = Math.min(count, node.prefix.length);
  const out: unknown[] = [];
  const seen = new Set<string>();
  const copyItems = ctx.brief && node.items && node.prefix.length === 0 ? productList(ctx.brief, name) : [];
  if (copyItems.length > 0) {
    const item = resolveNode(node.items!);
    if (item.kind === "string") {
      for (const candidate of copyItems) {
        if (out.length >= Math.max(count, node.minItems)) break;
        const fitted = fitLength(candidate, item.minLength, item.maxLength, rng, ctx.sentence);
        if (!lengthOk(fitted, item) || (item.regex && !item.regex.test(fitted)) || seen.has(fitted)) continue;
        seen.add(fitted);
        out.push(fitted);
      }
    }
  }
  for (let i = out.length; i < count; i++) {
    const itemNode = node.prefix[i] ?? node.items;
    if (!itemNode) break;
    let value = gen(ctx, itemNode, rng.fork(i), name, depth + 1, true);
    if (node.unique) {
      // Re-roll duplicates with other seeds; enums/booleans may run out of distinct values.
      for (let attempt = 1; seen.has(JSON.stringify(value)) && attempt < 16; attempt++) {
        value = gen(ctx, itemNode, rng.fork(`${i}:${attempt}`), name, depth + 1, true);
      }
      const key = JSON.stringify(value);
      if (seen.has(key)) {
        if (out.length >= node.minItems) break;
        value = uniqueFallback(value, i);
      }
      seen.add(JSON.stringify(value));
    }
    out.push(value);
  }
  return out;
}

/** Last resort for uniqueItems: suffix strings / offset numbers by position. */
function uniqueFallback(value: unknown, index: number): unknown {
  if (typeof value === "string") return `${value} ${index + 1}`;
  if (typeof value === "number") return value + index;
  return value;
}

// --- numbers ---------------------------------------------------------------------------

/** Plausible magnitude for a numeric field, from its name. */
function naturalNumber(name: string, rng: Rng, integer: boolean): number {
  const n = name.toLowerCase();
  if (/price|amount|cost|total|revenue|value/.test(n)) return integer ? rng.int(10, 200) : rng.int(999, 19999) / 100;
  if (/rating|stars/.test(n)) return integer ? rng.int(3, 5) : rng.int(35, 50) / 10;
  if (/score|confidence|probability|ratio|similarity|weight/.test(n))
    return integer ? rng.int(60, 95) : rng.int(60, 95) / 100;
  if (/percent|pct|rate/.test(n)) return integer ? rng.int(5, 60) : rng.int(500, 6000) / 100;
  if (/year/.test(n)) return 2024;
  if (/count|quantity|qty|number|num|total|size|length|limit/.test(n)) return rng.int(1, 12);
  return integer ? rng.int(1, 100) : rng.int(100, 10000) / 100;
}

function genNumber(node: Extract<SchemaNode, { kind: "number" }>, rng: Rng, name: string): number {
  const integer = node.integer || (node.multipleOf !== undefined && Number.isInteger(node.multipleOf));
  let lo = node.min;
  let hi = node.max;
  if (integer) {
    lo = node.minExclusive ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = node.maxExclusive ? Math.ceil(hi) - 1 : Math.floor(hi);
  }
  const inRange = (v: number) =>
    (node.minExclusive && !integer ? v > lo : v >= lo) && (node.maxExclusive && !integer ? v < hi : v <= hi);

  let value = naturalNumber(name, rng, integer);
  if (!inRange(value)) {
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      // Narrow ranges (0..1 scores, 1..5 ratings): pick inside; huge ones: stay near lo.
      const span = Math.min(hi - lo, 1000);
      value = integer ? lo + rng.int(0, span) : lo + rng.next() * span;
      if (!integer) value = Math.round(value * 100) / 100;
    } else if (Number.isFinite(lo)) value = lo + (integer ? rng.int(1, 100) : rng.int(100, 10000) / 100);
    else value = hi - (integer ? rng.int(1, 100) : rng.int(100, 10000) / 100);
    if (!inRange(value)) value = integer ? lo : midpoint(lo, hi, node.minExclusive, node.maxExclusive);
  }
  if (node.multipleOf !== undefined && node.multipleOf > 0) value = snapToMultiple(value, node.multipleOf, lo, hi);
  return Object.is(value, -0) ? 0 : value;
}

function midpoint(lo: number, hi: number, loEx: boolean, hiEx: boolean): number {
  if (Number.isFinite(lo) && Number.isFinite(hi)) return (lo + hi) / 2;
  if (Number.isFinite(lo)) return loEx ? lo + 1 : lo;
  if (Number.isFinite(hi)) return hiEx ? hi - 1 : hi;
  return 0;
}

/** Nearest multiple of `step` inside [lo, hi], expressed without float noise. */
function snapToMultiple(value: number, step: number, lo: number, hi: number): number {
  const decimals = (String(step).split(".")[1] ?? "").length;
  const at = (k: number) => Number((k * step).toFixed(decimals));
  let k = Math.round(value / step);
  if (at(k) < lo) k = Math.ceil(lo / step);
  if (at(k) > hi) k = Math.floor(hi / step);
  return at(k);
}

// --- strings ---------------------------------------------------------------------------

type StringNode = Extract<SchemaNode, { kind: "string" }>;
type TextKind =
  | "html"
  | "handle"
  | "email"
  | "url"
  | "title"
  | "name"
  | "keywords"
  | "keyword"
  | "long"
  | "prose"
  | "phrase"
  | "language"
  | "currency"
  | "phone"
  | "datetime"
  | "date"
  | "uuid"
  | "id"
  | "color"
  | "generic";

// Ordered: the first matching rule wins ("bodyHtml" is html, not long prose).
const KIND_RULES: ReadonlyArray<[RegExp, TextKind]> = [
  [/html/, "html"],
  [/handle|slug/, "handle"],
  [/e-?mail/, "email"],
  [/url|uri$|link|href|website/, "url"],
  [/uuid|guid/, "uuid"],
  [/title|headline|heading|subject/, "title"],
  [/keywords|tags/, "keywords"],
  [/keyword|tag$/, "keyword"],
  [/description|body|content|copy|article|paragraph/, "long"],
  [
    /summary|answer|reply|message|text|explanation|reason|rationale|excerpt|comment|note|caption|alt|snippet|intro|translation|insight|recommendation/,
    "prose",
  ],
  [/bullet|feature|highlight|benefit|point|suggestion|idea|item|option/, "phrase"],
  [/^(lang|language|locale)$|language|locale/, "language"],
  [/currency/, "currency"],
  [/phone/, "phone"],
  [/date$|^date|birthday/, "date"],
  [/_at$|timestamp|datetime|time$/, "datetime"],
  [/sku|code$/, "id"],
  [/colou?r/, "color"],
  [/name|label/, "name"],
];

const kindCache = new Map<string, TextKind>();

function textKind(name: string, inArray: boolean): TextKind {
  const cacheKey = `${inArray ? 1 : 0}${name}`;
  let kind = kindCache.get(cacheKey);
  if (!kind) {
    const n = name.toLowerCase();
    // camelCase suffixes need the original case: "productId"/"createdAt", not "paid"/"format".
    if (/(^|[_-])id$|[a-z0-9]Id$/.test(name) || name === "ID") kind = "id";
    else if (/[a-z]At$/.test(name)) kind = "datetime";
    else kind = KIND_RULES.find(([re]) => re.test(n))?.[1] ?? "generic";
    // Items of a "tags"/"keywords" array are single keywords, not comma lists.
    if (kind === "keywords" && inArray) kind = "keyword";
    if (kindCache.size > 4096) kindCache.clear();
    kindCache.set(cacheKey, kind);
  }
  return kind;
}

const COLORS = ["black", "white", "navy", "olive", "sand", "charcoal", "forest green", "burgundy"];

function formatCandidate(format: string | undefined, rng: Rng, words: readonly string[]): string | undefined {
  switch (format) {
    case "email":
    case "idn-email":
      return `${w.slugify(words.slice(0, 1))}@example.com`;
    case "uri":
    case "url":
    case "iri":
    case "uri-reference":
    case "iri-reference":
      return `https://example.com/products/${w.slugify(w.pickWords(rng, words, 2))}`;
    case "date-time":
      return isoDate(rng) + "T10:00:00Z";
    case "date":
      return isoDate(rng);
    case "time":
      return `${String(rng.int(8, 18)).padStart(2, "0")}:00:00Z`;
    case "duration":
      return `P${rng.int(1, 30)}D`;
    case "uuid":
      return uuid(rng);
    case "ipv4":
      return `192.0.2.${rng.int(1, 254)}`;
    case "ipv6":
      return `2001:db8::${rng.int(1, 9999)}`;
    case "hostname":
    case "idn-hostname":
      return "example.com";
    default:
      return undefined;
  }
}

function isoDate(rng: Rng): string {
  return `2024-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
}

/** RFC 4122 v4 layout (version nibble 4, variant 8-b) so strict uuid validators accept it. */
function uuid(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
}

function candidateByKind(kind: TextKind, rng: Rng, words: readonly string[], maxLength: number): string {
  switch (kind) {
    case "html":
      return w.html(rng, words, maxLength);
    case "handle":
      return w.slugify(w.pickWords(rng, words, 3));
    case "email":
      return formatCandidate("email", rng, words)!;
    case "url":
      return formatCandidate("uri", rng, words)!;
    case "uuid":
      return uuid(rng);
    case "title":
      return w.title(rng, words);
    case "name":
      return w.titleCase(w.pickWords(rng, words, rng.int(2, 3)));
    case "keywords":
      return w.pickWords(rng, words, 4).join(", ");
    case "keyword":
      return w.phrase(rng, words, 1, 2);
    case "long":
      return w.paragraph(rng, words, rng.int(2, 3));
    case "prose":
      return w.paragraph(rng, words, rng.int(1, 2));
    case "phrase":
      return w.capitalize(w.phrase(rng, words));
    case "language":
      return "en";
    case "currency":
      return "USD";
    case "phone":
      return `+1 555 010 ${rng.int(1000, 9999)}`;
    case "date":
      return isoDate(rng);
    case "datetime":
      return isoDate(rng) + "T10:00:00Z";
    case "id":
      return `${w.slugify(w.pickWords(rng, words, 1))}-${rng.int(1000, 9999)}`;
    case "color":
      return rng.pick(COLORS);
    case "generic":
      return w.capitalize(w.phrase(rng, words));
  }
}

/** Code points, which is what JSON Schema's minLength/maxLength count. */
function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0)) n++;
  }
  return n;
}

/**
 * Pads with sentences up to minLength, then cuts at a word boundary within maxLength.
 * maxLength is checked in UTF-16 units and minLength in code points, so the result is
 * valid for JSON Schema validators and for zod's `.max()/.min()` (string.length) alike.
 */
function fitLength(text: string, min: number, max: number, rng: Rng, sentence: (rng: Rng) => string): string {
  let out = text;
  for (let i = 0; codePointLength(out) < min && i < 1000; i++) {
    const addition = sentence(rng);
    out = out ? `${out}${/[.!?]$/.test(out) ? " " : ". "}${addition}` : addition;
  }
  if (out.length > max) {
    const hard = safeSlice(out, max);
    const space = hard.lastIndexOf(" ");
    let soft = space > 0 ? hard.slice(0, space) : hard;
    // Don't end a cut sentence on "and"/"with"/a dash; close it with a period if there's room.
    soft = trimDangling(soft);
    if (/[.!?]$/.test(out) && !/[.!?]$/.test(soft) && soft.length < max) soft += ".";
    out = codePointLength(soft) >= Math.max(min, Math.floor(max / 2)) ? soft : hard;
  }
  while (codePointLength(out) < min) out += "x"; // only when min > what words can fill
  return out;
}

function trimDangling(text: string): string {
  let out = text.replace(/[\s,;:–—-]+$/u, "");
  for (let i = 0; i < 4; i++) {
    const m = /\s+(\S+)$/.exec(out);
    if (!m || !w.isStopWord(m[1]!.toLowerCase())) break;
    out = out.slice(0, m.index).replace(/[\s,;:–—-]+$/u, "");
  }
  return out;
}

function lengthOk(text: string, node: StringNode): boolean {
  return text.length <= node.maxLength && codePointLength(text) >= node.minLength;
}

function genString(ctx: Ctx, node: StringNode, rng: Rng, name: string, inArray: boolean): string {
  const { words } = ctx;
  const kind = textKind(name, inArray);
  let text = formatCandidate(node.format, rng, words);
  if (text === undefined || !lengthOk(text, node)) {
    text = (ctx.brief && productCandidate(ctx.brief, kind, name, rng, node.maxLength)) || undefined;
    text ??= candidateByKind(kind, rng, words, node.maxLength);
    if (kind === "html") text = growHtml(text, node, rng, ctx.sentence);
    if (kind === "html" && text === "") text = w.capitalize(w.phrase(rng, words)); // too short for tags
    if (!lengthOk(text, node)) text = fitLength(text, node.minLength, node.maxLength, rng, ctx.sentence);
  }
  if (!node.regex || node.regex.test(text)) return text;

  // Pattern: try prompt-flavoured shapes first (slugs, single words), then the regex itself.
  const shapes = [
    w.slugify(words.slice(0, 2)),
    w.slugify(words.slice(0, 1)),
    words[0] ?? "",
    w.capitalize(words[0] ?? ""),
    words.slice(0, 2).join(" "),
    String(rng.int(1, 9)),
  ];
  for (const shape of shapes) if (node.regex.test(shape) && lengthOk(shape, node)) return shape;
  for (let attempt = 0; attempt < 24; attempt++) {
    const made = stringFromPattern(node.pattern ?? "", rng.fork(attempt));
    if (made !== null && node.regex.test(made) && lengthOk(made, node)) return made;
  }
  return text; // best effort: the pattern is outside pattern-lite's subset
}

/** Adds paragraphs to generated HTML until minLength is met (if they fit under maxLength). */
function growHtml(htmlText: string, node: StringNode, rng: Rng, sentence: (rng: Rng) => string): string {
  let out = htmlText;
  while (out && codePointLength(out) < node.minLength) {
    const next = `${out}<p>${sentence(rng)}</p>`;
    if (next.length > node.maxLength) break;
    out = next;
  }
  return out;
}

/** Copy for a string field of a product, chosen by the field's name; "" when nothing fits. */
function productCandidate(brief: ProductBrief, kind: TextKind, name: string, rng: Rng, maxLength: number): string {
  const n = name.toLowerCase();
  if (kind === "html") return productHtml(brief, rng, maxLength);
  if (/meta.?title|seo.?title|page.?title/.test(n) || kind === "title") return productTitle(brief);
  if (/meta.?desc|seo.?desc/.test(n)) return productMetaDescription(brief);
  if (/short|pitch|summary|tagline|excerpt/.test(n)) return productPitch(brief);
  if (kind === "keywords") return productKeywords(brief).slice(0, 5).join(", ");
  if (kind === "keyword") return productKeywords(brief)[0] ?? "";
  if (kind === "long") return productSentences(brief).slice(0, 4).join(" ");
  if (kind === "prose") return productSentences(brief).slice(0, 2).join(" ");
  if (kind === "name") return brief.title;
  return "";
}

/** Items for a string array of a product, by the array's name; empty when none are modelled. */
function productList(brief: ProductBrief, name: string): string[] {
  const n = name.toLowerCase();
  if (/keyword|tags?$/.test(n)) return productKeywords(brief);
  if (/use.?case|occasion|uses$|ideal.?for/.test(n)) return productUseCases(brief);
  if (/feature|bullet|highlight|benefit|point/.test(n)) return productFeatures(brief);
  return [];
}

// --- non-schema replies ----------------------------------------------------------------

const OPENERS: ReadonlyArray<(k: string[]) => string> = [
  (k) => `Here is a short answer about ${k[0]}, ${k[1]} and ${k[2]}.`,
  (k) => `Thanks for asking about ${k[0]} and ${k[1]}.`,
  (k) => `In short: ${k[0]} ${k[1]} is a good fit for ${k[2]}.`,
];

/** Plain assistant text for requests without response_format. */
export function plainReply(rng: Rng, words: readonly string[]): string {
  const opener = rng.pick(OPENERS)(words.slice(0, 3) as string[]);
  return `${opener} ${w.paragraph(rng, words, rng.int(1, 2))}`;
}

/** Some JSON object for response_format json_object (no schema to follow). */
export function jsonObjectReply(rng: Rng, words: readonly string[]): string {
  return JSON.stringify({ answer: plainReply(rng, words), keywords: words.slice(0, 3) });
}

// --- deliberately invalid replies (hooks and the invalidJson fault) ---------------------

/** Text that is not even JSON: what a reply cut off mid-object looks like. */
export function malformedJson(valid: string): string {
  const cut = Math.max(1, Math.floor(valid.length / 2));
  return valid.length > 2 ? valid.slice(0, cut) : '{"answer": ';
}

const WRONG_VALUES: readonly unknown[] = [
  12345,
  "emulator-invalid",
  true,
  ["emulator-invalid"],
  { emulator: "invalid" },
  null,
];

function accepts(node: SchemaNode, value: unknown): boolean {
  const n = resolveNode(node);
  switch (n.kind) {
    case "any":
    case "lazy":
      return true;
    case "never":
      return false;
    case "null":
      return value === null;
    case "const":
      return JSON.stringify(n.value) === JSON.stringify(value);
    case "enum":
      return n.values.some((v) => JSON.stringify(v) === JSON.stringify(value));
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "choice":
      return n.options.some((o) => accepts(o, value));
  }
}

/**
 * JSON text that parses but fails the schema: drops a required key when there is one,
 * else swaps in a value of a type the schema rejects; falls back to malformed JSON when
 * the schema accepts anything at all.
 */
export function invalidForSchema(node: SchemaNode, valid: unknown): string {
  const root = resolveNode(node);
  if (root.kind === "object" && typeof valid === "object" && valid !== null && !Array.isArray(valid)) {
    const copy = { ...(valid as Record<string, unknown>) };
    const required = root.properties.find((p) => p.required);
    if (required) {
      delete copy[required.name];
      return JSON.stringify(copy);
    }
    for (const prop of root.properties) {
      const wrong = WRONG_VALUES.find((v) => !accepts(prop.node, v));
      if (wrong !== undefined) return JSON.stringify({ ...copy, [prop.name]: wrong });
    }
    if (root.additional === null) return JSON.stringify({ ...copy, emulator_invalid: true });
  }
  const wrong = WRONG_VALUES.find((v) => !accepts(root, v));
  return wrong !== undefined ? JSON.stringify(wrong) : malformedJson(JSON.stringify(valid));
}

/** Seed for a request: same model + messages + schema (+ seed param) → same Rng. */
export function requestSeed(parts: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) h = hash32(part, h ^ 0x9e3779b9);
  return h;
}
