import { loadChatAttribution, type ChatAttribution } from "~/services/insights/chat-attribution.server";
import { bucketsOf, type DayRange } from "~/services/insights/metrics";
import {
  chatAnalyticsFigures,
  type AnalyticsDialog,
  type ChatAnalyticsFigures,
} from "~/services/support/chat-analytics";
import type { Db } from "~/services/types";

export interface ChatAnalytics extends ChatAnalyticsFigures {
  range: DayRange;
  attribution: ChatAttribution;
  /** The shop's currency, which attributed sales are in (cents); null before the shop is read. */
  currency: string | null;
}

/**
 * The Analytics tab: the shop's chat figures for a range of UTC days (definitions in
 * chat-analytics.ts), and the orders placed by chatting visitors. Every query is scoped to the
 * verified shop.
 */
export async function loadChatAnalytics({
  db,
  shop,
  range,
  now = new Date(),
}: {
  db: Db;
  shop: string;
  range: DayRange;
  now?: Date;
}): Promise<ChatAnalytics> {
  const [dialogs, replies, attribution, shopRow] = await Promise.all([
    db.$queryRaw<AnalyticsDialog[]>`
      SELECT d."id", d."visitorKey", d."createdAt", d."lastMessageAt",
        (EXISTS (SELECT 1 FROM "SupportMessage" m
                 WHERE m."dialogId" = d."id" AND m."role" = 'assistant'
                   AND (m."source" = 'handoff' OR m."action" = 'handoff'))
         OR EXISTS (SELECT 1 FROM "SupportTicket" t
                    WHERE t."shopDomain" = d."shopDomain" AND t."dialogId" = d."id")) AS "handedOff"
      FROM "SupportDialog" d
      WHERE d."shopDomain" = ${shop}
        AND d."createdAt" >= ${range.start}::date AND d."createdAt" < ${range.end}::date + 1`,
    db.$queryRaw<Array<{ createdAt: Date; source: string | null; latencyMs: number | null }>>`
      SELECT m."createdAt", m."source", m."latencyMs"
      FROM "SupportMessage" m JOIN "SupportDialog" d ON d."id" = m."dialogId"
      WHERE d."shopDomain" = ${shop} AND m."role" = 'assistant'
        AND m."createdAt" >= ${range.start}::date AND m."createdAt" < ${range.end}::date + 1`,
    loadChatAttribution({ db, shop, range }),
    db.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
  ]);
  // Follow-ups: the same visitors' other dialogs, which may have started after the range.
  const visitorKeys = [...new Set(dialogs.map((dialog) => dialog.visitorKey))];
  const others = visitorKeys.length
    ? await db.supportDialog.findMany({
        where: {
          shopDomain: shop,
          visitorKey: { in: visitorKeys },
          createdAt: { gte: new Date(`${range.start}T00:00:00Z`) },
        },
        select: { id: true, visitorKey: true, createdAt: true, lastMessageAt: true },
      })
    : [];
  const visitorDialogs = new Map<string, AnalyticsDialog[]>();
  for (const other of others) {
    visitorDialogs.set(other.visitorKey, [
      ...(visitorDialogs.get(other.visitorKey) ?? []),
      { ...other, handedOff: false },
    ]);
  }
  const figures = chatAnalyticsFigures({
    days: bucketsOf(range, "day"),
    dialogs,
    visitorDialogs,
    replies,
    now,
  });
  // Orders are recorded in the shop's currency: they name it when the shop's row does not yet.
  const currency =
    shopRow?.currencyCode ??
    (await db.order.findFirst({ where: { shopDomain: shop }, select: { currency: true } }))?.currency ??
    null;
  return { ...figures, range, attribution, currency };
}
