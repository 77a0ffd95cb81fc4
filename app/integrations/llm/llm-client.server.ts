import {
  BrokenCircuitError,
  bulkhead,
  circuitBreaker,
  CircuitState as BreakerState,
  ConsecutiveBreaker,
  ConstantBackoff,
  ExponentialBackoff,
  handleWhen,
  noJitterGenerator,
  retry,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type RetryPolicy,
} from "cockatiel";
import type { Redis } from "ioredis";
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Logger } from "pino";
import type { z } from "zod";

import { Deadline } from "~/integrations/llm/deadline";
import {
  classifyFailure,
  OUT_OF_CREDIT_MESSAGE,
  waitTooLongError,
  type AttemptFailure,
} from "~/integrations/llm/failures";
import { requestRate, sleep, type RequestRate } from "~/integrations/llm/request-rate.server";
import {
  isSchemaRefusal,
  jsonObjectInstruction,
  parseStructured,
  reaskMessage,
  relaxedFormat,
  responseFormatFor,
  type JsonSchemaResponseFormat,
  type OutputIssue,
  type ResponseFormat,
  type SchemaMode,
} from "~/integrations/llm/structured-output";
import { LlmTextStream } from "~/integrations/llm/text-stream";
import {
  toMessages,
  type LlmCallBase,
  type LlmCompletionRequest,
  type LlmEmbedRequest,
  type LlmMessage,
  type LlmStructuredRequest,
  type LlmStructuredResult,
  type LlmTask,
  type LlmTextResult,
  type LlmTokenUsage,
} from "~/integrations/llm/types";
import type { UsageSink } from "~/integrations/llm/usage.server";
import { AppError } from "~/lib/errors";
import { logger as appLogger } from "~/lib/logger.server";
import { llmCircuitOpen, llmLatency, llmRequests, llmTokens } from "~/lib/metrics.server";
import type { Llm } from "~/services/ports/llm";

export type CircuitState = "closed" | "open" | "half-open";

export interface RequestLimiterOptions {
  /** Requests allowed in flight at once, in this process (a bulkhead). */
  maxConcurrency: number;
  /** Sustained request starts per minute; shared by every process when `redis` is given. */
  requestsPerMinute: number;
  /** Requests that may start back to back after a quiet spell. Default: one second's worth. */
  burst?: number;
}

export interface LlmClientOptions {
  apiKey: string;
  /** OpenAI-compatible endpoint (Azure, Ollama, vLLM, the emulator); the SDK default when unset. */
  baseURL?: string;
  /** Default model per task. */
  models: Record<LlmTask, string>;
  usage: UsageSink;
  limiter: RequestLimiterOptions;
  /**
   * Shares what the provider sees as one account across processes: the requests-per-minute
   * bucket, and the schema mode each model was found to accept. Per process when unset.
   */
  redis?: Redis;
  breaker?: {
    /** Consecutive failed calls that open the circuit. Default 3. */
    failureThreshold?: number;
    /** How long the circuit stays open before one trial call goes through. Default 10 s. */
    openMs?: number;
  };
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
  /**
   * After insufficient_quota, how long calls fail at once with LLM_QUOTA_EXHAUSTED instead of
   * asking the provider again (then one call checks whether credit was added). Default 60 s.
   */
  quotaRecheckMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  logger?: Logger;
}

interface CallContext {
  shop: string;
  task: LlmTask;
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Hands back the concurrency slot taken for one attempt; calling it twice is harmless. */
type ReleaseSlot = () => void;

/** The network side of a successful attempt; streams keep the slot and deadline until read. */
interface Sent<T> {
  value: T;
  release: ReleaseSlot;
  deadline: Deadline;
}

/** What one failed attempt means for cockatiel's policies (kept beside the error they threw). */
interface Verdict {
  /** The retry policy tries again. */
  retry: boolean;
  /** The breaker counts it (when it ends the call). */
  outage: boolean;
}

const ZERO_USAGE: LlmTokenUsage = { promptTokens: 0, completionTokens: 0 };

/**
 * The only way the app talks to an LLM. Resilience comes from cockatiel: every call goes through
 * one circuit breaker (consecutive failed calls open it), is retried with backoff on transient
 * failures (the server's retry-after first, full jitter otherwise), and each attempt takes a
 * bulkhead slot (concurrency, per process) and a token of the requests-per-minute bucket (shared
 * through Redis, since the provider counts every process together). Usage is recorded per shop,
 * and every failure ends in an AppError the job and route layers understand. The SDK's own
 * retries are off: it would retry insufficient_quota, which no wait fixes.
 */
export class LlmClient implements Llm {
  private readonly openai: OpenAI;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retryPolicy: RetryPolicy;
  private readonly slots: BulkheadPolicy;
  private readonly rate: RequestRate;
  private readonly verdicts = new WeakMap<object, Verdict>();
  private readonly schemaModes = new Map<string, SchemaMode>();
  private readonly log: Logger;
  private readonly openMs: number;
  private openedAt = 0;
  private inFlight = 0;
  private queued = 0;
  private quotaExhaustedUntil = 0;
  private readonly options: LlmClientOptions &
    Required<
      Pick<
        LlmClientOptions,
        "timeoutMs" | "maxAttempts" | "maxRetryWaitMs" | "reaskOnInvalidOutput" | "random" | "quotaRecheckMs"
      >
    >;

  constructor(options: LlmClientOptions) {
    this.options = {
      ...options,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 4,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 30_000,
      reaskOnInvalidOutput: options.reaskOnInvalidOutput ?? true,
      random: options.random ?? Math.random,
      quotaRecheckMs: options.quotaRecheckMs ?? 60_000,
    };
    this.log = options.logger ?? appLogger;
    this.openai = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: 0,
      fetch: options.fetch,
    });
    if (options.limiter.maxConcurrency < 1) throw new RangeError("maxConcurrency must be >= 1");
    this.slots = bulkhead(options.limiter.maxConcurrency, Number.MAX_SAFE_INTEGER);
    this.rate = requestRate({
      requestsPerMinute: options.limiter.requestsPerMinute,
      burst: options.limiter.burst,
      redis: options.redis,
      key: `llm:rpm:${options.baseURL ?? "openai"}`,
      logger: this.log,
    });
    this.openMs = options.breaker?.openMs ?? 10_000;
    this.breaker = circuitBreaker(
      handleWhen((error) => this.verdicts.get(error as object)?.outage === true),
      {
        breaker: new ConsecutiveBreaker(options.breaker?.failureThreshold ?? 3),
        halfOpenAfter: this.openMs,
      },
    );
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    let previous: CircuitState = "closed";
    this.breaker.onStateChange((state) => {
      const next = stateName(state);
      if (next !== previous) this.onCircuitChange(next, previous);
      previous = next;
    });
    // Waits happen inside the attempt (where they can follow the caller's signal), so cockatiel's
    // own delay between attempts is zero.
    this.retryPolicy = retry(
      handleWhen((error) => this.verdicts.get(error as object)?.retry === true),
      { maxAttempts: this.options.maxAttempts - 1, backoff: new ConstantBackoff(0) },
    );
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

  /** The state as of now (an expired open period reads as half-open). */
  get circuitState(): CircuitState {
    const state = stateName(this.breaker.state);
    if (state === "open" && this.retryInMs === 0) return "half-open";
    return state;
  }

  get limiterStats(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queued };
  }

  /** How a model is sent schemas (it steps down when a provider refuses them; see SchemaMode). */
  async schemaModeOf(model: string): Promise<SchemaMode> {
    const known = this.schemaModes.get(model);
    if (known) return known;
    let mode: SchemaMode = "strict";
    if (this.options.redis) {
      try {
        const stored = await this.options.redis.hget(SCHEMA_MODES_KEY, this.schemaModeField(model));
        if (stored === "relaxed" || stored === "json_object") mode = stored;
      } catch (error) {
        this.log.warn({ err: error, model }, "could not read the model's schema mode from redis; trying strict");
        return mode;
      }
    }
    this.schemaModes.set(model, mode);
    return mode;
  }

  /**
   * Asks for JSON matching `schema` and returns it validated by zod (every length and count limit
   * included). The schema goes as strict json_schema; when the provider refuses it (a 400 about the
   * response format), the call steps down once to a schema without the limit keywords, then to
   * json_object with the schema in the prompt, and the model's mode is remembered. A reply that is
   * not JSON or fails the schema is re-asked once (quoting the zod issues) unless disabled; if that
   * also fails, or the reply was cut at maxTokens, throws LLM_INVALID_OUTPUT (not retryable). A
   * refusal throws LLM_REFUSED.
   */
  async generateStructured<S extends z.ZodType>(
    request: LlmStructuredRequest<S>,
  ): Promise<LlmStructuredResult<z.infer<S>>> {
    const ctx = this.context(request);
    const strict = responseFormatFor(request.schema, request.schemaName);
    const asks = (request.reask ?? this.options.reaskOnInvalidOutput) ? 2 : 1;
    let mode = await this.schemaModeOf(ctx.model);
    let messages = toMessages(request);
    const usage = { ...ZERO_USAGE };
    for (let ask = 1; ; ask++) {
      let completion: ChatCompletion;
      for (;;) {
        try {
          completion = await this.chatCompletion(
            ctx,
            request,
            withSchemaPrompt(messages, mode, strict),
            formatFor(mode, strict),
          );
          break;
        } catch (error) {
          const next = mode === "strict" ? "relaxed" : mode === "relaxed" ? "json_object" : null;
          if (!next || !refusesSchema(error)) throw error;
          this.log.warn(
            {
              shop: ctx.shop,
              task: ctx.task,
              model: ctx.model,
              from: mode,
              to: next,
              reason: (error as AppError).message,
            },
            "llm provider refused the schema; stepping down for this model",
          );
          mode = next;
          await this.rememberSchemaMode(ctx.model, mode);
        }
      }
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
          schemaMode: mode,
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
    responseFormat?: ResponseFormat,
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
   * Sends one request through the breaker, the retry policy and, per attempt, a bulkhead slot and
   * a requests-per-minute token. A breaker "call" is all of this call's attempts: only its final
   * outcome counts, so one flaky call cannot open the circuit on its own, and the half-open probe
   * gets one attempt.
   */
  private async send<T>(
    ctx: CallContext,
    request: (options: { signal: AbortSignal; timeout: number }) => Promise<T>,
    hold = false,
  ): Promise<Sent<T>> {
    this.throwIfOutOfCredit(ctx);
    const backoff = this.backoffFactory();
    let nextBackoff: IBackoff<unknown> | undefined;
    let waitMs = 0;
    let waitedMs = 0;
    let trial = false;
    try {
      return await this.breaker.execute(() => {
        trial = this.breaker.state === BreakerState.HalfOpen;
        return this.retryPolicy.execute(async ({ attempt }) => {
          if (attempt > 0) {
            await sleep(waitMs, ctx.signal);
            if (this.breaker.state !== BreakerState.Closed) {
              // Other calls opened the circuit while we slept: stop adding load to a failing service.
              throw this.judged(circuitOpenError(this.retryInMs), { retry: false, outage: false });
            }
          }
          try {
            return await this.attempt(ctx, request, hold);
          } catch (error) {
            if (ctx.signal?.aborted && !isTimeout(error)) throw ctx.signal.reason ?? error;
            if (!(error instanceof AttemptError)) throw error;
            const { failure } = error;
            const retriesLeft = !trial && attempt + 1 < this.options.maxAttempts;
            let finalError: AppError | undefined = failure.error;
            if (failure.retryable && retriesLeft) {
              nextBackoff = nextBackoff ? nextBackoff.next(undefined) : backoff.next();
              waitMs = failure.retryAfterMs ?? nextBackoff.duration;
              if (waitMs <= this.options.maxRetryWaitMs - waitedMs) finalError = undefined;
              else if (failure.retryAfterMs !== undefined) finalError = waitTooLongError(failure, waitMs);
            }
            const willRetry = finalError === undefined;
            if (willRetry) waitedMs += waitMs;
            if (failure.error.code === "LLM_QUOTA_EXHAUSTED") {
              this.quotaExhaustedUntil = Date.now() + this.options.quotaRecheckMs;
            }
            llmRequests.inc({ task: ctx.task, outcome: willRetry ? "retried" : "failed" });
            this.log.warn(
              {
                shop: ctx.shop,
                task: ctx.task,
                model: ctx.model,
                attempt: attempt + 1,
                status: failure.status ?? null,
                code: (finalError ?? failure.error).code,
                willRetry,
                retryInMs: willRetry ? Math.round(waitMs) : undefined,
                reason: failure.error.message,
              },
              "llm request failed",
            );
            throw this.judged(finalError ?? failure.error, { retry: willRetry, outage: failure.outage });
          }
        }, ctx.signal);
      }, ctx.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        llmRequests.inc({ task: ctx.task, outcome: "circuit_open" });
        this.log.warn(
          { shop: ctx.shop, task: ctx.task, model: ctx.model, attempt: 0, status: null, code: "LLM_CIRCUIT_OPEN" },
          "llm call refused: circuit open",
        );
        throw circuitOpenError(this.retryInMs);
      }
      if (ctx.signal?.aborted && !(error instanceof AppError)) throw ctx.signal.reason ?? error;
      throw error;
    }
  }

  /** One attempt: a slot, a rate token, the request under its deadline. Failures become AttemptErrors. */
  private async attempt<T>(
    ctx: CallContext,
    request: (options: { signal: AbortSignal; timeout: number }) => Promise<T>,
    hold: boolean,
  ): Promise<Sent<T>> {
    const release = await this.takeSlot(ctx.signal);
    let deadline: Deadline | undefined;
    const startedAt = performance.now();
    try {
      await this.rate.take(ctx.signal);
      // A stream nobody reads must not hold its slot forever: expiry frees it.
      deadline = new Deadline(ctx.timeoutMs, ctx.signal, hold ? release : undefined);
      // The SDK's own timeout stops at the response headers; ours covers the body too, so the
      // SDK's is only a backstop that should never win.
      const value = await request({ signal: deadline.signal, timeout: ctx.timeoutMs * 2 });
      llmLatency.observe({ task: ctx.task }, (performance.now() - startedAt) / 1000);
      llmRequests.inc({ task: ctx.task, outcome: "ok" });
      if (this.quotaExhaustedUntil) this.quotaExhaustedUntil = 0;
      if (!hold) {
        deadline.clear();
        release();
      }
      return { value, release, deadline };
    } catch (error) {
      deadline?.clear();
      release();
      if (!deadline) throw error; // aborted while waiting for a rate token
      llmLatency.observe({ task: ctx.task }, (performance.now() - startedAt) / 1000);
      if (ctx.signal?.aborted && !deadline.timedOut) throw ctx.signal.reason ?? error;
      throw new AttemptError(classifyFailure(error, { timedOut: deadline.timedOut, model: ctx.model }));
    }
  }

  /**
   * A bulkhead slot held until the returned function is called (a stream holds it until read).
   * Rejects with the signal's reason as soon as it aborts, even while queued.
   */
  private takeSlot(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.queued++;
    return new Promise<ReleaseSlot>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        this.queued--;
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.slots
        .execute(
          () =>
            new Promise<void>((done) => {
              if (settled) return done(); // the caller gave up while queued: pass the slot on
              settled = true;
              this.queued--;
              signal?.removeEventListener("abort", onAbort);
              this.inFlight++;
              let released = false;
              resolve(() => {
                if (released) return;
                released = true;
                this.inFlight--;
                done();
              });
            }),
          signal,
        )
        .catch((error: unknown) => {
          if (settled) return;
          settled = true;
          this.queued--;
          reject(error);
        });
    });
  }

  private backoffFactory(): ExponentialBackoff<number> {
    const { baseMs = 500, maxMs = 8_000 } = this.options.backoff ?? {};
    const random = this.options.random;
    return new ExponentialBackoff<number>({
      initialDelay: baseMs,
      maxDelay: maxMs,
      // Full jitter: uniform in [0, min(max, base · 2^n)].
      generator: (state, options) => {
        const [ceiling, next] = noJitterGenerator(state, options);
        return [random() * ceiling, next];
      },
    });
  }

  private judged<E extends object>(error: E, verdict: Verdict): E {
    this.verdicts.set(error, verdict);
    return error;
  }

  private get retryInMs(): number {
    if (this.breaker.state !== BreakerState.Open) return 0;
    return Math.max(0, this.openedAt + this.openMs - Date.now());
  }

  /** While the account is known to be out of credit, calls fail at once (no request, no breaker). */
  private throwIfOutOfCredit(ctx: CallContext): void {
    if (this.quotaExhaustedUntil === 0 || Date.now() >= this.quotaExhaustedUntil) return;
    llmRequests.inc({ task: ctx.task, outcome: "failed" });
    throw new AppError("LLM_QUOTA_EXHAUSTED", "LLM quota exhausted (insufficient_quota); not asking again yet", {
      retryable: false,
      userMessage: OUT_OF_CREDIT_MESSAGE,
      details: { shop: ctx.shop, task: ctx.task, model: ctx.model, recheckInMs: this.quotaExhaustedUntil - Date.now() },
    });
  }

  private async rememberSchemaMode(model: string, mode: SchemaMode): Promise<void> {
    this.schemaModes.set(model, mode);
    if (!this.options.redis) return;
    try {
      await this.options.redis.hset(SCHEMA_MODES_KEY, this.schemaModeField(model), mode);
    } catch (error) {
      this.log.warn({ err: error, model, mode }, "could not store the model's schema mode in redis");
    }
  }

  private schemaModeField(model: string): string {
    return `${this.options.baseURL ?? "openai"}#${model}`;
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

/** Redis hash of the schema mode each provider#model was found to accept. */
const SCHEMA_MODES_KEY = "llm:schema-mode";

/** A failed attempt, classified (what the call ends with if it is not retried). */
class AttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.error.message);
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof AttemptError && error.failure.error.code === "LLM_TIMEOUT";
}

function stateName(state: BreakerState): CircuitState {
  if (state === BreakerState.Closed) return "closed";
  if (state === BreakerState.HalfOpen) return "half-open";
  return "open";
}

/** AppError LLM_CIRCUIT_OPEN: retryable, raised without touching the network. */
function circuitOpenError(retryInMs: number): AppError {
  const ms = Math.max(0, Math.ceil(retryInMs));
  return new AppError("LLM_CIRCUIT_OPEN", `LLM circuit breaker is open; retry in ${ms} ms`, {
    retryable: true,
    details: { retryInMs: ms },
    userMessage: "The AI service is temporarily unavailable. Please try again in a few seconds.",
  });
}

function formatFor(mode: SchemaMode, strict: JsonSchemaResponseFormat): ResponseFormat {
  if (mode === "relaxed") return relaxedFormat(strict);
  if (mode === "json_object") return { type: "json_object" };
  return strict;
}

/** With json_object the schema travels in the prompt, as the last system message before the turns. */
function withSchemaPrompt(messages: LlmMessage[], mode: SchemaMode, strict: JsonSchemaResponseFormat): LlmMessage[] {
  if (mode !== "json_object") return messages;
  return [{ role: "system", content: jsonObjectInstruction(strict) }, ...messages];
}

/** The provider refused the response format or its schema (a 400 naming response_format). */
function refusesSchema(error: unknown): boolean {
  if (!(error instanceof AppError) || error.code !== "LLM_REQUEST_REJECTED") return false;
  const status = typeof error.details.status === "number" ? error.details.status : undefined;
  const message = error.cause instanceof Error ? error.cause.message : error.message;
  return isSchemaRefusal(status, error.details.param, message);
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
