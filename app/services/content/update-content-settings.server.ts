import { z } from "zod";

import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { STEPS_DONE_BY_SETTINGS } from "~/services/dashboard/setup-guide.server";
import type { Db } from "~/services/types";

/** The keywords of a comma list, each once: a repeat in another case is the same keyword, and the first spelling stays. */
export function keywordsOf(value: string): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const keyword of value.split(",").map((word) => word.trim().replace(/\s+/g, " "))) {
    const key = keyword.toLocaleLowerCase();
    if (!keyword || seen.has(key)) continue;
    seen.add(key);
    keywords.push(keyword);
  }
  return keywords;
}

const keywordList = z
  .string()
  .max(1000, "Keep the list under 1,000 characters")
  .transform(keywordsOf)
  .pipe(z.array(z.string().max(40, "Each keyword must be at most 40 characters")).max(20, "Use at most 20 keywords"));

/** The settings form as the merchant submits it; every message is shown beside its field. */
export const ContentSettingsInput = z.object({
  contentMode: z.enum(["REVIEW", "AUTO_PUBLISH"], { error: "Choose review or auto-publish" }),
  overwriteDescriptions: z.literal("on").optional().transform(Boolean),
  regenerateOnEdit: z.literal("on").optional().transform(Boolean),
  brandTone: z.string().trim().min(2, "Describe the brand's tone in a few words").max(200, "At most 200 characters"),
  writingStyle: z.string().trim().min(2, "Describe the writing style").max(200, "At most 200 characters"),
  targetAudience: z.string().trim().max(200, "At most 200 characters"),
  outputLanguage: z
    .string()
    .trim()
    .regex(/^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$/, "Use a language code such as en, fr or pt-BR, or leave empty"),
  copyLength: z.enum(["SHORT", "MEDIUM", "LONG"], { error: "Choose a length" }),
  keywordsInclude: keywordList,
  keywordsAvoid: keywordList,
  monthlyTokenCap: z
    .string()
    .trim()
    .transform((value) => (value === "" ? null : Number(value)))
    .pipe(
      z
        .number({ error: "Enter a whole number of tokens" })
        .int("Enter a whole number of tokens")
        .min(1000, "A cap below 1,000 tokens would stop every product")
        .nullable(),
    ),
});

export type ContentSettingsFieldErrors = Partial<Record<keyof z.input<typeof ContentSettingsInput>, string>>;

interface Options {
  db: Db;
  shop: string;
  form: Record<string, unknown>;
  /** The shop's published languages; the output language must be one of them (or empty). Null when unknown. */
  publishedLocales: string[] | null;
}

/** Validates and saves the form; returns the field errors instead of saving when it is invalid. */
export async function updateContentSettings({ db, shop, form, publishedLocales }: Options) {
  const input = publishedLocales
    ? ContentSettingsInput.refine(
        (value) => value.outputLanguage === "" || publishedLocales.includes(value.outputLanguage),
        { path: ["outputLanguage"], message: "Choose one of the store's published languages" },
      )
    : ContentSettingsInput;
  const parsed = input.safeParse(form);
  if (!parsed.success) {
    const errors: ContentSettingsFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof ContentSettingsFieldErrors;
      errors[field] ??= issue.message;
    }
    return { ok: false as const, errors };
  }
  const current = await loadContentSettings(db, shop);
  // Saving is the merchant confirming voice, mode and language: the setup guide ticks them.
  const setupDone = [...new Set([...current.setupDone, ...STEPS_DONE_BY_SETTINGS])];
  const settings = await db.shopSettings.update({
    where: { shopId: current.shopId },
    data: { ...parsed.data, setupDone },
  });
  return { ok: true as const, settings };
}
