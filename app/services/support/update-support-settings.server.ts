import { z } from "zod";

import type { Db } from "~/services/types";

const hour = (label: string) =>
  z.coerce
    .number({ error: `Choose the ${label} hour` })
    .int(`Choose the ${label} hour`)
    .min(0)
    .max(24, `Choose the ${label} hour`);

function validTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The chat settings form as the merchant submits it; each message is shown beside its field. */
export const SupportSettingsInput = z
  .object({
    timezone: z
      .string()
      .trim()
      .min(1, "Choose a time zone")
      .refine(validTimeZone, "Use a time zone such as Europe/Paris"),
    openHour: hour("opening"),
    closeHour: hour("closing"),
    openDays: z
      .string()
      .transform((value) => [...new Set(value.split(",").filter(Boolean).map(Number))].sort((a, b) => a - b))
      .pipe(z.array(z.number().int().min(1).max(7)).min(1, "Choose at least one day")),
    messagesPerMinute: z.coerce
      .number({ error: "Enter a number of messages" })
      .int("Enter a whole number")
      .min(1, "Allow at least 1 message a minute")
      .max(10_000, "At most 10,000 messages a minute"),
  })
  .refine((value) => value.closeHour > value.openHour, { path: ["closeHour"], error: "Close after you open" });

export type SupportSettingsValues = z.infer<typeof SupportSettingsInput>;

export async function updateSupportSettings({
  db,
  shop,
  values,
}: {
  db: Db;
  shop: string;
  values: SupportSettingsValues;
}) {
  return db.supportSettings.upsert({
    where: { shopDomain: shop },
    create: { shopDomain: shop, ...values },
    update: values,
  });
}
