import { describe, expect, it } from "vitest";

import { CircuitBreaker, type CircuitState } from "~/integrations/llm/circuit-breaker";
import { AppError } from "~/lib/errors";

function setup() {
  let now = 1_000;
  const transitions: CircuitState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    openMs: 10_000,
    now: () => now,
    onStateChange: (state) => transitions.push(state),
  });
  return { breaker, transitions, advance: (ms: number) => (now += ms) };
}

function failCalls(breaker: CircuitBreaker, count: number): void {
  for (let i = 0; i < count; i++) breaker.acquire().fail();
}

function refusal(breaker: CircuitBreaker): AppError {
  try {
    breaker.acquire();
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected the breaker to refuse");
}

describe("CircuitBreaker", () => {
  it("opens after 3 consecutive failed calls and refuses with a retryable LLM_CIRCUIT_OPEN", () => {
    const { breaker, transitions } = setup();
    failCalls(breaker, 2);
    expect(breaker.state).toBe("closed");
    failCalls(breaker, 1);
    expect(breaker.state).toBe("open");
    expect(transitions).toEqual(["open"]);

    const error = refusal(breaker);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("LLM_CIRCUIT_OPEN");
    expect(error.retryable).toBe(true);
    expect(error.userMessage).toMatch(/temporarily unavailable/);
    expect(error.details.retryInMs).toBe(10_000);
  });

  it("only counts consecutive failures: a success in between resets the count", () => {
    const { breaker } = setup();
    failCalls(breaker, 2);
    breaker.acquire().succeed();
    failCalls(breaker, 2);
    expect(breaker.state).toBe("closed");
  });

  it("ignores released permits (cancelled calls say nothing about the service)", () => {
    const { breaker } = setup();
    failCalls(breaker, 2);
    breaker.acquire().release();
    failCalls(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("half-opens after the open period, lets exactly one trial through, and closes on its success", () => {
    const { breaker, transitions, advance } = setup();
    failCalls(breaker, 3);
    advance(9_999);
    expect(refusal(breaker).code).toBe("LLM_CIRCUIT_OPEN");
    advance(1);
    expect(breaker.state).toBe("half-open");

    const trial = breaker.acquire();
    expect(trial.trial).toBe(true);
    expect(refusal(breaker).code).toBe("LLM_CIRCUIT_OPEN");
    expect(refusal(breaker).code).toBe("LLM_CIRCUIT_OPEN");

    trial.succeed();
    expect(breaker.state).toBe("closed");
    expect(breaker.acquire().trial).toBe(false);
    expect(transitions).toEqual(["open", "half-open", "closed"]);
  });

  it("re-opens for a full period when the trial fails", () => {
    const { breaker, transitions, advance } = setup();
    failCalls(breaker, 3);
    advance(10_000);
    breaker.acquire().fail();
    expect(breaker.state).toBe("open");
    advance(9_999);
    expect(refusal(breaker).code).toBe("LLM_CIRCUIT_OPEN");
    advance(1);
    expect(breaker.acquire().trial).toBe(true);
    expect(transitions).toEqual(["open", "half-open", "open", "half-open"]);
  });

  it("frees the trial slot when the trial is released without an outcome", () => {
    const { breaker, advance } = setup();
    failCalls(breaker, 3);
    advance(10_000);
    breaker.acquire().release();
    expect(breaker.acquire().trial).toBe(true);
  });

  it("ignores late outcomes of calls that started before the circuit opened", () => {
    const { breaker, advance } = setup();
    const early = breaker.acquire();
    failCalls(breaker, 3);
    early.succeed();
    expect(breaker.state).toBe("open");
    advance(10_000);
    const trial = breaker.acquire();
    const lateFailure = early;
    lateFailure.fail(); // already settled: no effect
    trial.succeed();
    expect(breaker.state).toBe("closed");
  });
});
