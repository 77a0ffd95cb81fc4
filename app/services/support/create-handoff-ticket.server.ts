import { baseLanguage, chatMessage } from "~/services/support/messages";
import { describeSupportHours, withinSupportHours, type SupportHours } from "~/services/support/support-hours";
import type { Db } from "~/services/types";

/**
 * The shopper asked for a person: a ticket with their email, their question and the dialog's
 * transcript (already PII-redacted), for the merchant's Support tickets page. Out of the shop's
 * hours the reply says when the team is back.
 */
export async function createHandoffTicket(options: {
  db: Db;
  shop: string;
  dialogId: string;
  customerId: string | null;
  email: string;
  /** The email's keyed hash, by which customers/redact and data_request find a guest's ticket. */
  emailHash: string | null;
  /** PII-redacted by the caller (the email is kept in its own field). */
  question: string;
  locale: string;
  hours: SupportHours;
  now: Date;
}): Promise<{ answer: string; source: "handoff"; action: "handoff" }> {
  const { db } = options;
  const messages = await db.supportMessage.findMany({
    where: { dialogId: options.dialogId, dialog: { shopDomain: options.shop } },
    orderBy: { createdAt: "asc" },
    select: { role: true, text: true, source: true, createdAt: true },
  });
  await db.supportTicket.create({
    data: {
      shopDomain: options.shop,
      dialogId: options.dialogId,
      customerId: options.customerId,
      email: options.email,
      emailHash: options.emailHash,
      question: options.question,
      locale: options.locale,
      transcript: messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() })),
    },
  });
  const language = baseLanguage(options.locale);
  const answer = withinSupportHours(options.hours, options.now)
    ? chatMessage("handoffCreated", language)
    : chatMessage("handoffClosed", language, { hours: describeSupportHours(options.hours, language) });
  return { answer, source: "handoff", action: "handoff" };
}
