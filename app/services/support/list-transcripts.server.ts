import type { Db } from "~/services/types";

/**
 * The shop's latest chats for the merchant: each dialog's turns (PII-redacted when saved), where
 * each answer came from and how long it took, newest dialog first.
 */
export async function listTranscripts({ db, shop, take = 50 }: { db: Db; shop: string; take?: number }) {
  const dialogs = await db.supportDialog.findMany({
    where: { shopDomain: shop },
    orderBy: { lastMessageAt: "desc" },
    take,
    include: { messages: { orderBy: { createdAt: "asc" }, take: 100 } },
  });
  return dialogs.map((dialog) => ({
    id: dialog.id,
    locale: dialog.locale,
    shopper: dialog.customerId ? `Customer ${dialog.customerId}` : "Guest",
    lastMessageAt: dialog.lastMessageAt.toISOString(),
    messages: dialog.messages.map((message) => ({
      id: message.id,
      role: message.role,
      text: message.text,
      source: message.source,
      latencyMs: message.latencyMs,
    })),
  }));
}
