// Local OpenAI-compatible HTTP server: /v1 chat completions (JSON + SSE), embeddings and
// models, OpenAI-style auth, rate limits and errors, plus /_emulator control endpoints
// for fault injection and stats. See README.md in this folder.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ZodError } from "zod";
import { complete, estimatedTokens, promptTokens, randomId, strictModeError, type CompletionResult } from "./chat";
import { embed, toBase64 } from "./embeddings";
import {
  ApiError,
  errorBody,
  insufficientQuota,
  invalidRequest,
  overloaded,
  PARSE_ERROR_MESSAGE,
  redactKey,
  serverError,
} from "./errors";
import { FaultState, type RequestFault } from "./faults";
import { readBody, sendJson, sleep } from "./http";
import { MODEL_CATALOG } from "./models";
import { OverrideState } from "./overrides";
import { hash32, Rng } from "./random";
import { formatDuration, RateLimiter } from "./rate-limit";
import { countTokens, splitIntoTokenPieces } from "./tokens";
import type {
  RecentChat,
  LlmEmulator,
  LlmEmulatorOptions,
  LlmEmulatorStats,
  LlmFaults,
  LlmProfile,
  LlmReplyOverride,
} from "./types";
import { parseChatRequest, parseEmbeddingRequest, parseJsonBody, type ChatRequest } from "./validate";

export type {
  LlmEmulator,
  LlmEmulatorOptions,
  LlmEmulatorStats,
  LlmFaults,
  LlmFaultState,
  LlmProfile,
  LlmReplyOverride,
} from "./types";

/** Every model of the catalog (models.ts): what the emulator serves unless `options.models` says otherwise. */
export const DEFAULT_MODELS = Object.keys(MODEL_CATALOG);

const MODEL_CREATED = 1_700_000_000;
/** How many received chat completions GET /_emulator/chats keeps. */
const RECENT_CHATS = 50;
/** Events a streamStall/streamDrop fault lets through: role chunk + two content chunks. */
const STREAM_FAULT_AFTER_EVENTS = 3;

function emptyStats(): LlmEmulatorStats {
  return {
    requests: 0,
    byStatus: {},
    chatCompletions: 0,
    embeddings: 0,
    promptTokens: 0,
    completionTokens: 0,
    streamed: 0,
    timedOut: 0,
    faultsInjected: 0,
    rateLimited: 0,
    rateLimitedRequests: 0,
    rateLimitedTokens: 0,
    tokensCharged: 0,
    completionLatencyMsTotal: 0,
    inFlight: 0,
  };
}

/** Fast non-cryptographic ids (ids only need to look like OpenAI's, not be secret). */
const idRng = new Rng(Date.now() ^ process.pid);

class LlmEmulatorServer {
  private readonly server: Server;
  private readonly faults = new FaultState();
  private readonly replyOverrides = new OverrideState();
  /** The last chat completions' messages, newest last, for tests that check what reached the model. */
  private recentChats: RecentChat[] = [];
  private readonly limiter: RateLimiter;
  private stats = emptyStats();
  /** Kept outside `stats` because it describes open sockets, which reset() does not close. */
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly models: string[];
  private profile: LlmProfile;
  private latencyRng: Rng;

  constructor(private readonly options: LlmEmulatorOptions) {
    const range = options.completionLatencyMs;
    if (range && !(range.min >= 0 && range.max >= range.min)) {
      throw new RangeError("completionLatencyMs needs 0 <= min <= max");
    }
    this.latencyRng = new Rng(options.latencySeed ?? 1);
    this.profile = { restrictiveSchemas: options.restrictiveSchemas ?? false };
    this.limiter = new RateLimiter(options.rpm, options.tpm);
    this.models = options.models ?? DEFAULT_MODELS;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => this.fail(res, error));
    });
    // Keep idle keep-alive sockets longer than undici's 4s default so clients reuse them.
    this.server.keepAliveTimeout = 10_000;
  }

  async listen(): Promise<LlmEmulator> {
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const origin = `http://${urlHost}:${port}`;
    return {
      url: `${origin}/v1`,
      origin,
      port,
      host,
      close: () => this.close(),
      stats: () => this.snapshotStats(),
      setFaults: (faults: LlmFaults) => this.faults.set(faults),
      clearFaults: () => this.faults.clear(),
      faults: () => this.faults.snapshot(),
      reset: () => this.reset(),
      setProfile: (profile: Partial<LlmProfile>) => this.setProfile(profile),
      addOverride: (override: LlmReplyOverride) => this.replyOverrides.add(override),
      clearOverrides: () => this.replyOverrides.clear(),
      overrides: () => this.replyOverrides.snapshot(),
    };
  }

  private close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Hanging (timeout-fault) and keep-alive sockets would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private reset(): void {
    this.faults.clear();
    this.replyOverrides.clear();
    this.recentChats = [];
    this.stats = emptyStats();
    this.limiter.reset();
    this.latencyRng = new Rng(this.options.latencySeed ?? 1);
    this.profile = { restrictiveSchemas: this.options.restrictiveSchemas ?? false };
  }

  private setProfile(profile: Partial<LlmProfile>): LlmProfile {
    const value = profile.restrictiveSchemas;
    if (value !== undefined) {
      if (typeof value !== "boolean" && !(Array.isArray(value) && value.every((m) => typeof m === "string"))) {
        throw new TypeError("restrictiveSchemas must be true, false or an array of model ids");
      }
      this.profile.restrictiveSchemas = value;
    }
    return { ...this.profile };
  }

  private restrictive(model: string): boolean {
    const setting = this.profile.restrictiveSchemas;
    return setting === true || (Array.isArray(setting) && setting.includes(model));
  }

  private snapshotStats(): LlmEmulatorStats {
    return { ...this.stats, byStatus: { ...this.stats.byStatus }, inFlight: this.inFlight };
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query >= 0 ? url.slice(0, query) : url;
    if (path.startsWith("/v1/")) return this.api(req, res, path);
    if (path.startsWith("/_emulator/")) return this.control(req, res, path);
    sendJson(res, 404, errorBody(`Invalid URL (${req.method} ${path})`, "invalid_request_error", null, null));
  }

  // --- /v1 ---------------------------------------------------------------------------

  private async api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const startedAt = performance.now();
    const stats = this.stats;
    stats.requests++;
    this.inFlight++;
    res.once("close", () => {
      this.inFlight--;
      // Read this.stats at close time: a reset() meanwhile starts counting afresh.
      const byStatus = this.stats.byStatus;
      if (res.headersSent) byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
    });
    const headers: Record<string, string> = {
      "x-request-id": `req_${randomUUID().replace(/-/g, "")}`,
      "openai-version": "2020-10-01",
      "openai-organization": "org-emulator",
    };
    const stamp = () => {
      headers["openai-processing-ms"] = String(Math.round(performance.now() - startedAt));
      return headers;
    };
    try {
      const raw = req.method === "POST" ? await readBody(req) : "";
      this.authenticate(req);

      const fault = this.faults.take();
      if (fault === "timeout") {
        // Never answer: the client's own timeout has to fire. The socket stays open until
        // the client aborts or close() drops it.
        stats.timedOut++;
        return;
      }
      const latency = (this.options.baseLatencyMs ?? 0) + this.faults.latencyMs;
      if (latency > 0) await sleep(latency);
      if (res.destroyed) return;
      if (fault) {
        stats.faultsInjected++;
        return this.injectFault(res, fault, raw, stamp());
      }
      if (req.method === "POST" && this.faults.insufficientQuota) throw insufficientQuota();

      if (req.method === "POST" && path === "/v1/chat/completions") return await this.chat(res, raw, headers, stamp);
      if (req.method === "POST" && path === "/v1/embeddings") return this.embeddings(res, raw, stamp);
      if (req.method === "GET" && path === "/v1/models") {
        return sendJson(res, 200, { object: "list", data: this.models.map(modelObject) }, stamp());
      }
      if (req.method === "GET" && path.startsWith("/v1/models/")) {
        const id = decodeURIComponent(path.slice("/v1/models/".length));
        if (this.models.includes(id)) return sendJson(res, 200, modelObject(id), stamp());
        throw invalidRequest(
          `The model '${id}' does not exist or you do not have access to it.`,
          "model",
          "model_not_found",
          404,
        );
      }
      throw invalidRequest(`Invalid URL (${req.method} ${path})`, null, null, 404);
    } catch (error) {
      if (error instanceof ApiError) return sendJson(res, error.status, error.body, { ...stamp(), ...error.headers });
      throw error;
    }
  }

  private authenticate(req: IncomingMessage): void {
    const expected = this.options.apiKey;
    if (expected === undefined) return;
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      throw invalidRequest(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        null,
        null,
        401,
      );
    }
    const key = match[1]!.trim();
    if (key !== expected) {
      throw invalidRequest(
        `Incorrect API key provided: ${redactKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        null,
        "invalid_api_key",
        401,
      );
    }
  }

  private injectFault(
    res: ServerResponse,
    fault: Exclude<RequestFault, "timeout">,
    raw: string,
    headers: Record<string, string>,
  ) {
    if (fault === "429") {
      const ms = Math.round(this.faults.retryAfterSeconds * 1000);
      const model = (parseJsonBody(raw)?.model as string | undefined) ?? "gpt-4o-mini";
      const message = `Rate limit reached for ${model} in organization org-emulator on requests per min (RPM): Limit ${this.options.rpm ?? 30000}, Used ${this.options.rpm ?? 30000}, Requested 1. Please try again in ${formatDuration(ms)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
      return sendJson(res, 429, errorBody(message, "requests", null, "rate_limit_exceeded"), {
        ...headers,
        ...this.limiter.exhaustedHeaders(ms),
        ...retryHeaders(ms),
      });
    }
    if (fault === "500") return sendJson(res, 500, serverError(), headers);
    return sendJson(res, 503, overloaded(), headers);
  }

  private async chat(
    res: ServerResponse,
    raw: string,
    headers: Record<string, string>,
    stamp: () => Record<string, string>,
  ): Promise<void> {
    const body = parseJsonBody(raw);
    if (!body) throw invalidRequest(PARSE_ERROR_MESSAGE);
    const req = parseChatRequest(body, this.models);
    this.recentChats.push({
      model: req.model,
      schemaName: req.responseFormat.type === "json_schema" ? req.responseFormat.name : null,
      messages: req.messages.map((m) => ({ role: m.role, text: m.text })),
    });
    if (this.recentChats.length > RECENT_CHATS) this.recentChats.shift();
    const strictError = strictModeError(req, this.restrictive(req.model));
    if (strictError) throw invalidRequest(strictError, "response_format");
    const prompt = promptTokens(req);
    const window = req.profile.contextWindow;
    if (prompt > window) {
      throw invalidRequest(
        `This model's maximum context length is ${window} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`,
        "messages",
        "context_length_exceeded",
      );
    }
    if (req.maxTokens !== null && prompt + req.maxTokens > window) {
      throw invalidRequest(
        `This model's maximum context length is ${window} tokens. However, you requested ${prompt + req.maxTokens} tokens (${prompt} in the messages, ${req.maxTokens} in the completion). Please reduce the length of the messages or completion.`,
        "messages",
        "context_length_exceeded",
      );
    }
    const admitted = estimatedTokens(req, prompt);
    this.admit(req.model, admitted, headers);
    this.stats.tokensCharged += admitted;
    const range = this.options.completionLatencyMs;
    if (range) {
      // Admitted: the model takes its time (a 429 above answered at once, as OpenAI's does).
      const ms = range.min + this.latencyRng.next() * (range.max - range.min);
      await sleep(ms);
      if (res.destroyed) return;
      this.stats.completionLatencyMsTotal += ms;
    }

    const invalidJson = req.responseFormat.type === "json_schema" && this.faults.takeInvalidJson();
    const result = complete(req, { invalidJson, override: this.replyOverrides.take(req) });
    if (req.maxTokens === null) {
      this.limiter.charge(result.completionTokens);
      this.stats.tokensCharged += result.completionTokens;
    }
    this.stats.chatCompletions++;
    this.stats.promptTokens += result.promptTokens;
    this.stats.completionTokens += result.completionTokens;

    const meta = {
      id: `chatcmpl-${randomId(idRng, 29)}`,
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      fingerprint: systemFingerprint(req.model),
    };
    if (req.stream) {
      this.stats.streamed++;
      return this.stream(res, req, result, meta, stamp());
    }
    const tps = this.options.tokensPerSecond;
    if (tps && tps > 0) {
      // Choices generate in parallel, so the longest one sets the wall time.
      const longest = Math.max(...result.choices.map((c) => countTokens(c.content ?? c.refusal ?? "")));
      await sleep((longest / tps) * 1000);
    }
    sendJson(res, 200, completionBody(req, result, meta), stamp());
  }

  /** Applies rpm/tpm; adds x-ratelimit-* headers or throws the 429. */
  private admit(model: string, tokens: number, headers: Record<string, string>): void {
    const decision = this.limiter.check(model, tokens);
    if (!decision.ok) {
      this.stats.rateLimited++;
      if (decision.kind === "requests") this.stats.rateLimitedRequests++;
      else this.stats.rateLimitedTokens++;
      throw new ApiError(429, errorBody(decision.message, decision.kind, null, "rate_limit_exceeded"), {
        ...decision.headers,
        ...retryHeaders(decision.retryAfterMs),
      });
    }
    Object.assign(headers, decision.headers);
  }

  private stream(
    res: ServerResponse,
    req: ChatRequest,
    result: CompletionResult,
    meta: CompletionMeta,
    headers: Record<string, string>,
  ): void {
    let events = streamEvents(req, result, meta);
    const breakOff = this.faults.takeStreamFault();
    if (breakOff) {
      // Role chunk plus a couple of content chunks, then silence or a dropped connection.
      events = events.slice(0, STREAM_FAULT_AFTER_EVENTS);
      if (breakOff === "stall") this.stats.timedOut++;
    }
    res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    // "drop" cuts the socket once the partial stream is flushed (destroying earlier would
    // discard it); "stall" leaves the response open until the client gives up or close().
    const send = (data: string, last: boolean) => {
      if (!last) res.write(data);
      else if (!breakOff) res.end(data);
      else if (breakOff === "drop") res.write(data, () => res.destroy());
      else if (data) res.write(data);
    };
    const tps = this.options.tokensPerSecond;
    if (!tps || tps <= 0) {
      send(events.map((e) => e.data).join(""), true);
      return;
    }
    // Each event is due when the tokens before it have been "generated" at `tps`.
    let tokens = 0;
    for (const event of events) {
      tokens += event.tokens;
      event.dueMs = (tokens / tps) * 1000;
    }
    const start = performance.now();
    let next = 0;
    const pump = () => {
      if (res.destroyed) return;
      const elapsed = performance.now() - start;
      let batch = "";
      while (next < events.length && events[next]!.dueMs <= elapsed) batch += events[next++]!.data;
      const last = next >= events.length;
      if (batch || last) send(batch, last);
      if (!last) this.later(events[next]!.dueMs - elapsed, pump);
    };
    pump();
  }

  private embeddings(res: ServerResponse, raw: string, stamp: () => Record<string, string>): void {
    const body = parseJsonBody(raw);
    if (!body) throw invalidRequest(PARSE_ERROR_MESSAGE);
    const req = parseEmbeddingRequest(body, this.models);
    const tokens = req.inputs.reduce((sum, text) => sum + countTokens(text), 0);
    const headers: Record<string, string> = {};
    this.admit(req.model, tokens, headers);
    this.stats.tokensCharged += tokens;
    this.stats.embeddings++;
    this.stats.promptTokens += tokens;
    const data = req.inputs.map((text, index) => {
      const vector = embed(text, req.dimensions);
      return {
        object: "embedding",
        index,
        embedding: req.encoding === "base64" ? toBase64(vector) : Array.from(vector),
      };
    });
    sendJson(
      res,
      200,
      { object: "list", data, model: req.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
      { ...stamp(), ...headers },
    );
  }

  // --- /_emulator --------------------------------------------------------------------

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /_emulator/health":
        return sendJson(res, 200, { ok: true });
      case "GET /_emulator/stats":
        return sendJson(res, 200, this.snapshotStats());
      case "GET /_emulator/chats":
        return sendJson(res, 200, this.recentChats);
      case "GET /_emulator/faults":
        return sendJson(res, 200, this.faults.snapshot());
      case "DELETE /_emulator/faults":
        this.faults.clear();
        return sendJson(res, 200, this.faults.snapshot());
      case "POST /_emulator/faults": {
        const raw = await readBody(req);
        const body = raw.trim() === "" ? {} : parseJsonBody(raw);
        if (!body) return sendJson(res, 400, { error: { message: "Body must be a JSON object of faults." } });
        try {
          return sendJson(res, 200, this.faults.set(body as LlmFaults));
        } catch (error) {
          if (error instanceof ZodError)
            return sendJson(res, 400, { error: { message: error.message, issues: error.issues } });
          throw error;
        }
      }
      case "GET /_emulator/overrides":
        return sendJson(res, 200, this.replyOverrides.snapshot());
      case "DELETE /_emulator/overrides":
        this.replyOverrides.clear();
        return sendJson(res, 200, this.replyOverrides.snapshot());
      case "POST /_emulator/overrides": {
        const body = parseJsonBody(await readBody(req));
        if (!body) return sendJson(res, 400, { error: { message: "Body must be a JSON object: one override." } });
        try {
          return sendJson(res, 200, this.replyOverrides.add(body as unknown as LlmReplyOverride));
        } catch (error) {
          if (error instanceof ZodError)
            return sendJson(res, 400, { error: { message: error.message, issues: error.issues } });
          throw error;
        }
      }
      case "GET /_emulator/profile":
        return sendJson(res, 200, { ...this.profile });
      case "POST /_emulator/profile": {
        const body = parseJsonBody(await readBody(req));
        if (!body) return sendJson(res, 400, { error: { message: "Body must be a JSON object: the profile fields." } });
        try {
          return sendJson(res, 200, this.setProfile(body as Partial<LlmProfile>));
        } catch (error) {
          if (error instanceof TypeError) return sendJson(res, 400, { error: { message: error.message } });
          throw error;
        }
      }
      case "POST /_emulator/reset":
        this.reset();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: { message: `Unknown emulator control route: ${route}` } });
    }
  }

  private fail(res: ServerResponse, error: unknown): void {
    console.error("[llm emulator] unexpected error", error);
    if (!res.headersSent) sendJson(res, 500, serverError());
    else res.destroy();
  }
}

/** Stable per model, like a deployment's fingerprint: "fp_" + 10 hex digits. */
function systemFingerprint(model: string): string {
  return `fp_${hash32(model).toString(16).padStart(8, "0")}${(hash32(model, 7) & 0xff).toString(16).padStart(2, "0")}`;
}

function retryHeaders(ms: number): Record<string, string> {
  return { "retry-after": String(Math.ceil(ms / 1000)), "retry-after-ms": String(ms) };
}

function modelObject(id: string) {
  return {
    id,
    object: "model",
    created: MODEL_CREATED,
    owned_by: id.startsWith("text-embedding") ? "system" : "openai",
  };
}

interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  fingerprint: string;
}

function usageBody(result: CompletionResult) {
  return {
    prompt_tokens: result.promptTokens,
    completion_tokens: result.completionTokens,
    total_tokens: result.promptTokens + result.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function completionBody(req: ChatRequest, result: CompletionResult, meta: CompletionMeta) {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: result.choices.map((choice, index) => ({
      index,
      message: {
        role: "assistant",
        content: choice.content,
        refusal: choice.refusal,
        ...(choice.toolCalls ? { tool_calls: choice.toolCalls } : {}),
        annotations: [],
      },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage: usageBody(result),
    service_tier: "default",
    system_fingerprint: meta.fingerprint,
  };
}

interface StreamEvent {
  data: string;
  /** Completion tokens this event carries (drives tokensPerSecond pacing). */
  tokens: number;
  dueMs: number;
}

/** SSE frames in OpenAI's order: role delta, content/refusal/tool deltas, finish, usage, [DONE]. */
function streamEvents(req: ChatRequest, result: CompletionResult, meta: CompletionMeta): StreamEvent[] {
  // Every chunk shares this envelope; building it once keeps streaming cheap.
  const head = `data: {"id":"${meta.id}","object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"service_tier":"default","system_fingerprint":"${meta.fingerprint}","choices":[`;
  const tail = req.includeUsage ? `],"usage":null}\n\n` : `]}\n\n`;
  const events: StreamEvent[] = [];
  const push = (index: number, delta: object, finish: string | null, tokens: number) =>
    events.push({
      data: `${head}${JSON.stringify({ index, delta, logprobs: null, finish_reason: finish })}${tail}`,
      tokens,
      dueMs: 0,
    });

  result.choices.forEach((choice, index) => {
    if (choice.toolCalls) {
      choice.toolCalls.forEach((call, callIndex) => {
        push(
          index,
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                index: callIndex,
                id: call.id,
                type: "function",
                function: { name: call.function.name, arguments: "" },
              },
            ],
            refusal: null,
          },
          null,
          countTokens(call.function.name),
        );
        for (const piece of splitIntoTokenPieces(call.function.arguments)) {
          push(index, { tool_calls: [{ index: callIndex, function: { arguments: piece } }] }, null, 1);
        }
      });
    } else if (choice.refusal !== null) {
      push(index, { role: "assistant", content: null, refusal: "" }, null, 0);
      for (const piece of splitIntoTokenPieces(choice.refusal)) push(index, { refusal: piece }, null, 1);
    } else {
      push(index, { role: "assistant", content: "", refusal: null }, null, 0);
      for (const piece of splitIntoTokenPieces(choice.content ?? "")) push(index, { content: piece }, null, 1);
    }
    push(index, {}, choice.finishReason, 0);
  });
  if (req.includeUsage) {
    events.push({ data: `${head}],"usage":${JSON.stringify(usageBody(result))}}\n\n`, tokens: 0, dueMs: 0 });
  }
  events.push({ data: "data: [DONE]\n\n", tokens: 0, dueMs: 0 });
  return events;
}

/** Starts an emulator; resolves once it is listening. */
export async function startLlmEmulator(options: LlmEmulatorOptions = {}): Promise<LlmEmulator> {
  return new LlmEmulatorServer(options).listen();
}
