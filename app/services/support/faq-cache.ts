import type { FaqMatch } from "~/services/support/match-faq.server";

/**
 * Recent FAQ matches per shop, normalised question and language, in this process (decision 027):
 * the same few questions ("return policy?") make most of a store's chat traffic, and matching
 * them is a trigram query per message. Entries live ENTRY_TTL_MS and are dropped at once when this
 * process edits the shop's FAQ (manage-faq.server.ts); another web process sees an edit within
 * the TTL, as with the session cache. Only the verified shop's key is ever read.
 */
const ENTRY_TTL_MS = 10_000;
const MAX_ENTRIES = 5_000;

interface Entry {
  matches: FaqMatch[];
  until: number;
}

const entries = new Map<string, Entry>();

/** Case, accents, punctuation and spacing do not change which entry answers. */
export function normaliseQuestion(message: string): string {
  return message
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#@.]+/gu, " ")
    .trim();
}

const keyOf = (shop: string, message: string, language: string) =>
  `${shop}\u0000${language}\u0000${normaliseQuestion(message)}`;

/** The cached matches for this message, or `match()`'s, remembered for the next asker. */
export async function cachedFaqMatches(
  options: { shop: string; message: string; language: string; now?: number },
  match: () => Promise<FaqMatch[]>,
): Promise<FaqMatch[]> {
  const now = options.now ?? Date.now();
  const key = keyOf(options.shop, options.message, options.language);
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.matches;
  const matches = await match();
  if (entries.size >= MAX_ENTRIES) {
    // Oldest first: a Map iterates in insertion order.
    for (const old of entries.keys()) {
      entries.delete(old);
      if (entries.size < MAX_ENTRIES * 0.9) break;
    }
  }
  entries.delete(key);
  entries.set(key, { matches, until: now + ENTRY_TTL_MS });
  return matches;
}

/** Drops the shop's cached matches: its FAQ changed. */
export function forgetFaqMatches(shop: string): void {
  const prefix = `${shop}\u0000`;
  for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
}
