import { setTimeout as delay } from "node:timers/promises";

import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Logger } from "pino";
import type { z } from "zod";

import {
  CircuitBreaker,
  circuitOpenError,
  type BreakerPermit,
  type CircuitBreakerOptions,
  type CircuitState,
} from "~/integrations/llm/circuit-breaker";
import { Deadline } from "~/integrations/llm/deadline";
import { RequestLimiter, type ReleaseSlot, type RequestLimiterOptions } from "~/integrations/llm/rate-limiter";
import { backoffMs, classifyFailure, waitTooLongError, type AttemptFailure } from "~/integrations/llm/retry-policy";
import {
  parseStructured,
  reaskMessage,
  responseFormatFor,
  type JsonSchemaResponseFormat,
  type OutputIssue,
} from "~/integrations/llm/structured-output";
import { LlmTextStream } from "~/integrations/llm/text-stream";
import {
  toMessages,
  type LlmCallBase,
  type LlmCompletionRequest,
  type LlmMessage,
  type LlmTask,
  type LlmTextResult,
  type LlmTokenUsage,
} from "~/integrations/llm/types";
import type { UsageSink } from "~/integrations/llm/usage.server";
import { AppError } from "~/lib/errors";
import { logger as appLogger } from "~/lib/logger.server";
import { llmCircuitOpen, llmLatency, llmRequests, llmTokens } from "~/lib/metrics.server";
import type { Llm } from "~/services/ports/llm";

export interface LlmClientOptions {
  apiKey: string;
  /** OpenAI-compatible endpoint (Azure, Ollama, vLLM, the emulator); the SDK default when unset. */
  baseURL?: string;
  /** Default model per task. */
  models: Record<LlmTask, string>;
  usage: UsageSink;
  limiter: RequestLimiterOptions;
  breaker?: Omit<CircuitBreakerOptions, "onStateChange">;
  /** Per-attempt timeout. Default 60 s. */
  timeoutMs?: number;
  /** Attempts per call for retryable failures (429, 408, 409, 5xx, network, timeout). Default 4. */
  maxAttempts?: number;
  /** Total time one call may spend sleeping between attempts; a longer retry-after fails fast. Default 30 s. */
  maxRetryWaitMs?: number;
  /** Full-jitter backoff when the server gives no retry-after. Default 500 ms doubling up to 8 s. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Ask once more, quoting the schema errors, when a structured reply is unusable. Default true. */
  reaskOnInvalidOutput?: boolean;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  logger?: Logger;
}

export type LlmStructuredRequest<S extends z.ZodType> = LlmCompletionRequest & {
  schema: S;
  /** Name sent to the provider with the schema ([a-zA-Z0-9_-], at most 64). */
  schemaName: string;
  /** Overrides the client's reaskOnInvalidOutput for this call. */
  reask?: boolean;
};

export interface LlmStructuredResult<T> {
  data: T;
  /** Tokens of every request this call made (both, when it re-asked). */
  usage: LlmTokenUsage;
  model: string;
}

export interface LlmEmbedRequest extends Omit<LlmCallBase, "task"> {
  /** Labels usage and metrics; the model is always the embedding model unless `model` is given. Default "embedding". */
  task?: LlmTask;
  input: string[];
}

interface CallContext {
  shop: string;
  task: LlmTask;
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The network side of a successful attempt; streams keep the slot and deadline until read. */
interface Sent<T> {
  value: T;
  release: ReleaseSlot;
  deadline: Deadline;
}

const ZERO_USAGE: LlmTokenUsage = { promptTokens: 0, completionTokens: 0 };

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal });

/**
 * The only way the app talks to an LLM. Every call goes through one circuit breaker and one
 * limiter (concurrency + requests per minute, per process), is retried with backoff on
 * transient failures, has its usage recorded per shop, and ends in an AppError the job and
 * route layers understand. The SDK's own retries are off: all of them happen here.
 */
export class LlmClient implements Llm {
  private readonly openai: OpenAI;
  private readonly breaker: CircuitBreaker;
  private readonly limiter: RequestLimiter;
  private readonly log: Logger;
  private readonly options: LlmClientOptions &
    Required<
      Pick<
        LlmClientOptions,
        "timeoutMs" | "maxAttempts" | "maxRetryWaitMs" | "reaskOnInvalidOutput" | "sleep" | "random"
      >
    >;

  constructor(options: LlmClientOptions) {
    this.options = {
      ...options,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 4,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 30_000,
      reaskOnInvalidOutput: options.reaskOnInvalidOutput ?? true,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
    };
    this.log = options.logger ?? appLogger;
    this.openai = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: 0,
      fetch: options.fetch,
    });
    this.limiter = new RequestLimiter(options.limiter);
    this.breaker = new CircuitBreaker({
      ...options.breaker,
      onStateChange: (state, previous) => this.onCircuitChange(state, previous),
    });
  }

  /**
   * This client with `signal` added to every call (a job's abort signal: a stopping worker aborts
   * its jobs' calls at its deadline). Shares the breaker, limiter and usage sink.
   */
  withSignal(signal: AbortSignal | undefined): LlmClient {
    if (!signal) return this;
    const merge = <R extends { signal?: AbortSignal }>(request: R): R => ({
      ...request,
      signal: request.signal ? AbortSignal.any([request.signal, signal]) : signal,
    });
    const view = Object.create(this) as LlmClient;
    view.generateStructured = (request) => this.generateStructured(merge(request));
    view.complete = (request) => this.complete(merge(request));
    view.stream = (request) => this.stream(merge(request));
    view.embed = (request) => this.embed(merge(request));
    return view;
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  get limiterStats(): { inFlight: number; queued: number } {
    return this.limiter.stats;
  }

  /**
   * Asks for JSON matching `schema` (strict json_schema response format) and returns it validated.
   * A reply that is not JSON or fails the schema is re-asked once (quoting the zod issues) unless
   * disabled; if that also fails, or the reply was cut at maxTokens, throws LLM_INVALID_OUTPUT
   * (not retryable). A refusal throws LLM_REFUSED.
   */
  async generateStructured<S extends z.ZodType>(
    request: LlmStructuredRequest<S>,
  ): Promise<LlmStructuredResult<z.infer<S>>> {
    const ctx = this.context(request);
    const responseFormat = responseFormatFor(request.schema, request.schemaName);
    const asks = (request.reask ?? this.options.reaskOnInvalidOutput) ? 2 : 1;
    let messages = toMessages(request);
    const usage = { ...ZERO_USAGE };
    for (let ask = 1; ; ask++) {
      const completion = await this.chatCompletion(ctx, request, messages, responseFormat);
      const billed = tokensOf(completion.usage);
      usage.promptTokens += billed.promptTokens;
      usage.completionTokens += billed.completionTokens;
      const choice = completion.choices[0];
      this.throwIfRefused(ctx, choice?.message.refusal, choice?.finish_reason);

      const parsed = parseStructured(choice?.message.content, request.schema);
      if (parsed.ok) return { data: parsed.data, usage, model: completion.model || ctx.model };

      const truncated = choice?.finish_reason === "length";
      // Cut at maxTokens, the same request would be cut again: re-asking only costs tokens.
      const reask = ask < asks && !truncated;
      llmRequests.inc({ task: ctx.task, outcome: "invalid_output" });
      this.log.warn(
        {
          shop: ctx.shop,
          task: ctx.task,
          model: ctx.model,
          attempt: ask,
          reason: parsed.reason,
          issues: parsed.issues,
          truncated,
          reask,
        },
        "llm reply failed its schema",
      );
      if (!reask) throw invalidOutputError(ctx, request.schemaName, parsed.reason, parsed.issues, truncated, ask);
      messages = [
        ...messages,
        { role: "assistant", content: choice?.message.content ?? "" },
        { role: "user", content: reaskMessage(parsed.issues) },
      ];
    }
  }

  /** A plain-text answer (with its usage; `truncated` when it stopped at maxTokens). */
  async complete(request: LlmCompletionRequest): Promise<LlmTextResult> {
    const ctx = this.context(request);
    const completion = await this.chatCompletion(ctx, request, toMessages(request));
    const choice = completion.choices[0];
    this.throwIfRefused(ctx, choice?.message.refusal, choice?.finish_reason);
    return {
      text: choice?.message.content ?? "",
      usage: tokensOf(completion.usage),
      model: completion.model || ctx.model,
      truncated: choice?.finish_reason === "length",
    };
  }

  /**
   * Streams a chat answer. Resolves once the provider starts answering (attempts before that
   * are retried like any call); failures after the first chunk are not retried, since text has
   * already reached the reader. `timeoutMs` bounds the silence between chunks.
   */
  async stream(request: LlmCompletionRequest): Promise<LlmTextStream> {
    const ctx = this.context(request);
    const sent = await this.send(
      ctx,
      (requestOptions) =>
        this.openai.chat.completions.create(
          {
            model: ctx.model,
            messages: toMessages(request),
            max_completion_tokens: request.maxTokens,
            temperature: request.temperature,
            stream: true,
            stream_options: { include_usage: true },
          },
          requestOptions,
        ),
      true,
    );
    return new LlmTextStream(this.readStream(ctx, sent), () => {
      sent.deadline.abort();
      sent.release();
    });
  }

  /** One vector per input, in input order. */
  async embed(request: LlmEmbedRequest): Promise<number[][]> {
    if (request.input.length === 0) return [];
    const ctx = this.context({
      ...request,
      task: request.task ?? "embedding",
      model: request.model ?? this.options.models.embedding,
    });
    const { value: response } = await this.send(ctx, (requestOptions) =>
      this.openai.embeddings.create(
        { model: ctx.model, input: request.input, encoding_format: "float" },
        requestOptions,
      ),
    );
    await this.recordUsage(ctx, response.model || ctx.model, {
      promptTokens: response.usage?.prompt_tokens ?? 0,
      completionTokens: 0,
    });
    const vectors: number[][] = new Array(request.input.length);
    for (const item of response.data) vectors[item.index] = item.embedding;
    if (response.data.length !== request.input.length || vectors.some((vector) => !Array.isArray(vector))) {
      throw new AppError(
        "LLM_INVALID_OUTPUT",
        `embeddings reply has ${response.data.length} vectors for ${request.input.length} inputs`,
        {
          details: { shop: ctx.shop, task: ctx.task, model: ctx.model },
        },
      );
    }
    return vectors;
  }

  private context(request: LlmCallBase): CallContext {
    return {
      shop: request.shop,
      task: request.task,
      model: request.model ?? this.options.models[request.task],
      timeoutMs: request.timeoutMs ?? this.options.timeoutMs,
      signal: request.signal,
    };
  }

  private async chatCompletion(
    ctx: CallContext,
    request: { maxTokens?: number; temperature?: number },
    messages: LlmMessage[],
    responseFormat?: JsonSchemaResponseFormat,
  ): Promise<ChatCompletion> {
    const { value: completion } = await this.send(ctx, (requestOptions) =>
      this.openai.chat.completions.create(
        {
          model: ctx.model,
          messages,
          max_completion_tokens: request.maxTokens,
          temperature: request.temperature,
          response_format: responseFormat,
          stream: false,
        },
        requestOptions,
      ),
    );
    // Billed even when the reply turns out unusable, so it is recorded before anything is checked.
    await this.recordUsage(ctx, completion.model || ctx.model, tokensOf(completion.usage));
    return completion;
  }

  /**
   * Sends one request through the breaker and the limiter, retrying transient failures.
   * A breaker "call" is all of this call's attempts: only its final outcome counts, so one
   * flaky call cannot open the circuit on its own, and the half-open probe gets one attempt.
   */
  private async send<T>(
    ctx: CallContext,
    request: (options: { signal: AbortSignal; timeout: number }) => Promise<T>,
    hold = false,
  ): Promise<Sent<T>> {
    const permit = this.admit(ctx);
    const maxAttempts = permit.trial ? 1 : this.options.maxAttempts;
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      let release: ReleaseSlot | undefined;
      let deadline: Deadline | undefined;
      const startedAt = performance.now();
      try {
        release = await this.limiter.acquire(ctx.signal);
        // A stream nobody reads must not hold its slot forever: expiry frees it.
        deadline = new Deadline(ctx.timeoutMs, ctx.signal, hold ? release : undefined);
        // The SDK's own timeout stops at the response headers; ours covers the body too, so the
        // SDK's is only a backstop that should never win.
        const value = await request({ signal: deadline.signal, timeout: ctx.timeoutMs * 2 });
        llmLatency.observe({ task: ctx.task }, (performance.now() - startedAt) / 1000);
        llmRequests.inc({ task: ctx.task, outcome: "ok" });
        permit.succeed();
        if (!hold) {
          deadline.clear();
          release();
        }
        return { value, release, deadline };
      } catch (error) {
        deadline?.clear();
        release?.();
        if (deadline) llmLatency.observe({ task: ctx.task }, (performance.now() - startedAt) / 1000);
        if (ctx.signal?.aborted && !deadline?.timedOut) {
          permit.release();
          throw ctx.signal.reason ?? error;
        }
        const failure = classifyFailure(error, { timedOut: deadline?.timedOut ?? false, model: ctx.model });
        const waitMs = await this.retryWait(ctx, permit, failure, attempt, maxAttempts, waitedMs);
        waitedMs += waitMs;
      }
    }
  }

  /** Logs the failed attempt, then either returns how long it slept before the next one or throws. */
  private async retryWait(
    ctx: CallContext,
    permit: BreakerPermit,
    failure: AttemptFailure,
    attempt: number,
    maxAttempts: number,
    waitedMs: number,
  ): Promise<number> {
    let finalError: AppError | undefined = failure.error;
    let waitMs = 0;
    if (failure.retryable && attempt < maxAttempts) {
      const { baseMs = 500, maxMs = 8_000 } = this.options.backoff ?? {};
      waitMs = failure.retryAfterMs ?? backoffMs(attempt, { baseMs, maxMs, random: this.options.random });
      const budget = this.options.maxRetryWaitMs - waitedMs;
      if (waitMs <= budget) finalError = undefined;
      else if (failure.retryAfterMs !== undefined) finalError = waitTooLongError(failure, waitMs);
    }
    const willRetry = finalError === undefined;
    llmRequests.inc({ task: ctx.task, outcome: willRetry ? "retried" : "failed" });
    this.log.warn(
      {
        shop: ctx.shop,
        task: ctx.task,
        model: ctx.model,
        attempt,
        status: failure.status ?? null,
        code: (finalError ?? failure.error).code,
        willRetry,
        retryInMs: willRetry ? Math.round(waitMs) : undefined,
        reason: failure.error.message,
      },
      "llm request failed",
    );
    if (finalError) {
      if (failure.outage) permit.fail();
      else permit.succeed(); // the service answered; the request itself was wrong
      throw finalError;
    }
    try {
      await this.options.sleep(waitMs, ctx.signal);
    } catch (error) {
      permit.release();
      throw ctx.signal?.reason ?? error;
    }
    if (this.breaker.state !== "closed") {
      // Other calls opened the circuit while we slept: stop adding load to a failing service.
      permit.release();
      llmRequests.inc({ task: ctx.task, outcome: "circuit_open" });
      throw circuitOpenError(this.breaker.retryInMs, failure.error);
    }
    return waitMs;
  }

  private admit(ctx: CallContext): BreakerPermit {
    try {
      return this.breaker.acquire();
    } catch (error) {
      llmRequests.inc({ task: ctx.task, outcome: "circuit_open" });
      this.log.warn(
        { shop: ctx.shop, task: ctx.task, model: ctx.model, attempt: 0, status: null, code: "LLM_CIRCUIT_OPEN" },
        "llm call refused: circuit open",
      );
      throw error;
    }
  }

  private async *readStream(
    ctx: CallContext,
    sent: Sent<AsyncIterable<ChatCompletionChunk>>,
  ): AsyncGenerator<string, LlmTextResult> {
    const { deadline, release } = sent;
    let text = "";
    let refusal = "";
    let usage: LlmTokenUsage | undefined;
    let model = ctx.model;
    let finishReason: string | null = null;
    try {
      for await (const chunk of sent.value) {
        deadline.restart();
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = tokensOf(chunk.usage);
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (choice?.delta.refusal) refusal += choice.delta.refusal;
        const delta = choice?.delta.content;
        if (delta) {
          text += delta;
          yield delta;
        }
      }
      // The SDK ends a stream quietly when its signal aborts; a timeout must still be an error.
      if (deadline.signal.aborted) throw deadline.signal.reason;
    } catch (error) {
      if (deadline.cancelled) throw ctx.signal?.aborted ? ctx.signal.reason : error;
      const failure = classifyFailure(error, { timedOut: deadline.timedOut, model });
      llmRequests.inc({ task: ctx.task, outcome: "failed" });
      this.log.warn(
        {
          shop: ctx.shop,
          task: ctx.task,
          model,
          attempt: 1,
          status: failure.status ?? null,
          code: failure.error.code,
          willRetry: false,
          reason: failure.error.message,
        },
        "llm stream broke off",
      );
      throw failure.error;
    } finally {
      deadline.clear();
      release();
    }
    if (usage) await this.recordUsage(ctx, model, usage);
    else this.log.warn({ shop: ctx.shop, task: ctx.task, model }, "llm stream ended without usage; nothing recorded");
    this.throwIfRefused(ctx, refusal || null, finishReason);
    return { text, usage: usage ?? { ...ZERO_USAGE }, model, truncated: finishReason === "length" };
  }

  private throwIfRefused(
    ctx: CallContext,
    refusal: string | null | undefined,
    finishReason: string | null | undefined,
  ): void {
    if (!refusal && finishReason !== "content_filter") return;
    llmRequests.inc({ task: ctx.task, outcome: "refused" });
    this.log.warn({ shop: ctx.shop, task: ctx.task, model: ctx.model, finishReason }, "llm refused the request");
    throw new AppError("LLM_REFUSED", `LLM refused: ${refusal || "content filtered"}`, {
      details: {
        shop: ctx.shop,
        task: ctx.task,
        model: ctx.model,
        refusal: refusal ?? null,
        finishReason: finishReason ?? null,
      },
      userMessage: "The AI declined this request. Try rewording it or editing the details it was given.",
    });
  }

  private async recordUsage(ctx: CallContext, model: string, usage: LlmTokenUsage): Promise<void> {
    llmTokens.inc({ task: ctx.task, kind: "prompt" }, usage.promptTokens);
    llmTokens.inc({ task: ctx.task, kind: "completion" }, usage.completionTokens);
    try {
      await this.options.usage.record({ shopDomain: ctx.shop, task: ctx.task, model, ...usage });
    } catch (error) {
      // The answer is paid for and good; losing one usage row beats failing the call.
      this.log.error({ shop: ctx.shop, task: ctx.task, err: error }, "could not record llm usage");
    }
  }

  private onCircuitChange(state: CircuitState, previous: CircuitState): void {
    llmCircuitOpen.set(state === "closed" ? 0 : 1);
    const level = state === "closed" ? "info" : "warn";
    this.log[level]({ state, previous }, `llm circuit ${state}`);
  }
}

function tokensOf(usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined): LlmTokenUsage {
  return { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

function invalidOutputError(
  ctx: CallContext,
  schemaName: string,
  reason: "not_json" | "schema",
  issues: OutputIssue[],
  truncated: boolean,
  asks: number,
): AppError {
  const why = truncated
    ? "was cut off at maxTokens"
    : reason === "not_json"
      ? "is not valid JSON"
      : "does not match the schema";
  return new AppError(
    "LLM_INVALID_OUTPUT",
    `LLM reply for ${schemaName} ${why} (after ${asks} ask${asks > 1 ? "s" : ""})`,
    {
      retryable: false,
      details: { shop: ctx.shop, task: ctx.task, model: ctx.model, schemaName, reason, truncated, asks, issues },
      userMessage: "The AI returned an answer Storewise could not use. Please try again.",
    },
  );
}
