import { normaliseQuestion, suggestFaqEntries, type UnansweredQuestion } from "~/services/support/faq-suggestions";
import type { Db } from "~/services/types";

const WINDOW_DAYS = 90;

/**
 * Suggested FAQ entries for the shop: the last 90 days' shopper messages whose reply offered a
 * person (source or action "handoff": the model handed off, or it was down and no FAQ entry was
 * confident), grouped by normalised text. Dismissed suggestions and questions the FAQ already has
 * are left out.
 */
export async function listFaqSuggestions({ db, shop, now = new Date() }: { db: Db; shop: string; now?: Date }) {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const [questions, dismissed, faq] = await Promise.all([
    // The reply to a shopper's message is the dialog's next assistant message (they are saved
    // together, so at the same instant or just after).
    db.$queryRaw<UnansweredQuestion[]>`
      SELECT u."text", u."dialogId", COALESCE(u."locale", d."locale") AS "locale", u."createdAt" AS "askedAt"
      FROM "SupportMessage" u
      JOIN "SupportDialog" d ON d."id" = u."dialogId"
      JOIN LATERAL (
        SELECT a."source", a."action" FROM "SupportMessage" a
        WHERE a."dialogId" = u."dialogId" AND a."role" = 'assistant' AND a."createdAt" >= u."createdAt"
        ORDER BY a."createdAt" LIMIT 1
      ) r ON true
      WHERE d."shopDomain" = ${shop} AND u."role" = 'user' AND u."createdAt" >= ${since}
        AND (r."source" = 'handoff' OR r."action" = 'handoff')
      ORDER BY u."createdAt" DESC
      LIMIT 5000`,
    db.supportFaqSuggestionDismissal.findMany({ where: { shopDomain: shop }, select: { key: true } }),
    db.supportFaq.findMany({ where: { shopDomain: shop }, select: { question: true } }),
  ]);
  const exclude = new Set([
    ...dismissed.map((row) => row.key),
    ...faq.map((entry) => normaliseQuestion(entry.question)),
  ]);
  return suggestFaqEntries(questions, exclude);
}

/** Stops suggesting a question (Dismiss, or once it was added to the FAQ). Idempotent. */
export async function dismissFaqSuggestion({ db, shop, key }: { db: Db; shop: string; key: string }) {
  await db.supportFaqSuggestionDismissal.upsert({
    where: { shopDomain_key: { shopDomain: shop, key } },
    create: { shopDomain: shop, key },
    update: {},
  });
}
