import sanitizeHtml from "sanitize-html";

import { DESCRIPTION_TAGS, type GeneratedCopy } from "~/services/content/copy/schema";
import type { ProductCopy, ProductFacts } from "~/services/ports/catalog";

/**
 * The app's policy for anything it stores or writes to a storefront: LLM output, catalog text and
 * merchant edits are all untrusted. Descriptions keep only DESCRIPTION_TAGS, without attributes;
 * plain-text fields keep no markup at all; neither keeps invisible or control characters. AI
 * answers also lose web addresses that are not in the product's own details and any sentence of
 * the instructions the app gave the model. Every removal is reported, so the caller can send the
 * copy to review and tell the merchant why.
 */

/** Copy that went through `sanitizeCopy`: the only copy createDraftVersion stores. */
export type SanitizedCopy = GeneratedCopy & { readonly __sanitized: true };

/** What had to be removed. Empty means the copy came back exactly as safe as it was. */
export interface Findings {
  /** Tags and attributes outside the allow-list, e.g. "<script>", "onerror attribute". */
  markup: string[];
  /** Web addresses that were not in the product's details (AI answers only), removed. */
  urls: string[];
  /**
   * Web addresses kept because the product's details carry them (AI answers only). Catalog text is
   * untrusted too (a supplier feed, an import), so copy with any address waits for the merchant.
   */
  keptUrls: string[];
  /** The answer repeated sentences of the app's instructions to the model. */
  leakedInstructions: boolean;
  /** Invisible, direction-changing or control characters. */
  hiddenCharacters: boolean;
}

/** Whose text it is: an AI answer is held to the product's facts; a merchant's edit is not. */
export type CopySource =
  { kind: "ai"; facts: ProductFacts; instructions: string; note?: string | null } | { kind: "merchant" };

const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "iframe",
  "noembed",
  "noframes",
  "xmp",
  "template",
  "title",
  "select",
];

// C0/C1 controls (tab and newline stay), zero-width and joiner-less format characters, bidi
// embeddings/overrides/isolates, the BOM, and Unicode "tag" characters (invisible ASCII
// look-alikes used to smuggle instructions). ZWJ stays: emoji sequences need it.
const HIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g;

// What a web address may run on with; it stops at escaped markup characters too.
const URL_CHARS = String.raw`(?:(?!&(?:lt|gt|quot|#39);)[^\s"'<>()\[\]{}\\])`;
const TLDS =
  "com|net|org|io|co|info|biz|xyz|app|dev|shop|store|online|site|link|top|me|ly|gg|tk|ru|cn|example|test|invalid|local";
/** Web addresses in text: with a scheme (dangerous ones included), protocol-relative, www., or a bare domain. */
const URL_PATTERN = new RegExp(
  [
    String.raw`\b(?:https?|ftp|file):\/\/${URL_CHARS}+`,
    String.raw`\b(?:javascript|vbscript):${URL_CHARS}+`,
    String.raw`\bdata:[a-z]+\/${URL_CHARS}*`,
    String.raw`(?<![\w.:/])//[a-z0-9-]+(?:\.[a-z0-9-]+)+${URL_CHARS}*`,
    String.raw`\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+${URL_CHARS}*`,
    String.raw`\b(?:[a-z0-9-]+\.)+(?:${TLDS})\b(?:/${URL_CHARS}*)?`,
  ].join("|"),
  "gi",
);

function normalizeUrl(url: string): string {
  return url
    .replace(/&amp;/g, "&")
    .replace(/[.,;:!?]+$/, "")
    .replace(/^(?:https?:)?\/\//i, "")
    .replace(/^www\./i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

function urlsIn(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((match) => match[0].replace(/[.,;:!?]+$/, ""));
}

const escapeHtmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Sentences and clauses of the model's instructions long enough to be recognisable if repeated. */
function instructionFragments(instructions: string): RegExp[] {
  const pieces = instructions
    .split(/\n|(?<=[.!?])\s+/)
    .flatMap((sentence) => [sentence, ...sentence.split(/[,;:]\s+/)])
    .map((piece) => piece.trim().replace(/[.!?]+$/, ""))
    .filter((piece) => piece.length >= 24);
  const unique = [...new Set(pieces)].sort((a, b) => b.length - a.length);
  return unique.map(
    (piece) =>
      new RegExp(
        escapeHtmlText(piece)
          .split(/\s+/)
          .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(String.raw`\s+`),
        "gi",
      ),
  );
}

interface Context {
  findings: Findings;
  allowedUrls: Set<string> | null;
  /** The instructions' fragments, escaped as sanitize-html escapes text. */
  instructions: RegExp[];
}

/** Schemes never written, even when the catalog text carries them. */
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data|file):/i;

/**
 * Text-level cleaning, after the markup pass, on sanitize-html's output: text there is escaped
 * and no `<` is left in it, so no removal here can form a tag.
 */
function cleanText(text: string, ctx: Context): string {
  let out = text.normalize("NFC");
  const visible = out.replace(HIDDEN, "");
  if (visible !== out) ctx.findings.hiddenCharacters = true;
  out = visible;
  for (const fragment of ctx.instructions) {
    const without = out.replace(fragment, "");
    if (without !== out) ctx.findings.leakedInstructions = true;
    out = without;
  }
  if (ctx.allowedUrls) {
    const allowed = ctx.allowedUrls;
    out = out.replace(URL_PATTERN, (match) => {
      const url = match.replace(/[.,;:!?]+$/, "");
      if (allowed.has(normalizeUrl(url)) && !DANGEROUS_SCHEME.test(url)) {
        const kept = url.replace(/&amp;/g, "&");
        // Listed once per address, by the key that allowed it ("Northwind.example/care" at a
        // sentence start is the product's northwind.example/care).
        const key = normalizeUrl(url);
        if (!ctx.findings.keptUrls.some((seen) => normalizeUrl(seen) === key)) ctx.findings.keptUrls.push(kept);
        return match;
      }
      const shown = url.replace(/&amp;/g, "&");
      if (!ctx.findings.urls.includes(shown)) ctx.findings.urls.push(shown);
      return match.slice(url.length);
    });
  }
  return out;
}

/**
 * Records markup outside the allow-list as the merchant will read it: disallowed tags, the
 * event handlers they carried, and any attribute at all on an allowed tag.
 */
function noteMarkup(ctx: Context, allowedTags: readonly string[]) {
  return (name: string, attributes: Record<string, string>) => {
    const found = ctx.findings.markup;
    const allowed = allowedTags.includes(name);
    if (!allowed && !found.includes(`<${name}>`)) found.push(`<${name}>`);
    for (const attribute of Object.keys(attributes).map((key) => key.toLowerCase())) {
      if (!allowed && !attribute.startsWith("on")) continue;
      const label = `${attribute} attribute`;
      if (!found.includes(label)) found.push(label);
    }
  };
}

const HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...DESCRIPTION_TAGS],
  allowedAttributes: {},
  allowedSchemes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: NON_TEXT_TAGS,
};

function cleanHtml(html: string, ctx: Context): string {
  const marked = sanitizeHtml(html, { ...HTML_OPTIONS, onOpenTag: noteMarkup(ctx, DESCRIPTION_TAGS) });
  // Once more after the text pass: cheap, the output is sanitize-html's own, and blocks the text
  // pass emptied go.
  return sanitizeHtml(cleanText(marked, ctx), {
    ...HTML_OPTIONS,
    exclusiveFilter: (frame) => frame.tag !== "br" && !frame.text.trim() && !frame.mediaChildren.length,
  }).trim();
}

/** Plain text: every tag goes; entities are decoded except into markup; whitespace is tidied. */
function cleanPlain(text: string, ctx: Context, { multiline = false } = {}): string {
  const escaped = sanitizeHtml(text, {
    allowedTags: [],
    allowedAttributes: {},
    disallowedTagsMode: "discard",
    nonTextTags: NON_TEXT_TAGS,
    onOpenTag: noteMarkup(ctx, []),
  });
  // sanitize-html escapes &, < and > in text; < and > stay out, since themes print metafields raw.
  const plain = cleanText(escaped, ctx)
    .replace(/&lt;|&gt;/g, "")
    .replace(/&amp;/g, "&");
  const spaced = multiline ? plain.replace(/[^\S\n]+/g, " ").replace(/\n{3,}/g, "\n\n") : plain.replace(/\s+/g, " ");
  return spaced.trim();
}

function contextFor(source: CopySource): Context {
  const findings: Findings = { markup: [], urls: [], keptUrls: [], leakedInstructions: false, hiddenCharacters: false };
  if (source.kind === "merchant") return { findings, allowedUrls: null, instructions: [] };
  const { facts } = source;
  const factText = [
    facts.title,
    facts.vendor,
    facts.productType,
    facts.descriptionHtml,
    source.note ?? "",
    ...facts.tags,
    ...facts.imageAltTexts,
    ...facts.options.flatMap((option) => [option.name, ...option.values]),
    ...facts.variants.map((variant) => variant.title),
  ].join("\n");
  return {
    findings,
    allowedUrls: new Set(urlsIn(factText).map(normalizeUrl)),
    instructions: instructionFragments(source.instructions),
  };
}

/** Cleans every field of generated or edited copy. */
export function sanitizeCopy(copy: GeneratedCopy, source: CopySource): { copy: SanitizedCopy; findings: Findings } {
  const ctx = contextFor(source);
  const list = (items: string[]) => items.map((item) => cleanPlain(item, ctx)).filter(Boolean);
  const clean = {
    descriptionHtml: cleanHtml(copy.descriptionHtml, ctx),
    shortDescription: cleanPlain(copy.shortDescription, ctx, { multiline: true }),
    features: list(copy.features),
    useCases: list(copy.useCases),
    seoKeywords: list(copy.seoKeywords),
    metaTitle: cleanPlain(copy.metaTitle, ctx),
    metaDescription: cleanPlain(copy.metaDescription, ctx),
  };
  return { copy: clean as SanitizedCopy, findings: ctx.findings };
}

/** The last pass before the store's write: the same allow-lists, whatever the copy's history. */
export function sanitizeForWrite(copy: ProductCopy): { copy: ProductCopy; findings: Findings } {
  const { copy: clean, findings } = sanitizeCopy({ ...copy, seoKeywords: copy.keywords }, { kind: "merchant" });
  const { seoKeywords, ...rest } = clean;
  return { copy: { ...rest, keywords: seoKeywords, versionMarker: copy.versionMarker }, findings };
}

/**
 * A description as the admin may render it: the storefront's allow-list, whoever wrote it (a
 * description read from the store can carry anything a staff member or another app put there,
 * and a stored version may predate today's policy: decision 015, sanitise on the way out).
 */
export function displayableHtml(html: string): string {
  return cleanHtml(html, contextFor({ kind: "merchant" }));
}

/** Catalog text as it goes into a prompt: visible characters only (no hidden instructions). */
export function untrustedText(text: string): string {
  return text.replace(HIDDEN, "");
}

/** An HTML description as one line of plain text (for prompts: the facts without their markup). */
export function plainTextOf(html: string): string {
  // A space before every tag keeps words of adjacent blocks apart ("<p>a</p><p>b</p>" -> "a b").
  return cleanPlain(html.replace(/</g, " <"), contextFor({ kind: "merchant" }), { multiline: false });
}

export function hasFindings(findings: Findings): boolean {
  return (
    findings.markup.length > 0 ||
    findings.urls.length > 0 ||
    findings.keptUrls.length > 0 ||
    findings.leakedInstructions ||
    findings.hiddenCharacters
  );
}

function listed(items: string[], max = 8): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Why copy waits for the merchant, in plain words, or null when nothing had to be removed.
 * `whose` names the text: "the AI's answer" or "your edit".
 */
export function reviewReasonFor(findings: Findings, whose: "the AI's answer" | "your edit"): string | null {
  if (!hasFindings(findings)) return null;
  const parts: string[] = [];
  if (findings.markup.length) parts.push(`We removed unsafe markup from ${whose}: ${listed(findings.markup)}.`);
  if (findings.urls.length) {
    parts.push(`We removed web addresses that are not in the product's details: ${listed(findings.urls, 5)}.`);
  }
  if (findings.keptUrls.length) {
    parts.push(`It mentions web addresses taken from the product's details: ${listed(findings.keptUrls, 5)}.`);
  }
  if (findings.leakedInstructions) parts.push("We removed text in which the AI repeated its own instructions.");
  if (findings.hiddenCharacters) parts.push(`We removed hidden characters from ${whose}.`);
  parts.push("Check it before publishing.");
  return parts.join(" ");
}
