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

/** What one chat turn reads about its shop: the chat settings and the store's name, locale and AI cap. */
export interface ChatShop {
  settings: SupportChatSettings;
  name: string | null;
  primaryLocale: string | null;
  monthlyTokenCap: number | null;
}

/**
 * The chat's shop reads in one round trip (decision 027): a raw query skips the ORM's per-query
 * planning, which was the largest share of a cached FAQ answer's CPU. Same defaults as
 * loadSupportSettings; only the verified shop's rows.
 */
export async function loadChatShop({ db, shop }: { db: Db; shop: string }): Promise<ChatShop> {
  const [row] = await db.$queryRaw<
    Array<{
      name: string | null;
      primaryLocale: string | null;
      monthlyTokenCap: number | null;
      timezone: string | null;
      openHour: number | null;
      closeHour: number | null;
      openDays: number[] | null;
      messagesPerMinute: number | null;
    }>
  >`
    SELECT s.name, s."primaryLocale", ss."monthlyTokenCap",
      sup.timezone, sup."openHour", sup."closeHour", sup."openDays", sup."messagesPerMinute"
    FROM (SELECT 1) AS one
    LEFT JOIN "Shop" s ON s.domain = ${shop}
    LEFT JOIN "ShopSettings" ss ON ss."shopId" = s.id
    LEFT JOIN "SupportSettings" sup ON sup."shopDomain" = ${shop}`;
  const settings: SupportChatSettings =
    row?.messagesPerMinute == null
      ? { hours: DEFAULT_SUPPORT_HOURS, messagesPerMinute: DEFAULT_MESSAGES_PER_MINUTE }
      : {
          hours: {
            timezone: row.timezone!,
            openHour: row.openHour!,
            closeHour: row.closeHour!,
            openDays: row.openDays!,
          },
          messagesPerMinute: row.messagesPerMinute,
        };
  return {
    settings,
    name: row?.name ?? null,
    primaryLocale: row?.primaryLocale ?? null,
    monthlyTokenCap: row?.monthlyTokenCap ?? null,
  };
}
