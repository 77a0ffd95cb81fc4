import { buildCopyPrompt, type VoiceSettings } from "~/services/content/copy/prompt";
import { reviewReasonFor, sanitizeCopy } from "~/services/content/copy/sanitize";
import { productCopySchema, type GeneratedCopy } from "~/services/content/copy/schema";
import type { ProductFacts } from "~/services/ports/catalog";
import type { Llm } from "~/services/ports/llm";

interface Options {
  llm: Llm;
  shop: string;
  facts: ProductFacts;
  voice: VoiceSettings;
  note?: string | null;
}

/**
 * One LLM call: the product's structured copy in the shop's voice, sanitised. The answer is
 * untrusted (catalog text can steer the model), so `reviewReason` says what had to be removed
 * from it; copy with a reason waits for the merchant even in auto-publish mode.
 */
export async function generateProductCopy({ llm, shop, facts, voice, note }: Options) {
  const { system, user } = buildCopyPrompt(facts, voice, note);
  const result = await llm.generateStructured({
    shop,
    task: "content",
    schema: productCopySchema,
    schemaName: "product_copy",
    system,
    user,
  });
  const { copy, findings } = sanitizeCopy(withoutAvoidedKeywords(result.data, voice.keywordsAvoid), {
    kind: "ai",
    facts,
    instructions: system,
    note,
  });
  return {
    copy,
    reviewReason: reviewReasonFor(findings, "the AI's answer"),
    usage: result.usage,
    model: result.model,
  };
}

function withoutAvoidedKeywords(copy: GeneratedCopy, avoid: string[]): GeneratedCopy {
  if (avoid.length === 0) return copy;
  const banned = avoid.map((word) => word.toLowerCase());
  const keep = copy.seoKeywords.filter((keyword) => !banned.some((word) => keyword.toLowerCase().includes(word)));
  return { ...copy, seoKeywords: keep.length ? keep : copy.seoKeywords };
}
