// Helpers over the LLM port's vocabulary: no SDK or Shopify types leak out of this folder.

import type { LlmMessage, LlmPrompt, LlmTask } from "~/services/ports/llm";

// The call vocabulary is the services' LLM port (services/ports/llm.ts); this folder implements it.
export type {
  LlmCallBase,
  LlmCompletionRequest,
  LlmEmbedRequest,
  LlmMessage,
  LlmPrompt,
  LlmStructuredRequest,
  LlmStructuredResult,
  LlmTask,
  LlmTextResult,
  LlmTokenUsage,
} from "~/services/ports/llm";

export const LLM_TASKS: readonly LlmTask[] = ["content", "translation", "support", "insights", "embedding"];

export function toMessages(prompt: LlmPrompt): LlmMessage[] {
  if ("messages" in prompt) return prompt.messages;
  const messages: LlmMessage[] = [];
  if (prompt.system) messages.push({ role: "system", content: prompt.system });
  messages.push({ role: "user", content: prompt.user });
  return messages;
}
