import { DEFAULT_SUPPORT_HOURS, type SupportHours } from "~/services/support/support-hours";
import type { Db } from "~/services/types";

export interface SupportChatSettings {
  hours: SupportHours;
  messagesPerMinute: number;
}

const DEFAULT_MESSAGES_PER_MINUTE = 120;

/** The shop's chat settings, or the defaults when the merchant never changed them. */
export async function loadSupportSettings({ db, shop }: { db: Db; shop: string }): Promise<SupportChatSettings> {
  const row = await db.supportSettings.findUnique({ where: { shopDomain: shop } });
  if (!row) return { hours: DEFAULT_SUPPORT_HOURS, messagesPerMinute: DEFAULT_MESSAGES_PER_MINUTE };
  return {
    hours: { timezone: row.timezone, openHour: row.openHour, closeHour: row.closeHour, openDays: row.openDays },
    messagesPerMinute: row.messagesPerMinute,
  };
}
