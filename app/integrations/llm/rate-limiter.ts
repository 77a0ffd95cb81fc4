export interface RequestLimiterOptions {
  /** Requests allowed in flight at once. */
  maxConcurrency: number;
  /** Sustained request rate (token bucket refill). */
  requestsPerMinute: number;
  /**
   * Bucket size: how many requests may start back to back after a quiet spell. Default: one
   * second's worth, because providers enforce RPM over sub-minute windows and a full minute's
   * burst would draw 429s.
   */
  burst?: number;
  now?: () => number;
}

/** Hands back the slot taken by `acquire`; calling it twice is harmless. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
  reject: (reason: unknown) => void;
  detach?: () => void;
}

/**
 * Caps in-flight requests and paces request starts with a token bucket, granting waiters in
 * FIFO order. State lives in this process only: with several web and worker processes the
 * provider sees up to (processes × limits), so size LLM_MAX_CONCURRENCY and
 * LLM_REQUESTS_PER_MINUTE per process.
 */
export class RequestLimiter {
  private inFlight = 0;
  private tokens: number;
  private refilledAt: number;
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxConcurrency: number;
  private readonly capacity: number;
  private readonly tokensPerMs: number;
  private readonly now: () => number;

  constructor(options: RequestLimiterOptions) {
    if (options.maxConcurrency < 1 || options.requestsPerMinute <= 0) {
      throw new RangeError("maxConcurrency must be >= 1 and requestsPerMinute > 0");
    }
    this.maxConcurrency = options.maxConcurrency;
    this.capacity = Math.max(1, options.burst ?? Math.ceil(options.requestsPerMinute / 60));
    this.tokensPerMs = options.requestsPerMinute / 60_000;
    this.now = options.now ?? Date.now;
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  get stats(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queue.length };
  }

  /** Waits for a slot and a token; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, reject };
      if (signal) {
        const onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal.reason);
          this.pump();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        waiter.detach = () => signal.removeEventListener("abort", onAbort);
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrency) {
      this.refill();
      if (this.tokens < 1) {
        this.wakeWhenTokenArrives();
        return;
      }
      const waiter = this.queue.shift()!;
      waiter.detach?.();
      this.tokens -= 1;
      this.inFlight++;
      waiter.grant(this.releaser());
    }
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.pump();
    };
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerMs);
    this.refilledAt = now;
  }

  private wakeWhenTokenArrives(): void {
    if (this.timer) return;
    const waitMs = Math.max(1, Math.ceil((1 - this.tokens) / this.tokensPerMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, waitMs);
  }
}
