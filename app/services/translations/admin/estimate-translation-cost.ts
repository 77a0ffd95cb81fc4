import { priceFor } from "~/config/llm-prices";
import { buildTranslationPrompt, type GlossaryEntry } from "~/services/translations/prompt";
import type { ResourceStatus } from "~/services/translations/admin/translation-status.server";

/**
 * What translating the pending keys of some resources would cost, before anything runs: one LLM
 * call per resource and locale (as the pipeline makes them, decision 017), its prompt the
 * translation prompt with the fields, its answer the translated fields. Tokens by OpenAI's rule of
 * thumb of ~4 characters of English a token (https://platform.openai.com/tokenizer), priced with
 * the same list prices as the usage page (config/llm-prices.ts). An estimate: nested options and
 * image alt text add a little, and a re-ask of a refused answer costs a second call.
 */
export interface CostEstimate {
  resources: number;
  /** Source words to translate, summed over locales (words × locales). */
  words: number;
  /** Source words to translate into each locale. */
  wordsByLocale: Record<string, number>;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  tokens: number;
  /** Null when the model's price is unknown. */
  costUsd: number | null;
}

const CHARS_PER_TOKEN = 4;
/** Chat framing: two messages and the reply's priming (OpenAI's cookbook formula), plus the schema. */
const CALL_OVERHEAD_TOKENS = 3 * 2 + 3 + 90;
/** Per field in the request's JSON ({"key":…,"value":…,"format":…}) and in the answer's. */
const FIELD_JSON_CHARS = 40;
/** Translations run longer than English source text (German and French by 15–30%). */
const EXPANSION = 1.25;

export function estimateTranslationCost({
  statuses,
  locales,
  primary,
  glossary,
  model,
}: {
  statuses: ResourceStatus[];
  locales: string[];
  primary: string;
  glossary: Record<string, GlossaryEntry[]>;
  model: string;
}): CostEstimate {
  const fixed = new Map(
    locales.map((locale) => {
      const { system, user } = buildTranslationPrompt({
        sourceLocale: primary,
        targetLocale: locale,
        glossary: glossary[locale] ?? [],
        fields: [],
      });
      return [locale, system.length + user.length];
    }),
  );
  const estimate: CostEstimate = {
    resources: 0,
    words: 0,
    wordsByLocale: Object.fromEntries(locales.map((locale) => [locale, 0])),
    calls: 0,
    promptTokens: 0,
    completionTokens: 0,
    tokens: 0,
    costUsd: 0,
  };
  for (const status of statuses) {
    let any = false;
    for (const locale of locales) {
      const here = status.locales[locale];
      if (!here || here.pendingKeys === 0) continue;
      any = true;
      estimate.calls++;
      estimate.words += here.pendingWords;
      estimate.wordsByLocale[locale] = (estimate.wordsByLocale[locale] ?? 0) + here.pendingWords;
      const fieldChars = here.pendingKeys * FIELD_JSON_CHARS;
      estimate.promptTokens +=
        CALL_OVERHEAD_TOKENS + Math.ceil(((fixed.get(locale) ?? 0) + here.pendingChars + fieldChars) / CHARS_PER_TOKEN);
      estimate.completionTokens += Math.ceil((here.pendingChars * EXPANSION + fieldChars) / CHARS_PER_TOKEN);
    }
    if (any) estimate.resources++;
  }
  estimate.tokens = estimate.promptTokens + estimate.completionTokens;
  const price = priceFor(model);
  estimate.costUsd = price
    ? (estimate.promptTokens * price.prompt + estimate.completionTokens * price.completion) / 1_000_000
    : null;
  return estimate;
}
