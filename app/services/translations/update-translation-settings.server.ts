import { z } from "zod";

import { loadContentSettings } from "~/services/content/load-content-settings.server";
import type { Db } from "~/services/types";

const localeCode = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Use a language code such as fr, de or pt-BR");

/** The translation settings as a form or API submits them; each message is shown beside its field. */
export const TranslationSettingsInput = z.object({
  autoTranslate: z.boolean(),
  locales: z.array(localeCode).max(250, "At most 250 locales"),
  translateHandles: z.boolean(),
  doNotTranslate: z
    .array(z.string().trim().min(1, "A term cannot be empty").max(100, "Each term must be at most 100 characters"))
    .max(500, "Use at most 500 terms"),
});

export type TranslationSettingsFieldErrors = Partial<Record<keyof z.input<typeof TranslationSettingsInput>, string>>;

export const GlossaryTermInput = z.object({
  locale: localeCode,
  source: z.string().trim().min(1, "Enter the term to translate").max(200, "At most 200 characters"),
  target: z.string().trim().min(1, "Enter its translation").max(200, "At most 200 characters"),
  caseSensitive: z.boolean().default(false),
});

export const GlossaryInput = z
  .array(GlossaryTermInput)
  .max(5000, "A glossary holds at most 5,000 terms")
  .superRefine((terms, ctx) => {
    const seen = new Set<string>();
    terms.forEach((term, index) => {
      const key = `${term.locale}\u0000${term.source}`;
      if (seen.has(key))
        ctx.addIssue({
          code: "custom",
          path: [index, "source"],
          message: `"${term.source}" is listed twice for ${term.locale}`,
        });
      seen.add(key);
    });
  });

export type FieldErrors = Record<string, string>;

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.join(".") || "form";
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Saves the shop's translation settings, or answers each invalid field's error and saves nothing. */
export async function updateTranslationSettings({ db, shop, input }: { db: Db; shop: string; input: unknown }) {
  const parsed = TranslationSettingsInput.safeParse(input);
  if (!parsed.success) return { ok: false as const, errors: fieldErrorsOf(parsed.error) };
  const { autoTranslate, ...own } = parsed.data;
  const doNotTranslate = [...new Set(own.doNotTranslate)];
  const locales = [...new Set(own.locales)];
  const content = await loadContentSettings(db, shop);
  await db.$transaction([
    db.shopSettings.update({ where: { shopId: content.shopId }, data: { autoTranslate } }),
    db.translationSettings.upsert({
      where: { shopDomain: shop },
      create: { shopDomain: shop, ...own, locales, doNotTranslate },
      update: { ...own, locales, doNotTranslate },
    }),
  ]);
  return { ok: true as const };
}

/**
 * Replaces the shop's glossary with `input` (every locale), or answers each invalid term's error
 * (keyed "3.source") and changes nothing. There is no limit on a term's words.
 */
export async function replaceGlossary({ db, shop, input }: { db: Db; shop: string; input: unknown }) {
  const parsed = GlossaryInput.safeParse(input);
  if (!parsed.success) return { ok: false as const, errors: fieldErrorsOf(parsed.error) };
  await db.$transaction([
    db.glossaryTerm.deleteMany({ where: { shopDomain: shop } }),
    db.glossaryTerm.createMany({ data: parsed.data.map((term) => ({ shopDomain: shop, ...term })) }),
  ]);
  return { ok: true as const, count: parsed.data.length };
}
