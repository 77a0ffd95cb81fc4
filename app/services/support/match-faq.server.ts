import type { Db } from "~/services/types";

export interface FaqMatch {
  id: string;
  question: string;
  answer: string;
  locale: string | null;
  /** 0..1: trigram similarity of the shopper's words to the entry's question, or full-text rank. */
  score: number;
}

/** At or above this score the FAQ answers on its own; below, entries are passages for the model. */
export const FAQ_CONFIDENT_SCORE = 0.55;

/**
 * The shop's FAQ entries nearest to the shopper's message, best first. Accents and case are
 * ignored (unaccent), typos and word order are tolerated (pg_trgm), and an entry whose answer
 * shares the message's words also comes up (full-text search), so a question in another language
 * can still find a passage for the model. Only the verified shop's rows are read.
 */
export async function matchFaq(options: {
  db: Db;
  shop: string;
  message: string;
  limit?: number;
}): Promise<FaqMatch[]> {
  const message = options.message.slice(0, 500);
  const rows = await options.db.$queryRaw<
    { id: string; question: string; answer: string; locale: string | null; trigram: number; rank: number }[]
  >`
    WITH q AS (SELECT unaccent(lower(${message})) AS text)
    SELECT f.id, f.question, f.answer, f.locale,
      GREATEST(
        similarity(q.text, unaccent(lower(f.question))),
        word_similarity(unaccent(lower(f.question)), q.text)
      )::float8 AS trigram,
      ts_rank(
        to_tsvector('simple', unaccent(lower(f.question || ' ' || f.answer))),
        plainto_tsquery('simple', q.text)
      )::float8 AS rank
    FROM "SupportFaq" f, q
    WHERE f."shopDomain" = ${options.shop}
    ORDER BY trigram DESC, rank DESC
    LIMIT 50`;
  return rows
    .map((row) => ({
      id: row.id,
      question: row.question,
      answer: row.answer,
      locale: row.locale,
      // Full-text rank alone never makes an entry confident: it only brings passages.
      score: Math.max(row.trigram, Math.min(row.rank * 4, FAQ_CONFIDENT_SCORE - 0.05)),
    }))
    .filter((row) => row.score > 0.15)
    .sort((a, b) => b.score - a.score)
    .slice(0, options.limit ?? 4);
}
