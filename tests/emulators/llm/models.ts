// The models the emulator serves and what each one accepts, from OpenAI's model pages
// (platform.openai.com/docs/models/<id>): context window, maximum output tokens, and the
// embedding models' native dimensions. A model outside the catalog answers 404, as OpenAI does.
import { invalidRequest, type ApiError } from "./errors";

export interface ChatModelProfile {
  kind: "chat";
  /** Prompt plus completion tokens one request may use. */
  contextWindow: number;
  /** Largest max_tokens / max_completion_tokens the model accepts. */
  maxOutputTokens: number;
}

export interface EmbeddingModelProfile {
  kind: "embedding";
  /** Length of a vector when the request sends no `dimensions`. */
  dimensions: number;
  /** Whether `dimensions` may shorten the vector (text-embedding-3-* only). */
  shortens: boolean;
  /** Input tokens per string. */
  maxInputTokens: number;
}

export type ModelProfile = ChatModelProfile | EmbeddingModelProfile;

const chat = (contextWindow: number, maxOutputTokens: number): ChatModelProfile => ({
  kind: "chat",
  contextWindow,
  maxOutputTokens,
});

export const MODEL_CATALOG: Readonly<Record<string, ModelProfile>> = {
  "gpt-4o": chat(128_000, 16_384),
  "gpt-4o-mini": chat(128_000, 16_384),
  "gpt-4.1": chat(1_047_576, 32_768),
  "gpt-4.1-mini": chat(1_047_576, 32_768),
  "gpt-4.1-nano": chat(1_047_576, 32_768),
  "gpt-5-mini": chat(400_000, 128_000),
  "o4-mini": chat(200_000, 100_000),
  "text-embedding-3-small": { kind: "embedding", dimensions: 1536, shortens: true, maxInputTokens: 8192 },
  "text-embedding-3-large": { kind: "embedding", dimensions: 3072, shortens: true, maxInputTokens: 8192 },
  "text-embedding-ada-002": { kind: "embedding", dimensions: 1536, shortens: false, maxInputTokens: 8192 },
};

/** A model id listed in `options.models` but not in the catalog is served as a 128k chat model. */
const UNCATALOGUED_CHAT = chat(128_000, 16_384);

/** Dated snapshots ("gpt-4o-2024-08-06") are served as their family. */
const SNAPSHOT = /^(.+)-\d{4}-\d{2}-\d{2}$/;

/**
 * The profile of `model` when this emulator serves it, else OpenAI's 404 `model_not_found`.
 * `served` is what GET /v1/models lists (options.models, or the whole catalog).
 */
export function profileOf(model: string, served: readonly string[]): ModelProfile {
  const family = SNAPSHOT.exec(model)?.[1];
  const id = served.includes(model) ? model : family && served.includes(family) ? family : null;
  if (id === null) throw modelNotFound(model);
  return MODEL_CATALOG[id] ?? (/embed/.test(id) ? MODEL_CATALOG["text-embedding-3-small"]! : UNCATALOGUED_CHAT);
}

/** OpenAI's answer for a model the key cannot use (chat completions and embeddings alike). */
export function modelNotFound(model: string): ApiError {
  return invalidRequest(
    `The model \`${model}\` does not exist or you do not have access to it.`,
    null,
    "model_not_found",
    404,
  );
}
