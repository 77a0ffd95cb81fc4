import { baseLanguage } from "~/services/support/messages";
import type { Db } from "~/services/types";

export interface PassageMatch {
  /** policy | page | product */
  kind: string;
  sourceId: string;
  title: string;
  body: string;
  /** The passage's language: a store translation's locale, or "" for the source text. */
  locale: string;
  score: number;
  /** 0..1: how fully the passage's title appears in the message (word_similarity). */
  titleMatch: number;
}

/**
 * The shop's store passages (policies, pages, products) nearest to the shopper's message, best
 * first, for the model's prompt and for a direct answer: full-text rank over title and body, and
 * trigram similarity to the title (accents and case ignored, as for the FAQ). Of a source with a
 * translation into the shopper's language, only that translation comes back; the source text
 * otherwise. Only the verified shop's rows are read.
 */
export async function matchPassages(options: {
  db: Db;
  shop: string;
  message: string;
  /** The shopper's language (base code, e.g. "fr"). */
  language?: string;
  limit?: number;
}): Promise<PassageMatch[]> {
  const message = options.message.slice(0, 500);
  const language = options.language ?? "";
  const rows = await options.db.$queryRaw<
    { kind: string; sourceId: string; locale: string; title: string; body: string; trigram: number; rank: number }[]
  >`
    WITH q AS (SELECT unaccent(lower(${message})) AS text)
    SELECT p.kind, p."sourceId", p.locale, p.title, p.body,
      word_similarity(unaccent(lower(p.title)), q.text)::float8 AS trigram,
      ts_rank(
        to_tsvector('simple', unaccent(lower(p.title || ' ' || p.body))),
        -- Any of the message's words (OR), each quoted: a shopper's question shares only some
        -- words with a policy.
        to_tsquery('simple', coalesce((
          SELECT string_agg(quote_literal(word), ' | ')
          FROM unnest(tsvector_to_array(to_tsvector('simple', q.text))) AS word
        ), ''))
      )::float8 AS rank
    FROM "SupportPassage" p, q
    WHERE p."shopDomain" = ${options.shop}
      AND (p.locale = '' OR split_part(lower(p.locale), '-', 1) = ${language})
    ORDER BY rank DESC, trigram DESC
    LIMIT 40`;
  const translated = new Set(
    rows
      .filter((row) => row.locale && baseLanguage(row.locale) === language)
      .map((row) => `${row.kind} ${row.sourceId}`),
  );
  return rows
    .filter((row) => row.locale || !translated.has(`${row.kind} ${row.sourceId}`))
    .map((row) => ({
      kind: row.kind,
      sourceId: row.sourceId,
      title: row.title,
      body: row.body,
      locale: row.locale,
      score: Math.max(row.rank, row.trigram),
      titleMatch: row.trigram,
    }))
    .filter((row) => row.score > 0.05)
    .sort((a, b) => b.score - a.score)
    .slice(0, options.limit ?? 3);
}
