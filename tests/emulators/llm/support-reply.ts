// The support chat's reply (the app's "support_reply" structured output): deterministic, built
// from the store passages the app put in its system prompt, in the language the prompt asks for.
// A real model would write fluent text; what the tests need is that the answer comes from the
// passages (retrieval reached the model), in the requested language, with a structured action.
// Schema validity is the same rule as every json_schema reply: OpenAI's structured outputs
// (https://platform.openai.com/docs/guides/structured-outputs) always return the schema's shape,
// so the reply is only used when the request's schema has exactly these string fields.
import { toEnglish } from "./lexicon";
import type { JsonSchemaLike } from "./types";
import type { ChatRequest } from "./validate";
import { extractKeywords } from "./words";

export const SUPPORT_SCHEMA_NAME = "support_reply";

interface Passage {
  id: string;
  text: string;
}

const PREFACE: Record<string, string> = {
  en: "Here is what I found:",
  fr: "Voici ce que j'ai trouvé :",
  de: "Folgendes habe ich gefunden:",
  es: "Esto es lo que encontré:",
};
const NO_PASSAGE: Record<string, string> = {
  en: "I could not find that in the store's information. A member of our team can help you.",
  fr: "Je n'ai pas trouvé cette information. Un membre de notre équipe peut vous aider.",
  de: "Dazu habe ich nichts gefunden. Jemand aus unserem Team kann Ihnen helfen.",
  es: "No encontré esa información. Una persona de nuestro equipo puede ayudarle.",
};

/** `Reply language: fr` in the system prompt; "en" when absent or unknown. */
function replyLanguage(system: string): string {
  const tag = /Reply language:\s*([a-z]{2})/i.exec(system)?.[1]?.toLowerCase() ?? "en";
  return tag in PREFACE ? tag : "en";
}

/** `[P1] text` lines of the system prompt's passages block. */
function passages(system: string): Passage[] {
  const out: Passage[] = [];
  for (const match of system.matchAll(/^\[(P\d+)\]\s*(.+)$/gm)) out.push({ id: match[1]!, text: match[2]!.trim() });
  return out;
}

function hasSupportShape(schema: JsonSchemaLike): boolean {
  const properties = (schema as { properties?: Record<string, { type?: unknown; enum?: unknown }> }).properties;
  return Boolean(properties?.action && properties?.answer);
}

/** The reply, or null when the request is not the app's support call (the generic generator answers). */
export function supportReply(req: ChatRequest): { action: "answer" | "handoff"; answer: string } | null {
  const format = req.responseFormat;
  if (format.type !== "json_schema" || format.name !== SUPPORT_SCHEMA_NAME || !hasSupportShape(format.schema)) {
    return null;
  }
  const system = req.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => m.text)
    .join("\n");
  const language = replyLanguage(system);
  const found = passages(system);
  const question = [...req.messages].reverse().find((m) => m.role === "user")?.text ?? "";
  // Like a multilingual model, it reads a German question against an English passage: words the
  // emulator's lexicon knows are compared as their English word (lexicon.ts).
  const normalised = (text: string) =>
    extractKeywords(text, 64)
      .flatMap((word) => word.split("-"))
      .map(toEnglish);
  const asked = new Set(normalised(question));
  let best: Passage | null = null;
  let bestScore = 0;
  for (const passage of found) {
    const score = normalised(passage.text).filter((word) => asked.has(word)).length;
    if (score > bestScore) [best, bestScore] = [passage, score];
  }
  if (!best) return { action: "handoff", answer: NO_PASSAGE[language]! };
  return { action: "answer", answer: `${PREFACE[language]} ${best.text}` };
}
