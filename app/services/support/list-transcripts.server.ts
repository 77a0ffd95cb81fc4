import { Prisma } from "@prisma/client";
import { z } from "zod";

import type { Db } from "~/services/types";

/** The Transcripts tab's search and filters, as the URL carries them. */
export const transcriptQuery = z.object({
  q: z.string().trim().max(200).catch(""),
  source: z.enum(["", "faq", "policy", "catalog", "order", "llm", "handoff"]).catch(""),
  handoff: z.enum(["", "yes", "no"]).catch(""),
  language: z
    .string()
    .trim()
    .regex(/^(?:[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)?$/)
    .catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type TranscriptQuery = z.infer<typeof transcriptQuery>;

export const TRANSCRIPTS_PER_PAGE = 20;

// Handed off, as the analytics count it (chat-analytics.ts): a reply offered a person, or the
// shopper filed a ticket from the dialog.
const handedOff = Prisma.sql`(EXISTS (SELECT 1 FROM "SupportMessage" h
    WHERE h."dialogId" = d."id" AND h."role" = 'assistant' AND (h."source" = 'handoff' OR h."action" = 'handoff'))
  OR EXISTS (SELECT 1 FROM "SupportTicket" t WHERE t."shopDomain" = d."shopDomain" AND t."dialogId" = d."id"))`;

/**
 * The shop's chats for the merchant, newest first, a page at a time: full-text search over the
 * saved (PII-redacted) messages, in any language (unaccented, `simple` configuration, so no
 * language's stemming is assumed), and filters by answer source, handoff and language. Every
 * query is scoped to the verified shop.
 */
export async function listTranscripts({ db, shop, query }: { db: Db; shop: string; query: TranscriptQuery }) {
  const conditions = [Prisma.sql`d."shopDomain" = ${shop}`];
  if (query.q) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "SupportMessage" s WHERE s."dialogId" = d."id"
      AND (to_tsvector('simple', unaccent(s."text")) @@ websearch_to_tsquery('simple', unaccent(${query.q}))
           OR unaccent(lower(s."text")) LIKE '%' || unaccent(lower(${escapeLike(query.q)})) || '%'))`);
  }
  if (query.source) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "SupportMessage" r WHERE r."dialogId" = d."id"
      AND r."role" = 'assistant' AND r."source" = ${query.source})`);
  }
  if (query.handoff === "yes") conditions.push(handedOff);
  if (query.handoff === "no") conditions.push(Prisma.sql`NOT ${handedOff}`);
  if (query.language) {
    conditions.push(Prisma.sql`(d."locale" = ${query.language} OR d."locale" LIKE ${`${query.language}-%`})`);
  }
  const where = Prisma.join(conditions, " AND ");
  const offset = (query.page - 1) * TRANSCRIPTS_PER_PAGE;
  const [ids, counted, languages] = await Promise.all([
    db.$queryRaw<Array<{ id: string; handedOff: boolean }>>`
      SELECT d."id", ${handedOff} AS "handedOff" FROM "SupportDialog" d WHERE ${where}
      ORDER BY d."lastMessageAt" DESC, d."id" LIMIT ${TRANSCRIPTS_PER_PAGE} OFFSET ${offset}`,
    db.$queryRaw<Array<{ count: number }>>`SELECT COUNT(*)::int AS "count" FROM "SupportDialog" d WHERE ${where}`,
    db.$queryRaw<Array<{ locale: string }>>`
      SELECT DISTINCT "locale" FROM "SupportDialog" WHERE "shopDomain" = ${shop} AND "locale" IS NOT NULL ORDER BY 1`,
  ]);
  const dialogs = await db.supportDialog.findMany({
    where: { shopDomain: shop, id: { in: ids.map((row) => row.id) } },
    include: {
      messages: { orderBy: { createdAt: "asc" }, select: { role: true, text: true, source: true, createdAt: true } },
    },
  });
  const count = counted[0]?.count ?? 0;
  const byId = new Map(dialogs.map((dialog) => [dialog.id, dialog]));
  return {
    total: count,
    page: query.page,
    pages: Math.max(1, Math.ceil(count / TRANSCRIPTS_PER_PAGE)),
    languages: languages.map((row) => row.locale),
    dialogs: ids.flatMap(({ id, handedOff: handoff }) => {
      const dialog = byId.get(id);
      if (!dialog) return [];
      const replies = dialog.messages.filter((message) => message.role === "assistant");
      return [
        {
          id: dialog.id,
          locale: dialog.locale,
          shopper: shopperOf(dialog.customerId),
          startedAt: dialog.createdAt.toISOString(),
          lastMessageAt: dialog.lastMessageAt.toISOString(),
          firstQuestion: dialog.messages.find((message) => message.role === "user")?.text ?? null,
          messageCount: dialog.messages.length,
          sources: [...new Set(replies.map((reply) => reply.source).filter((source) => source !== null))],
          handedOff: handoff,
        },
      ];
    }),
  };
}

/** One of the shop's chats in full, with its tickets and the orders placed after it; null when not the shop's. */
export async function readTranscript({ db, shop, id }: { db: Db; shop: string; id: string }) {
  const dialog = await db.supportDialog.findFirst({
    where: { id, shopDomain: shop },
    include: { messages: { orderBy: { createdAt: "asc" } } },
  });
  if (!dialog) return null;
  const [tickets, orders] = await Promise.all([
    db.supportTicket.findMany({
      where: { shopDomain: shop, dialogId: id },
      select: { id: true, status: true, question: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.order.findMany({
      where: { shopDomain: shop, chatDialogId: id, processedAt: { gte: dialog.createdAt } },
      select: { name: true, subtotal: true, currency: true, processedAt: true, test: true, cancelledAt: true },
      orderBy: { processedAt: "asc" },
    }),
  ]);
  // A user turn and its reply are saved in one transaction, so they share a timestamp: keep the
  // shopper's turn first.
  const messages = [...dialog.messages].sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() || (a.role === "user" ? -1 : 1) - (b.role === "user" ? -1 : 1),
  );
  return {
    id: dialog.id,
    locale: dialog.locale,
    shopper: shopperOf(dialog.customerId),
    startedAt: dialog.createdAt.toISOString(),
    lastMessageAt: dialog.lastMessageAt.toISOString(),
    messages: messages.map((message) => ({
      id: message.id,
      role: message.role,
      text: message.text,
      source: message.source,
      action: message.action,
      latencyMs: message.latencyMs,
      createdAt: message.createdAt.toISOString(),
    })),
    tickets: tickets.map((ticket) => ({ ...ticket, createdAt: ticket.createdAt.toISOString() })),
    orders: orders.map((order) => ({
      name: order.name,
      subtotal: order.subtotal.toString(),
      currency: order.currency,
      processedAt: order.processedAt.toISOString(),
      counted: !order.test && !order.cancelledAt,
    })),
  };
}

const shopperOf = (customerId: string | null) => (customerId ? `Customer ${customerId}` : "Guest");

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
