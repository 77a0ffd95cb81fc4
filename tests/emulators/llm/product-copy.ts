// Product copy that reads like product copy. When a prompt carries a product as a JSON object
// (title plus vendor, type, tags, options...: what a copy prompt sends), replies are built from
// templates filled with those facts and the brand voice the system message states, instead of
// from the prompt's raw words. Deterministic: the same product and voice give the same copy.
import type { Rng } from "./random";

export interface ProductBrief {
  title: string;
  vendor: string;
  /** What the product is, lower-case ("hat", "linen shirt"). */
  noun: string;
  tags: string[];
  options: Array<{ name: string; values: string[] }>;
  /** Cheapest variant price, as given. */
  price: string | null;
  /** Sentences of the current description (facts the copy may repeat). */
  facts: string[];
  tone: string;
  audience: string;
  keywords: string[];
}

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === "string" ? value.replace(/\s+/g, " ").trim() : "");
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(text).filter(Boolean) : []);

/** The first JSON object line of the messages that describes a product, if any. */
function productObject(messages: readonly string[]): Json | null {
  for (const message of messages) {
    for (const line of message.split("\n")) {
      const trimmed = line.trim();
      if (!trimmed.startsWith("{") || !trimmed.includes('"title"')) continue;
      try {
        const value = JSON.parse(trimmed) as unknown;
        if (value && typeof value === "object" && !Array.isArray(value) && text((value as Json).title)) {
          return value as Json;
        }
      } catch {
        // Not JSON after all: keep looking.
      }
    }
  }
  return null;
}

/** A quoted setting ("warm") without its JSON quotes; an unquoted one as it is. */
function unquoted(value: string): string {
  const trimmed = value.trim();
  if (!/^".*"$/.test(trimmed)) return trimmed;
  try {
    return String(JSON.parse(trimmed));
  } catch {
    return trimmed.slice(1, -1);
  }
}

/** 'Brand tone: "warm".' → '"warm"' (the first sentence-ending period closes the value). */
function statedRaw(system: string, label: string): string {
  const match = new RegExp(`${label}:\\s*([^\\n]+?)\\.(?:\\s|$)`, "i").exec(system);
  return match ? match[1]!.trim() : "";
}

const stated = (system: string, label: string) => unquoted(statedRaw(system, label));

/** '"merino", "warm hat"' (quoted, as Storewise writes it) or 'merino, warm hat' → the keywords. */
function keywordList(raw: string): string[] {
  if (raw.startsWith('"')) {
    try {
      return (JSON.parse(`[${raw}]`) as unknown[]).map(String).filter(Boolean);
    } catch {
      // Not a JSON list after all: read it as a plain one.
    }
  }
  return raw
    .split(",")
    .map((keyword) => keyword.trim())
    .filter(Boolean);
}

export function productBrief(messages: ReadonlyArray<{ role: string; text: string }>): ProductBrief | null {
  const product = productObject(messages.filter((m) => m.role === "user").map((m) => m.text));
  if (!product) return null;
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => m.text)
    .join("\n");
  const title = text(product.title);
  const type = text(product.productType);
  const options = Array.isArray(product.options)
    ? (product.options as Json[])
        .map((option) => ({ name: text(option?.name), values: list(option?.values) }))
        .filter((option) => option.name && option.values.length > 0 && option.name.toLowerCase() !== "title")
    : [];
  const prices = Array.isArray(product.variants)
    ? (product.variants as Json[]).map((variant) => Number(variant?.price)).filter((p) => Number.isFinite(p) && p > 0)
    : [];
  const keywords = keywordList(statedRaw(system, "Work these keywords in naturally"));
  return {
    title,
    vendor: text(product.vendor),
    noun: singular((type || title.split(" ").slice(-1)[0] || "product").toLowerCase()),
    tags: list(product.tags).slice(0, 6),
    options,
    price: prices.length ? Math.min(...prices).toFixed(2) : null,
    facts: text(product.currentDescription)
      .split(/(?<=[.!?])\s+/)
      .filter((s) => s.length > 12 && s.length < 200)
      .slice(0, 3),
    tone: (stated(system, "Brand tone") || "friendly").split(/[,;]/)[0]!.trim().toLowerCase(),
    audience: stated(system, "Audience"),
    keywords,
  };
}

/** Plurals the rules below get wrong ("scarves" is not a "scarve"). */
const IRREGULAR_PLURALS: Record<string, string> = {
  scarves: "scarf",
  knives: "knife",
  shelves: "shelf",
  leaves: "leaf",
  loaves: "loaf",
  halves: "half",
  wolves: "wolf",
};

/** Product types are often plural ("Hats"); copy talks about one ("a warm hat"). */
const singular = (noun: string) => IRREGULAR_PLURALS[noun] ?? noun.replace(/ies$/, "y").replace(/([^s])s$/, "$1");
const cap = (s: string) => (s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s);
const joined = (values: readonly string[]) =>
  values.length <= 1 ? (values[0] ?? "") : `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
const an = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

function by(brief: ProductBrief): string {
  return brief.vendor ? ` from ${brief.vendor}` : "";
}

/** Sentences about the product, in an order that reads as a description. */
export function productSentences(brief: ProductBrief): string[] {
  const { title, noun, tone } = brief;
  const out = [
    `Meet the ${title}${by(brief)}: ${an(tone)} ${tone} take on the everyday ${noun}.`,
    ...brief.facts,
    ...brief.options.map(
      (option) => `Choose from ${option.values.length} ${option.name.toLowerCase()} options: ${joined(option.values)}.`,
    ),
    brief.tags.length ? `It suits anyone looking for something ${joined(brief.tags.slice(0, 3))}.` : "",
    brief.audience ? `Made with ${brief.audience} in mind.` : "",
    brief.keywords.length ? `A ${noun} that is ${joined(brief.keywords.slice(0, 3))} at heart.` : "",
    `The ${title} is easy to reach for, day after day.`,
    brief.vendor
      ? `${brief.vendor} stands behind every ${noun} it makes.`
      : `Every ${noun} is checked before it ships.`,
    brief.price ? `Available from ${brief.price}.` : "",
    `Add the ${title} to your cart today.`,
  ];
  return out.filter(Boolean);
}

export function productFeatures(brief: ProductBrief): string[] {
  const out = [
    ...brief.options.map((option) => `Available in ${joined(option.values)}`),
    ...brief.facts.map((fact) => fact.replace(/[.!?]$/, "")),
    ...brief.tags.map((tag) => `${cap(tag)} by design`),
    brief.vendor ? `Made by ${brief.vendor}` : `Carefully made`,
    `${cap(brief.tone)} look that lasts`,
    `Simple to care for`,
    `A ${brief.noun} for every day`,
  ];
  return unique(out);
}

export function productUseCases(brief: ProductBrief): string[] {
  return unique([
    `Everyday use, at home or out and about`,
    `A thoughtful gift for someone who loves a good ${brief.noun}`,
    brief.audience ? `Made for ${brief.audience}` : "",
    ...brief.tags.slice(0, 2).map((tag) => `When you want something ${tag}`),
    `Weekends and travel`,
    `Refreshing your ${brief.noun} collection`,
  ]);
}

/** Search phrases, no two alike. */
export function productKeywords(brief: ProductBrief): string[] {
  const noun = brief.noun;
  const vendor = brief.vendor.toLowerCase();
  return unique([
    brief.title.toLowerCase(),
    ...brief.keywords.map((k) => k.toLowerCase()),
    vendor ? `${vendor} ${noun}` : "",
    ...brief.tags.map((tag) => (tag.toLowerCase().includes(noun) ? tag.toLowerCase() : `${tag.toLowerCase()} ${noun}`)),
    ...brief.options.flatMap((option) => option.values.slice(0, 2).map((value) => `${value.toLowerCase()} ${noun}`)),
    `${brief.tone} ${noun}`,
    `buy ${noun} online`,
    `best ${noun}`,
    `${noun} gift`,
    noun,
  ]);
}

export function productTitle(brief: ProductBrief): string {
  return brief.vendor ? `${brief.title} | ${brief.vendor}` : `${brief.title} – ${cap(brief.noun)}`;
}

export function productPitch(brief: ProductBrief): string {
  return `The ${brief.title}${by(brief)} is ${an(brief.tone)} ${brief.tone} ${brief.noun} you will reach for every day.`;
}

export function productMetaDescription(brief: ProductBrief): string {
  const detail = brief.options[0] ? ` in ${joined(brief.options[0].values.slice(0, 3))}` : "";
  return `Shop the ${brief.title}${by(brief)}: ${an(brief.tone)} ${brief.tone} ${brief.noun}${detail}. Order online today.`;
}

export function productHtml(brief: ProductBrief, rng: Rng, maxLength: number): string {
  const sentences = productSentences(brief);
  const intro = sentences.slice(0, 2).join(" ");
  const features = productFeatures(brief).slice(0, rng.int(3, 4));
  const closing = sentences.slice(-2).join(" ");
  const candidates = [
    `<p>${intro}</p><ul>${features.map((f) => `<li>${f}</li>`).join("")}</ul><p>${closing}</p>`,
    `<p>${intro}</p><p>${closing}</p>`,
    `<p>${sentences[0]}</p>`,
  ];
  return candidates.find((c) => c.length <= maxLength) ?? "";
}

function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (!value || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}
