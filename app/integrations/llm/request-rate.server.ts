import type { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * Requests per minute towards the LLM provider. The provider counts the requests of every web and
 * worker process together, so with Redis the budget is one token bucket shared by all of them
 * (Redis TIME keeps them on one clock); without Redis (tests, scripts) it is this process's own.
 */
export interface RequestRateOptions {
  requestsPerMinute: number;
  /**
   * Bucket size: how many requests may start back to back after a quiet spell. Default: one
   * second's worth, because providers enforce RPM over sub-minute windows and a full minute's
   * burst would draw 429s.
   */
  burst?: number;
  /** Shared bucket; when unset the limit is per process. */
  redis?: Redis;
  /** Redis key of the shared bucket (one per provider account). Default "llm:rpm". */
  key?: string;
  logger?: Logger;
}

export interface RequestRate {
  /** Resolves when this request may start; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void>;
}

// Returns 0 when a token was taken, else the milliseconds until one is due (nothing is taken).
const TAKE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or nowMs
tokens = math.min(capacity, tokens + math.max(0, nowMs - ts) * perMs)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / perMs) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', nowMs)
redis.call('PEXPIRE', KEYS[1], 120000)
return wait
`;

type RedisWithTake = Redis & { llmRateTake(key: string, capacity: number, perMs: number): Promise<number> };

export function requestRate(options: RequestRateOptions): RequestRate {
  if (!(options.requestsPerMinute > 0)) throw new RangeError("requestsPerMinute must be > 0");
  const capacity = Math.max(1, options.burst ?? Math.ceil(options.requestsPerMinute / 60));
  const perMs = options.requestsPerMinute / 60_000;
  const local = localBucket(capacity, perMs);
  const redis = options.redis as RedisWithTake | undefined;
  if (redis && typeof redis.llmRateTake !== "function") {
    redis.defineCommand("llmRateTake", { numberOfKeys: 1, lua: TAKE });
  }
  const key = options.key ?? "llm:rpm";
  let warned = false;

  const waitMs = async (): Promise<number> => {
    if (!redis) return local();
    try {
      const wait = await redis.llmRateTake(key, capacity, perMs);
      warned = false;
      return wait;
    } catch (error) {
      // Redis is down: pace this process alone rather than stop every LLM call with it.
      if (!warned) options.logger?.warn({ err: error }, "llm request rate: redis unavailable, limiting per process");
      warned = true;
      return local();
    }
  };

  return {
    async take(signal) {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        const wait = await waitMs();
        if (wait <= 0) return;
        await sleep(wait, signal);
      }
    },
  };
}

function localBucket(capacity: number, perMs: number): () => number {
  let tokens = capacity;
  let at = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(capacity, tokens + (now - at) * perMs);
    at = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - tokens) / perMs));
  };
}

/** setTimeout as a promise that rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
