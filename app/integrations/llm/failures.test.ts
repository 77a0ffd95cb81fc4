import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { describe, expect, it } from "vitest";

import { classifyFailure, retryAfterFrom } from "~/integrations/llm/failures";

describe("failure classification", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("prefers retry-after-ms, then retry-after seconds or date", () => {
    expect(retryAfterFrom(headers({ "retry-after-ms": "1500.5", "retry-after": "9" }))).toBe(1500.5);
    expect(retryAfterFrom(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterFrom(headers({ "retry-after": new Date(61_000).toUTCString() }), 1_000)).toBe(60_000);
    expect(retryAfterFrom(headers({}))).toBeUndefined();
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
    // An account out of credit is final: not retried, not an outage (the job harness would reschedule it).
    expect(failure(429, { code: "insufficient_quota" })).toMatchObject({ retryable: false, outage: false });
    expect(failure(429, { code: "insufficient_quota" }).error.code).toBe("LLM_QUOTA_EXHAUSTED");
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
