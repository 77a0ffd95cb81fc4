// App-level vocabulary of the LLM client: no SDK or Shopify types leak out of this folder.

/** What a call is for; picks the default model and labels metrics and usage rows. */
export type LlmTask = "content" | "translation" | "chat" | "insights" | "embedding";

export const LLM_TASKS: readonly LlmTask[] = ["content", "translation", "chat", "insights", "embedding"];

export interface LlmMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Tokens the provider billed for one request. */
export interface LlmTokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** Either a full conversation or the common system + user pair. */
export type LlmPrompt = { messages: LlmMessage[] } | { system?: string; user: string };

/** Fields every call takes. */
export interface LlmCallBase {
  /** Shop the tokens are billed to (its myshopify domain); recorded in usage rows and logs. */
  shop: string;
  task: LlmTask;
  /** Overrides the task's default model. */
  model?: string;
  /** Per-attempt timeout; defaults to the client's (LLM_TIMEOUT_MS). For streams it bounds the silence between chunks. */
  timeoutMs?: number;
  /** Cancels the call (e.g. the browser went away); the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type LlmCompletionRequest = LlmCallBase &
  LlmPrompt & {
    maxTokens?: number;
    temperature?: number;
  };

export interface LlmTextResult {
  text: string;
  usage: LlmTokenUsage;
  model: string;
  /** The model stopped at maxTokens, so the text is cut short. */
  truncated: boolean;
}

export function toMessages(prompt: LlmPrompt): LlmMessage[] {
  if ("messages" in prompt) return prompt.messages;
  const messages: LlmMessage[] = [];
  if (prompt.system) messages.push({ role: "system", content: prompt.system });
  messages.push({ role: "user", content: prompt.user });
  return messages;
}
