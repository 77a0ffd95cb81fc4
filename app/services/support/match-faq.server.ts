import { logger } from "~/lib/logger.server";
import type { Llm } from "~/services/ports/llm";
import { baseLanguage } from "~/services/support/messages";
import type { Db } from "~/services/types";

export interface FaqMatch {
  /** The FAQ entry's id (a translation answers for its entry). */
  id: string;
  question: string;
  answer: string;
  /** The language of this question and answer: the entry's own, or its translation's. */
  locale: string | null;
  /** 0..1: trigram similarity of the shopper's words to the entry's question, full-text rank, or meaning (embeddings). */
  score: number;
}

/** At or above this score the FAQ answers on its own; below, entries are passages for the model. */
export const FAQ_CONFIDENT_SCORE = 0.55;
/** Cosine similarity of the message's and the question's embeddings that counts as the same question. */
export const FAQ_EMBEDDING_CONFIDENT = 0.8;
/** The query's embedding must not hold the chat up: past this, matching stays lexical. */
const EMBEDDING_BUDGET_MS = 1_500;
/** Entries embedded in one request when some have no vector yet. */
const EMBED_BATCH = 64;

interface Candidate {
  id: string;
  /** SupportFaq, or SupportFaqTranslation (its own row id). */
  table: "faq" | "translation";
  rowId: string;
  question: string;
  answer: string;
  locale: string | null;
  embedding: number[];
  trigram: number;
  rank: number;
}

/**
 * The shop's FAQ entries nearest to the shopper's message, best first, each in the language it
 * matched in: the entry itself or one of its translations (translate-faq.server.ts). Accents and
 * case are ignored (unaccent), typos and word order are tolerated (pg_trgm), and an entry whose
 * answer shares the message's words also comes up (full-text search). When `llm` is given and no
 * entry matched confidently in the shopper's language, the message's embedding is compared
 * (cosine) with the candidates' stored vectors, so a question asked in other words or another
 * language finds its entry; without embeddings (provider down, slow, or none), matching stays
 * lexical. Only the verified shop's rows are read.
 */
export async function matchFaq(options: {
  db: Db;
  shop: string;
  message: string;
  limit?: number;
  /** The shopper's language (base code): a confident match in it needs no embeddings. */
  language?: string;
  llm?: Llm;
}): Promise<FaqMatch[]> {
  const { db, shop } = options;
  const message = options.message.slice(0, 500);
  const candidates = await db.$queryRaw<Candidate[]>`
    WITH q AS (SELECT unaccent(lower(${message})) AS text),
    rows AS (
      SELECT f.id, 'faq' AS "table", f.id AS "rowId", f.question, f.answer, f.locale, f.embedding
      FROM "SupportFaq" f WHERE f."shopDomain" = ${shop}
      UNION ALL
      SELECT t."faqId", 'translation', t.id, t.question, t.answer, t.locale, t.embedding
      FROM "SupportFaqTranslation" t WHERE t."shopDomain" = ${shop}
    )
    SELECT r.id, r."table", r."rowId", r.question, r.answer, r.locale, coalesce(r.embedding, '{}') AS embedding,
      GREATEST(
        similarity(q.text, unaccent(lower(r.question))),
        word_similarity(unaccent(lower(r.question)), q.text)
      )::float8 AS trigram,
      ts_rank(
        to_tsvector('simple', unaccent(lower(r.question || ' ' || r.answer))),
        plainto_tsquery('simple', q.text)
      )::float8 AS rank
    FROM rows r, q
    ORDER BY trigram DESC, rank DESC
    LIMIT 50`;
  const lexical = (row: Candidate) =>
    // Full-text rank alone never makes an entry confident: it only brings passages.
    Math.max(row.trigram, Math.min(row.rank * 4, FAQ_CONFIDENT_SCORE - 0.05));
  const scores = new Map(candidates.map((row) => [row, lexical(row)]));

  const inLanguage = (row: Candidate) => !row.locale || baseLanguage(row.locale) === options.language;
  const confidentInLanguage = candidates.some((row) => scores.get(row)! >= FAQ_CONFIDENT_SCORE && inLanguage(row));
  if (options.llm && candidates.length && !confidentInLanguage) {
    const similarities = await semanticSimilarities({ db, llm: options.llm, shop, message, candidates });
    for (const [row, cosine] of similarities) {
      // A near-identical meaning is as good as a near-identical wording; a looser one only brings a passage.
      const semantic =
        cosine >= FAQ_EMBEDDING_CONFIDENT
          ? FAQ_CONFIDENT_SCORE + (cosine - FAQ_EMBEDDING_CONFIDENT)
          : Math.min(cosine * 0.6, FAQ_CONFIDENT_SCORE - 0.05);
      scores.set(row, Math.max(scores.get(row)!, semantic));
    }
  }

  // One match per entry: a confident one in the shopper's language first, then the best score.
  const rankOf = (row: Candidate, score: number) =>
    (inLanguage(row) && score >= FAQ_CONFIDENT_SCORE ? 1 : 0) + score / 2;
  const best = new Map<string, { row: Candidate; score: number }>();
  for (const row of candidates) {
    const score = scores.get(row)!;
    const current = best.get(row.id);
    if (!current || rankOf(row, score) > rankOf(current.row, current.score)) best.set(row.id, { row, score });
  }
  return [...best.values()]
    .filter((entry) => entry.score > 0.15)
    .sort((a, b) => b.score - a.score)
    .slice(0, options.limit ?? 4)
    .map(({ row, score }) => ({ id: row.id, question: row.question, answer: row.answer, locale: row.locale, score }));
}

function cosine(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Cosine similarity of the message to each candidate question. Questions without a stored vector
 * (new, edited, or translated since) are embedded in the same request as the message and saved,
 * so each entry is embedded once. Any failure leaves matching lexical: an empty map.
 */
async function semanticSimilarities(options: {
  db: Db;
  llm: Llm;
  shop: string;
  message: string;
  candidates: Candidate[];
}): Promise<Map<Candidate, number>> {
  const { db, llm, shop, candidates } = options;
  const missing = candidates.filter((row) => row.embedding.length === 0).slice(0, EMBED_BATCH);
  let vectors: number[][];
  try {
    const budget = AbortSignal.timeout(EMBEDDING_BUDGET_MS);
    vectors = await llm.embed({
      shop,
      task: "support",
      input: [options.message, ...missing.map((row) => row.question)],
      timeoutMs: EMBEDDING_BUDGET_MS,
      signal: budget,
    });
  } catch (error) {
    logger.info({ shop, err: (error as Error).name }, "support FAQ matched without embeddings");
    return new Map();
  }
  const [query, ...fresh] = vectors;
  missing.forEach((row, i) => (row.embedding = fresh[i]!));
  if (missing.length) {
    await Promise.all(
      missing.map((row) =>
        row.table === "faq"
          ? db.supportFaq.updateMany({ where: { id: row.rowId, shopDomain: shop }, data: { embedding: row.embedding } })
          : db.supportFaqTranslation.updateMany({
              where: { id: row.rowId, shopDomain: shop },
              data: { embedding: row.embedding },
            }),
      ),
    ).catch((error: Error) => logger.warn({ shop, err: error.name }, "support FAQ embeddings not saved"));
  }
  return new Map(candidates.map((row) => [row, cosine(query!, row.embedding)]));
}
