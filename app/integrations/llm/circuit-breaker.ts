import { AppError } from "~/lib/errors";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. Default 3. */
  failureThreshold?: number;
  /** How long the circuit stays open before letting one trial call through. Default 10 s. */
  openMs?: number;
  now?: () => number;
  /** Told about every transition (the client updates the gauge and logs it). */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/** A caller's ticket through the breaker; exactly one of its methods should be called, once. */
export interface BreakerPermit {
  /** This call is the half-open probe: its outcome alone decides whether the circuit closes. */
  readonly trial: boolean;
  /** The service answered (even with a 4xx or unusable output). */
  succeed(): void;
  /** The service is unhealthy: timeouts, 5xx, connection failures, rate limits after all retries. */
  fail(): void;
  /** The call ended without telling us anything about the service (e.g. the caller cancelled). */
  release(): void;
}

/** AppError LLM_CIRCUIT_OPEN: retryable, raised without touching the network. */
export function circuitOpenError(retryInMs: number, cause?: unknown): AppError {
  return new AppError(
    "LLM_CIRCUIT_OPEN",
    `LLM circuit breaker is open; retry in ${Math.max(0, Math.ceil(retryInMs))} ms`,
    {
      retryable: true,
      cause,
      details: { retryInMs: Math.max(0, Math.ceil(retryInMs)) },
      userMessage: "The AI service is temporarily unavailable. Please try again in a few seconds.",
    },
  );
}

/**
 * Closed → (N consecutive failed calls) → open for `openMs` → half-open: one trial call goes
 * through while every other call is still refused; its success closes the circuit, its failure
 * re-opens it for another `openMs`. In-process only: each web or worker process trips on its own.
 */
export class CircuitBreaker {
  private current: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly onStateChange?: CircuitBreakerOptions["onStateChange"];

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 3;
    this.openMs = options.openMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
  }

  /** The state as of now (an expired open period reads as half-open). */
  get state(): CircuitState {
    if (this.current === "open" && this.now() - this.openedAt >= this.openMs) return "half-open";
    return this.current;
  }

  /** Milliseconds until an open circuit lets a trial through (0 unless open). */
  get retryInMs(): number {
    return this.current === "open" ? Math.max(0, this.openedAt + this.openMs - this.now()) : 0;
  }

  /** Lets a call through or throws LLM_CIRCUIT_OPEN. */
  acquire(): BreakerPermit {
    if (this.current === "open") {
      const remaining = this.openedAt + this.openMs - this.now();
      if (remaining > 0) throw circuitOpenError(remaining);
      this.transition("half-open");
    }
    if (this.current === "half-open") {
      // Everyone but the probe keeps failing fast until the probe has answered.
      if (this.trialInFlight) throw circuitOpenError(0);
      this.trialInFlight = true;
      return this.permit(true);
    }
    return this.permit(false);
  }

  private permit(trial: boolean): BreakerPermit {
    let settled = false;
    const once = (fn: () => void) => () => {
      if (settled) return;
      settled = true;
      fn();
    };
    return {
      trial,
      succeed: once(() => this.onSuccess(trial)),
      fail: once(() => this.onFailure(trial)),
      release: once(() => {
        if (trial) this.trialInFlight = false;
      }),
    };
  }

  private onSuccess(trial: boolean): void {
    if (trial) {
      this.trialInFlight = false;
      this.failures = 0;
      this.transition("closed");
      return;
    }
    // A call that started before the circuit opened says nothing about the service now.
    if (this.current === "closed") this.failures = 0;
  }

  private onFailure(trial: boolean): void {
    if (trial) {
      this.trialInFlight = false;
      this.open();
      return;
    }
    if (this.current !== "closed") return;
    if (++this.failures >= this.threshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.transition("open");
  }

  private transition(next: CircuitState): void {
    const previous = this.current;
    this.current = next;
    if (previous !== next) this.onStateChange?.(next, previous);
  }
}
