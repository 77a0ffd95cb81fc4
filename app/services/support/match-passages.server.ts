import type { Db } from "~/services/types";

export interface PassageMatch {
  kind: string;
  title: string;
  body: string;
  score: number;
}

/**
 * The shop's store passages (policies, pages) nearest to the shopper's message, best first, for
 * the model's prompt: full-text rank over title and body, and trigram similarity to the title
 * (accents and case ignored, as for the FAQ). Only the verified shop's rows are read.
 */
export async function matchPassages(options: {
  db: Db;
  shop: string;
  message: string;
  limit?: number;
}): Promise<PassageMatch[]> {
  const message = options.message.slice(0, 500);
  const rows = await options.db.$queryRaw<
    { kind: string; title: string; body: string; trigram: number; rank: number }[]
  >`
    WITH q AS (SELECT unaccent(lower(${message})) AS text)
    SELECT p.kind, p.title, p.body,
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
    ORDER BY rank DESC, trigram DESC
    LIMIT 20`;
  return rows
    .map((row) => ({ kind: row.kind, title: row.title, body: row.body, score: Math.max(row.rank, row.trigram) }))
    .filter((row) => row.score > 0.05)
    .slice(0, options.limit ?? 3);
}
