import {
  chatAttributionTotals,
  utcDay,
  type ChatAttributedOrder,
  type ChatAttributionTotals,
  type DayRange,
} from "~/services/insights/metrics";
import type { Db } from "~/services/types";

export interface ChatAttribution {
  totals: ChatAttributionTotals;
  /** One row per UTC day of the range that had an attributed order, oldest first. */
  days: Array<{ day: string } & ChatAttributionTotals>;
}

/**
 * Orders placed by chatting visitors in a range of UTC days (metrics `chat_attributed_orders` and
 * `chat_attributed_sales`). An order's dialog id came from a cart attribute anyone can set, so it
 * counts only when it names one of this shop's dialogs that had started by the time the order was
 * processed.
 */
export async function loadChatAttribution({
  db,
  shop,
  range,
}: {
  db: Db;
  shop: string;
  range: DayRange;
}): Promise<ChatAttribution> {
  const rows = await db.$queryRaw<Array<ChatAttributedOrder & { subtotal: string }>>`
    SELECT o."processedAt", o."cancelledAt", o."test", o."subtotal"::text AS "subtotal", o."chatDialogId"
    FROM "Order" o
    JOIN "SupportDialog" d ON d."id" = o."chatDialogId" AND d."shopDomain" = o."shopDomain"
    WHERE o."shopDomain" = ${shop}
      AND o."chatDialogId" IS NOT NULL
      AND d."createdAt" <= o."processedAt"
      AND o."processedAt" >= ${range.start}::date
      AND o."processedAt" < ${range.end}::date + 1
    ORDER BY o."processedAt"`;
  const byDay = new Map<string, ChatAttributedOrder[]>();
  for (const row of rows) {
    const day = utcDay(row.processedAt);
    byDay.set(day, [...(byDay.get(day) ?? []), row]);
  }
  return {
    totals: chatAttributionTotals(rows),
    days: [...byDay]
      .map(([day, orders]) => ({ day, ...chatAttributionTotals(orders) }))
      .filter((d) => d.attributedOrders),
  };
}
