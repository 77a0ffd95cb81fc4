// Token accounting heuristic. OpenAI's tokenizers average ~4 characters of English per
// token; a deterministic approximation is enough for usage numbers, max_tokens and TPM.

/** Characters per token used everywhere (counting, truncation, chunking). */
export const CHARS_PER_TOKEN = 4;

/** Chat framing overhead per message and for priming the reply, as in OpenAI's cookbook formula. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_REPLY_PRIMING = 3;

export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Cuts `text` to at most `maxTokens` tokens, never splitting a surrogate pair. */
export function truncateToTokens(text: string, maxTokens: number): string {
  const limit = maxTokens * CHARS_PER_TOKEN;
  if (text.length <= limit) return text;
  return safeSlice(text, limit);
}

/** `text.slice(0, end)` that backs off one unit instead of leaving a lone high surrogate. */
export function safeSlice(text: string, end: number): string {
  if (end <= 0) return "";
  const code = text.charCodeAt(end - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
  return text.slice(0, cut);
}

/**
 * Splits text into stream pieces of roughly one token each: words keep their leading
 * space (like BPE tokens do) and long words are cut every CHARS_PER_TOKEN characters.
 */
export function splitIntoTokenPieces(text: string): string[] {
  const pieces: string[] = [];
  const words = text.match(/\s*\S+|\s+/g) ?? [];
  for (const word of words) {
    if (word.length <= CHARS_PER_TOKEN + 1) {
      pieces.push(word);
      continue;
    }
    let rest = word;
    while (rest.length > CHARS_PER_TOKEN) {
      const piece = safeSlice(rest, CHARS_PER_TOKEN) || rest.slice(0, CHARS_PER_TOKEN);
      pieces.push(piece);
      rest = rest.slice(piece.length);
    }
    if (rest) pieces.push(rest);
  }
  return pieces;
}
