// OpenAI-style rate limiting. OpenAI meters requests and tokens with continuously
// refilling buckets (capacity = the per-minute limit), which is why its reset headers
// read like "6ms" after one request at 10,000 RPM; this reproduces that arithmetic.

const MINUTE_MS = 60_000;
/** Limits advertised in headers when none is configured (never enforced). */
const DISPLAY_RPM = 30_000;
const DISPLAY_TPM = 150_000_000;

class Bucket {
  private level: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.level = Math.min(this.capacity, this.level + (elapsed * this.capacity) / MINUTE_MS);
    this.updatedAt = now;
  }

  available(now: number): number {
    this.refill(now);
    return this.level;
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level = Math.max(0, this.level - amount);
  }

  /** Milliseconds until `amount` can be taken. */
  msUntil(amount: number, now: number): number {
    const missing = amount - this.available(now);
    return missing <= 0 ? 0 : Math.ceil((missing * MINUTE_MS) / this.capacity);
  }

  /** Milliseconds until the bucket is full again (the x-ratelimit-reset-* value). */
  msUntilFull(now: number): number {
    return this.msUntil(this.capacity, now);
  }
}

/** Go-style durations as OpenAI prints them: "6ms", "1.2s", "6m0s", "1h2m3s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) return `${Number(totalSeconds.toFixed(3))}s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(3));
  return hours > 0 ? `${hours}h${minutes}m${seconds}s` : `${minutes}m${seconds}s`;
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; kind: "requests" | "tokens"; message: string; retryAfterMs: number; headers: Record<string, string> };

export class RateLimiter {
  private requests: Bucket | undefined;
  private tokens: Bucket | undefined;

  constructor(
    private readonly rpm: number | undefined,
    private readonly tpm: number | undefined,
  ) {
    this.reset();
  }

  reset(now = Date.now()): void {
    this.requests = this.rpm ? new Bucket(this.rpm, now) : undefined;
    this.tokens = this.tpm ? new Bucket(this.tpm, now) : undefined;
  }

  /** Admits (and charges) one request estimated at `tokens`, or explains the 429. */
  check(model: string, tokens: number, now = Date.now()): RateDecision {
    const { requests, tokens: tokenBucket } = this;
    if (tokenBucket && tokens > tokenBucket.capacity) {
      return this.refuse(
        "tokens",
        `Request too large for ${model} in organization org-emulator on tokens per min (TPM): Limit ${tokenBucket.capacity}, Requested ${tokens}. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        MINUTE_MS,
        tokens,
        now,
      );
    }
    if (requests && requests.available(now) < 1) {
      const wait = requests.msUntil(1, now);
      const used = Math.ceil(requests.capacity - requests.available(now));
      return this.refuse(
        "requests",
        `Rate limit reached for ${model} in organization org-emulator on requests per min (RPM): Limit ${requests.capacity}, Used ${used}, Requested 1. Please try again in ${formatDuration(wait)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        wait,
        tokens,
        now,
      );
    }
    if (tokenBucket && tokenBucket.available(now) < tokens) {
      const wait = tokenBucket.msUntil(tokens, now);
      const used = Math.ceil(tokenBucket.capacity - tokenBucket.available(now));
      return this.refuse(
        "tokens",
        `Rate limit reached for ${model} in organization org-emulator on tokens per min (TPM): Limit ${tokenBucket.capacity}, Used ${used}, Requested ${tokens}. Please try again in ${formatDuration(wait)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        wait,
        tokens,
        now,
      );
    }
    requests?.take(1, now);
    tokenBucket?.take(tokens, now);
    return { ok: true, headers: this.headers(tokens, now) };
  }

  /** Charges tokens learned after admission (completion tokens when max_tokens was unset). */
  charge(tokens: number, now = Date.now()): void {
    if (tokens > 0) this.tokens?.take(tokens, now);
  }

  /** Headers for a 429 produced elsewhere (injected fault): the request bucket reads empty. */
  exhaustedHeaders(retryAfterMs: number): Record<string, string> {
    const limit = this.requests?.capacity ?? DISPLAY_RPM;
    const tokenLimit = this.tokens?.capacity ?? DISPLAY_TPM;
    return {
      "x-ratelimit-limit-requests": String(limit),
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": formatDuration(retryAfterMs),
      "x-ratelimit-limit-tokens": String(tokenLimit),
      "x-ratelimit-remaining-tokens": String(tokenLimit),
      "x-ratelimit-reset-tokens": "0s",
    };
  }

  private refuse(
    kind: "requests" | "tokens",
    message: string,
    retryAfterMs: number,
    tokens: number,
    now: number,
  ): RateDecision {
    return { ok: false, kind, message, retryAfterMs, headers: this.headers(tokens, now, false) };
  }

  private headers(tokens: number, now: number, charged = true): Record<string, string> {
    const { requests, tokens: tokenBucket } = this;
    // Unlimited: advertise a generous tier without tracking, so clients never throttle.
    const requestLimit = requests?.capacity ?? DISPLAY_RPM;
    const requestRemaining = requests ? Math.floor(requests.available(now)) : DISPLAY_RPM - (charged ? 1 : 0);
    const requestReset = requests ? requests.msUntilFull(now) : (MINUTE_MS / DISPLAY_RPM) * (charged ? 1 : 0);
    const tokenLimit = tokenBucket?.capacity ?? DISPLAY_TPM;
    const tokenRemaining = tokenBucket ? Math.floor(tokenBucket.available(now)) : DISPLAY_TPM - (charged ? tokens : 0);
    const tokenReset = tokenBucket ? tokenBucket.msUntilFull(now) : (MINUTE_MS / DISPLAY_TPM) * (charged ? tokens : 0);
    return {
      "x-ratelimit-limit-requests": String(requestLimit),
      "x-ratelimit-remaining-requests": String(requestRemaining),
      "x-ratelimit-reset-requests": formatDuration(requestReset),
      "x-ratelimit-limit-tokens": String(tokenLimit),
      "x-ratelimit-remaining-tokens": String(tokenRemaining),
      "x-ratelimit-reset-tokens": formatDuration(tokenReset),
    };
  }
}
