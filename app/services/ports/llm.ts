import type { z } from "zod";

/**
 * The LLM as every capability sees it: structured answers, plain text, streams and embeddings,
 * with usage billed to a shop. The implementation is integrations/llm (LlmClient), which holds
 * every retry, limit and breaker rule; services depend on this port only, so tests and another
 * provider can stand in for it. The client's operational getters (breaker state, limiter stats)
 * are left out on purpose: no use-case decides anything from them.
 */

/** What a call is for; picks the default model and labels metrics and usage rows. */
export type LlmTask = "content" | "translation" | "support" | "insights" | "embedding";

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
  /** Shop the tokens are billed to (its myshopify domain). */
  shop: string;
  task: LlmTask;
  /** Overrides the task's default model. */
  model?: string;
  /** Per-attempt timeout; defaults to the client's (LLM_TIMEOUT_MS). For streams it bounds the silence between chunks. */
  timeoutMs?: number;
  /** Cancels the call; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type LlmCompletionRequest = LlmCallBase & LlmPrompt & { maxTokens?: number; temperature?: number };

export interface LlmTextResult {
  text: string;
  usage: LlmTokenUsage;
  model: string;
  /** The model stopped at maxTokens, so the text is cut short. */
  truncated: boolean;
}

export type LlmStructuredRequest<S extends z.ZodType> = LlmCompletionRequest & {
  schema: S;
  /** Name sent to the provider with the schema ([a-zA-Z0-9_-], at most 64). */
  schemaName: string;
  /** Whether an unusable reply is asked again once; overrides the client's reaskOnInvalidOutput. */
  reask?: boolean;
};

export interface LlmStructuredResult<T> {
  data: T;
  /** Tokens of every request the call made (both, when it re-asked). */
  usage: LlmTokenUsage;
  model: string;
}

export interface LlmEmbedRequest extends Omit<LlmCallBase, "task"> {
  /** Labels usage and metrics. Default "embedding". */
  task?: LlmTask;
  input: string[];
}

/** Text deltas of a streamed answer: iterate once, then `result()` for the text and usage. */
export interface LlmTextStream extends AsyncIterable<string> {
  result(): Promise<LlmTextResult>;
  readAll(): Promise<LlmTextResult>;
  /** Abandons the stream: the request is aborted and `result()` rejects. */
  cancel(): void;
}

export interface Llm {
  /** JSON matching `schema`, validated; throws an AppError (LLM_INVALID_OUTPUT, LLM_REFUSED, ...) otherwise. */
  generateStructured<S extends z.ZodType>(request: LlmStructuredRequest<S>): Promise<LlmStructuredResult<z.infer<S>>>;
  complete(request: LlmCompletionRequest): Promise<LlmTextResult>;
  stream(request: LlmCompletionRequest): Promise<LlmTextStream>;
  embed(request: LlmEmbedRequest): Promise<number[][]>;
  /** The same client, with every call also cancelled by `signal` (a job's deadline). */
  withSignal(signal: AbortSignal | undefined): Llm;
}
