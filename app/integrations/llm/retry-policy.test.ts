import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { describe, expect, it } from "vitest";

import { backoffMs, classifyFailure, retryAfterFrom } from "~/integrations/llm/retry-policy";

describe("retry policy", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("prefers retry-after-ms, then retry-after seconds or date", () => {
    expect(retryAfterFrom(headers({ "retry-after-ms": "1500.5", "retry-after": "9" }))).toBe(1500.5);
    expect(retryAfterFrom(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterFrom(headers({ "retry-after": new Date(61_000).toUTCString() }), 1_000)).toBe(60_000);
    expect(retryAfterFrom(headers({}))).toBeUndefined();
  });

  it("uses full jitter below an exponential, capped ceiling", () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect(backoffMs(1, { ...options, random: () => 0.999 })).toBeCloseTo(99.9);
    expect(backoffMs(3, { ...options, random: () => 0.5 })).toBe(200);
    expect(backoffMs(10, { ...options, random: () => 1 })).toBe(1_000);
    expect(backoffMs(2, { ...options, random: () => 0 })).toBe(0);
  });

  it("retries 429/408/409/5xx/network/timeouts and never 400/401/403/404/422", () => {
    const failure = (status: number, body: object = {}) =>
      classifyFailure(APIError.generate(status, { error: body }, undefined, headers({})), {
        timedOut: false,
        model: "m",
      });
    for (const status of [429, 408, 409, 500, 502, 503]) {
      expect(failure(status)).toMatchObject({ retryable: true, outage: true });
    }
    for (const status of [400, 401, 403, 404, 422]) {
      const result = failure(status);
      expect(result).toMatchObject({ retryable: false, outage: false, status });
      expect(result.error.retryable).toBe(false);
    }
    expect(failure(401).error.message).toMatch(/OPENAI_API_KEY/);
    expect(failure(429, { code: "insufficient_quota" }).retryable).toBe(false);
    expect(failure(400, { code: "content_policy_violation" }).error.code).toBe("LLM_REFUSED");
    expect(failure(429).error.code).toBe("LLM_RATE_LIMITED");

    const timeout = classifyFailure(new APIConnectionTimeoutError(), { timedOut: false, model: "m" });
    expect(timeout.error.code).toBe("LLM_TIMEOUT");
    const network = classifyFailure(new APIConnectionError({ message: "ECONNREFUSED" }), {
      timedOut: false,
      model: "m",
    });
    expect(network).toMatchObject({ retryable: true, outage: true });
    expect(network.error.code).toBe("LLM_UNAVAILABLE");
  });
});
