// Public types shared by the emulator server, its control client and tests.

/** Options for `startLlmEmulator`. Every field is optional; defaults suit unit tests. */
export interface LlmEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default "127.0.0.1". */
  host?: string;
  /** When set, every /v1 request must send `Authorization: Bearer <apiKey>`; otherwise any key is accepted. */
  apiKey?: string;
  /** Requests-per-minute limit (token bucket like OpenAI's); default unlimited. */
  rpm?: number;
  /** Tokens-per-minute limit (prompt estimate + max_tokens, like OpenAI's); default unlimited. */
  tpm?: number;
  /** Latency added to every /v1 response before its first byte; default 0. */
  baseLatencyMs?: number;
  /** Simulated generation speed: spaces SSE chunks and delays non-streamed replies. Default: instant. */
  tokensPerSecond?: number;
  /**
   * Per-completion processing time drawn uniformly from [min, max] ms (seeded by `latencySeed`),
   * spent after the request is admitted by the rpm/tpm limiter: OpenAI refuses an over-limit
   * request at once with a 429, but a completion it admits takes its time (1-3 s is typical for a
   * small structured reply from gpt-4o-mini). Chat completions only; default none.
   */
  completionLatencyMs?: { min: number; max: number };
  /** Seed of the completionLatencyMs draws (default 1), so two runs see the same latencies. */
  latencySeed?: number;
  /** Model ids this emulator serves and GET /v1/models lists; any other id is 404 model_not_found. Default: the catalog in models.ts. */
  models?: string[];
  /**
   * Models that accept only a restrictive subset of JSON Schema in strict structured outputs (as
   * OpenAI's fine-tuned models and several OpenAI-compatible servers do): a strict json_schema using
   * a keyword outside it is refused with 400. `true` for every model. Default none. Changeable at
   * run time through `setProfile` / POST /_emulator/profile.
   */
  restrictiveSchemas?: boolean | string[];
}

/**
 * Fault injection settings. Counters ("next N requests") are decremented as /v1 requests
 * arrive; when several are armed they fire in this order: down, timeout, 429, 500, 503.
 */
export interface LlmFaults {
  /** Extra latency for every /v1 request until cleared. */
  latencyMs?: number;
  /** The next N requests answer 429 rate_limit_exceeded. */
  status429?: number;
  /** `retry-after` of injected 429s, in seconds (fractions allowed: `retry-after-ms` carries them). Default 1. */
  retryAfterSeconds?: number;
  /** The next N requests answer 500 server_error. */
  status500?: number;
  /** The next N requests answer 503 (overloaded). */
  status503?: number;
  /** The next N requests never get an answer; the client has to time out. */
  timeout?: number;
  /** Every request answers 503 until set back to false or cleared. */
  down?: boolean;
  /**
   * The account is out of credit: every completion and embedding answers 429 insufficient_quota
   * (no retry-after) until set back to false or cleared. Model listing still works, as on OpenAI.
   */
  insufficientQuota?: boolean;
  /** The next N json_schema chat completions return JSON that fails the request's schema. */
  invalidJson?: number;
  /** The next N streamed completions send a few chunks, then go silent (connection left open). */
  streamStall?: number;
  /** The next N streamed completions send a few chunks, then drop the connection. */
  streamDrop?: number;
}

/**
 * A reply override (POST /_emulator/overrides): chat completions whose messages contain `match`
 * answer with `reply` (the whole JSON object), or with the generated reply changed: every string
 * filled with pieces of the raw prompt (`echo`: a model talked into repeating it) and/or `fields`
 * merged over its top-level keys, for `times` completions (default: until cleared).
 */
export interface LlmReplyOverride {
  match: string;
  times?: number;
  reply?: Record<string, unknown>;
  fields?: Record<string, unknown>;
  echo?: "system" | "user" | "all" | "data";
  /**
   * A translation reply (translation.ts) made faulty: the first closing tag dropped, the first
   * placeholder dropped, or the source text returned untranslated.
   */
  translation?: "break-html" | "drop-placeholder" | "wrong-language";
}

/** Settings that describe the provider rather than a fault (POST /_emulator/profile). */
export interface LlmProfile {
  /** See LlmEmulatorOptions.restrictiveSchemas. */
  restrictiveSchemas: boolean | string[];
}

/** Faults currently armed, with every field present. */
export type LlmFaultState = Required<LlmFaults>;

/** Counters since start or the last reset. */
export interface LlmEmulatorStats {
  /** /v1 requests received (control endpoints excluded). */
  requests: number;
  /** Answered /v1 requests by HTTP status, e.g. { "200": 10, "429": 2 }. */
  byStatus: Record<string, number>;
  /** Chat completions answered successfully (streamed or not). */
  chatCompletions: number;
  /** Embedding requests answered successfully. */
  embeddings: number;
  /** Sum of usage.prompt_tokens over successful answers (chat and embeddings). */
  promptTokens: number;
  /** Sum of usage.completion_tokens over successful chat answers. */
  completionTokens: number;
  /** Chat completions answered as SSE streams. */
  streamed: number;
  /** Requests left hanging by the `timeout` or `streamStall` faults. */
  timedOut: number;
  /** Requests answered by an injected fault (429/500/503/down). */
  faultsInjected: number;
  /** Requests refused by the rpm/tpm limiter. */
  rateLimited: number;
  /** Requests refused by the limiter on requests per minute (part of rateLimited). */
  rateLimitedRequests: number;
  /** Requests refused by the limiter on tokens per minute (part of rateLimited). */
  rateLimitedTokens: number;
  /**
   * Tokens the tpm limiter charged (prompt estimate + max_tokens at admission, plus completion
   * tokens learned afterwards when max_tokens was unset): what the tokens-per-minute limit meters.
   */
  tokensCharged: number;
  /** Sum of the completionLatencyMs drawn for answered chat completions, in ms. */
  completionLatencyMsTotal: number;
  /** /v1 requests currently being handled (including hanging ones). */
  inFlight: number;
}

/** Handle returned by `startLlmEmulator`. */
export interface LlmEmulator {
  /** Base URL for the openai SDK, e.g. http://127.0.0.1:4020/v1 */
  url: string;
  /** Origin of the control endpoints, e.g. http://127.0.0.1:4020 */
  origin: string;
  port: number;
  host: string;
  /** Stops listening and drops every open connection (hanging requests included). */
  close(): Promise<void>;
  stats(): LlmEmulatorStats;
  /** Merges `faults` into the armed faults (same semantics as POST /_emulator/faults). */
  setFaults(faults: LlmFaults): LlmFaultState;
  clearFaults(): void;
  faults(): LlmFaultState;
  /** Clears faults, overrides, stats and rate-limit buckets, and restores the profile of the options. */
  reset(): void;
  /** Changes the provider profile (same semantics as POST /_emulator/profile); returns it. */
  setProfile(profile: Partial<LlmProfile>): LlmProfile;
  /** Arms a reply override (same semantics as POST /_emulator/overrides); returns the armed ones. */
  addOverride(override: LlmReplyOverride): LlmReplyOverride[];
  clearOverrides(): void;
  overrides(): LlmReplyOverride[];
}

/** The subset of JSON Schema the generator understands (unknown keywords are ignored). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  additionalProperties?: JsonSchemaLike;
  items?: JsonSchemaLike | JsonSchemaLike[];
  prefixItems?: JsonSchemaLike[];
  additionalItems?: JsonSchemaLike;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  anyOf?: JsonSchemaLike[];
  oneOf?: JsonSchemaLike[];
  allOf?: JsonSchemaLike[];
  $ref?: string;
  $defs?: Record<string, JsonSchemaLike>;
  definitions?: Record<string, JsonSchemaLike>;
  nullable?: boolean;
  default?: unknown;
  [key: string]: unknown;
}

/** JSON Schema allows `true`/`false` as schemas. */
export type JsonSchemaLike = JsonSchema | boolean;

/** A chat completion the emulator received (GET /_emulator/chats): what reached "the model". */
export interface RecentChat {
  model: string;
  /** `response_format.json_schema.name`, or null for other formats. */
  schemaName: string | null;
  messages: { role: string; text: string }[];
}
