import type { PassageMatch } from "~/services/support/match-passages.server";
import { baseLanguage } from "~/services/support/messages";

/** How fully a passage's title must appear in the message for the passage to answer on its own. */
export const PASSAGE_TITLE_CONFIDENT = 0.8;
/** A policy answered directly is its opening, cut at a sentence: the widget is a small window. */
const POLICY_ANSWER_CHARS = 600;

// "What is your refund policy?" asks for the policy itself; "can I return worn shoes?" asks the
// model to read it. Words in the app's four shipped languages.
const POLICY_WORDS = /\b(?:policy|policies|politique|conditions|richtlinie|bedingungen|pol[ií]tica)\b/iu;
const PRICE_WORDS =
  /\b(?:price|prices|cost|costs|how much|prix|combien|coûte|coute|preis|kostet|kosten|precio|cuesta|cuánto|cuanto)\b/iu;
const OPTION_WORDS =
  /\b(?:sizes?|colou?rs?|options?|variants?|tailles?|couleurs?|größen?|grössen?|farben?|tallas?|colores?)\b/iu;

export interface PassageAnswer {
  answer: string;
  source: "policy" | "catalog";
}

/** The passage is in the shopper's language: its own translation, or the source in the shop's primary language. */
function readable(passage: PassageMatch, language: string, primaryLanguage: string): boolean {
  return passage.locale ? baseLanguage(passage.locale) === language : language === primaryLanguage;
}

function opening(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const sentence = cut.lastIndexOf(". ");
  return sentence > max / 3 ? cut.slice(0, sentence + 1) : `${cut.trimEnd()}…`;
}

/**
 * A direct answer from the best store passage, with no model call, when retrieval leaves no doubt
 * what is asked: the message names a policy ("your shipping policy") or asks the price or options
 * of a product it names, and the passage is in the shopper's language. Anything subtler ("can I
 * return worn shoes?", "what temperature can the shirt take?") is the model's, with the passages
 * as its context. Answers null when not confident.
 */
export function answerFromPassage(options: {
  message: string;
  passages: PassageMatch[];
  language: string;
  primaryLanguage: string;
}): PassageAnswer | null {
  const { message, language, primaryLanguage } = options;
  const best = options.passages.find(
    (passage) => passage.titleMatch >= PASSAGE_TITLE_CONFIDENT && readable(passage, language, primaryLanguage),
  );
  if (!best) return null;
  if (best.kind === "policy" && POLICY_WORDS.test(message)) {
    return { answer: `${best.title}: ${opening(best.body, POLICY_ANSWER_CHARS)}`, source: "policy" };
  }
  if (best.kind === "product") {
    // A product passage opens with its facts, "Name: value." each (index-catalog.server.ts), then
    // the description: only that leading run is read.
    const facts: string[] = [];
    for (const fact of best.body.split(/(?<=\.)\s+/)) {
      if (!/^[^:.]{1,40}: [^:]+\.$/.test(fact)) break;
      facts.push(fact);
    }
    const isPrice = (fact: string) => fact.startsWith("Price:");
    const isOption = (fact: string) => !/^(?:Price|Brand|Type):/.test(fact);
    const wanted = [
      ...(PRICE_WORDS.test(message) ? facts.filter(isPrice) : []),
      ...(OPTION_WORDS.test(message) ? facts.filter(isOption) : []),
    ];
    if (wanted.length) return { answer: `${best.title}: ${wanted.join(" ")}`, source: "catalog" };
  }
  return null;
}
