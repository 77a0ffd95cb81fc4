import { createHash } from "node:crypto";

import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { enqueue } from "~/jobs/enqueue.server";
import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import { loadTranslationSettings, targetLocales } from "~/services/translations/load-translation-settings.server";
import {
  buildTranslationPrompt,
  translationReplySchema,
  TRANSLATION_SCHEMA_NAME,
} from "~/services/translations/prompt";
import { mask, unmask } from "~/services/translations/protect";
import { rejectionOf } from "~/services/translations/validate";
import { baseLanguage } from "~/services/support/messages";
import type { Db } from "~/services/types";

const FIELDS = ["question", "answer"] as const;

/** Which source text a translation was made from: an edited entry is translated again. */
export function faqSourceHash(entry: { question: string; answer: string }): string {
  return createHash("sha256").update(`${entry.question}\u0000${entry.answer}`).digest("hex");
}

/** Queues the entry's translation after the merchant creates or edits it. */
export async function requestFaqTranslation({ shop, faqId }: { shop: string; faqId: string }): Promise<void> {
  await enqueue("support.translate-faq", { shop, faqId }, { jobId: `support-translate-faq-${faqId}-${Date.now()}` });
}

export interface FaqTranslationOutcome {
  translated: string[];
  failed: Array<{ locale: string; reason: string }>;
  /** Locales already translated from the current text. */
  current: string[];
}

/**
 * The `support.translate-faq` job: the FAQ entry's question and answer in every language the
 * shop's translation settings target (its published locales but the entry's own), so the chat
 * can answer a shopper in their language without the model. Each locale is one structured call
 * with the store translation prompt and checked by the same rules (tags, placeholders, language,
 * glossary, length); a refused answer is asked again once, then that locale is left untranslated
 * (the chat then answers through the model or in the entry's language). Translations of an older
 * text, and of locales no longer targeted, are removed.
 */
export async function translateFaqEntry(options: {
  db: Db;
  llm: Llm;
  store: ShopFactsStore;
  shop: string;
  faqId: string;
}): Promise<FaqTranslationOutcome> {
  const { db, llm, shop } = options;
  const outcome: FaqTranslationOutcome = { translated: [], failed: [], current: [] };
  const entry = await db.supportFaq.findFirst({
    where: { id: options.faqId, shopDomain: shop },
    include: { translations: { select: { locale: true, sourceHash: true } } },
  });
  if (!entry) return outcome;
  const [locales, settings] = await Promise.all([options.store.locales(), loadTranslationSettings(db, shop)]);
  const sourceLocale = entry.locale ?? locales.primary;
  const targets = [...targetLocales(locales, settings), ...(entry.locale ? [locales.primary] : [])].filter(
    (locale, i, all) => baseLanguage(locale) !== baseLanguage(sourceLocale) && all.indexOf(locale) === i,
  );
  const hash = faqSourceHash(entry);
  await db.supportFaqTranslation.deleteMany({
    where: { faqId: entry.id, OR: [{ locale: { notIn: targets } }, { sourceHash: { not: hash } }] },
  });

  for (const locale of targets) {
    if (entry.translations.some((t) => t.locale === locale && t.sourceHash === hash)) {
      outcome.current.push(locale);
      continue;
    }
    const glossary = settings.glossary[locale] ?? [];
    const masked = Object.fromEntries(FIELDS.map((key) => [key, mask(entry[key], settings.doNotTranslate)]));
    let rejected: string[] = [];
    let values: Record<string, string> | null = null;
    for (let attempt = 0; attempt < 2 && !values; attempt++) {
      const { system, user } = buildTranslationPrompt({
        sourceLocale,
        targetLocale: locale,
        glossary,
        fields: FIELDS.map((key) => ({ key, value: masked[key]!.text, format: "multiline" })),
        rejected,
      });
      let reply;
      try {
        reply = await llm.generateStructured({
          shop,
          task: "translation",
          schema: translationReplySchema,
          schemaName: TRANSLATION_SCHEMA_NAME,
          system,
          user,
        });
      } catch (error) {
        if (!isAppError(error, "LLM_INVALID_OUTPUT") && !isAppError(error, "LLM_REFUSED")) throw error;
        rejected = [error.userMessage];
        break;
      }
      const answers = new Map(reply.data.translations.map((field) => [field.key, field.value.trim()]));
      const candidate: Record<string, string> = {};
      rejected = [];
      for (const key of FIELDS) {
        const answer = answers.get(key);
        if (answer === undefined) {
          rejected.push(`${key}: no translation was given`);
          continue;
        }
        const value = unmask(answer, masked[key]!.slots);
        const reason = rejectionOf({
          key,
          maskedSource: masked[key]!.text,
          maskedValue: answer,
          value,
          source: entry[key],
          locale,
          glossary,
        });
        if (reason) rejected.push(reason);
        else candidate[key] = value;
      }
      if (!rejected.length) values = candidate;
    }
    if (!values) {
      outcome.failed.push({ locale, reason: rejected.join("; ") });
      logger.warn({ shop, faqId: entry.id, locale }, "support FAQ translation refused");
      continue;
    }
    const data = { question: values.question!, answer: values.answer!, sourceHash: hash, embedding: [] };
    await db.supportFaqTranslation.upsert({
      where: { faqId_locale: { faqId: entry.id, locale } },
      create: { faqId: entry.id, shopDomain: shop, locale, ...data },
      update: data,
    });
    outcome.translated.push(locale);
  }
  return outcome;
}
