// rpm/tpm limiting with OpenAI's token-bucket semantics, as seen through the SDK.
import OpenAI, { RateLimitError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ask = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Where is my parcel?" }] };

describe("rate limits", () => {
  it("rpm: N requests pass with decreasing remaining headers, then 429 with retry-after", async () => {
    emu = await startLlmEmulator({ rpm: 3 });
    const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { response } = await client.chat.completions.create(ask).withResponse();
      expect(response.headers.get("x-ratelimit-limit-requests")).toBe("3");
      remaining.push(response.headers.get("x-ratelimit-remaining-requests")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const error = (await client.chat.completions.create(ask).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.type).toBe("requests");
    expect(error.message).toMatch(
      /on requests per min \(RPM\): Limit 3, Used 3, Requested 1\. Please try again in \d+(\.\d+)?s\./,
    );
    // One request refills every 20s at 3 RPM.
    expect(Number(error.headers.get("retry-after"))).toBeGreaterThanOrEqual(19);
    expect(Number(error.headers.get("retry-after-ms"))).toBeGreaterThan(19_000);
    expect(error.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(error.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+(\.\d+)?s$/);
    expect(emu.stats()).toMatchObject({ rateLimited: 1, byStatus: { 200: 3, 429: 1 } });
  });

  it("rpm: the bucket refills continuously and the SDK's retry gets through", async () => {
    emu = await startLlmEmulator({ rpm: 300 }); // one request every 200ms
    const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
    const burst = await Promise.allSettled(Array.from({ length: 320 }, () => client.chat.completions.create(ask)));
    const limited = burst.filter((r) => r.status === "rejected");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => (r as PromiseRejectedResult).reason instanceof RateLimitError)).toBe(true);

    const retrying = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 3 });
    const started = performance.now();
    await expect(retrying.chat.completions.create(ask)).resolves.toHaveProperty("choices");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("tpm: requests are charged prompt + max_tokens; too-large requests are refused outright", async () => {
    emu = await startLlmEmulator({ tpm: 1_000 });
    const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
    const { response } = await client.chat.completions.create({ ...ask, max_tokens: 400 }).withResponse();
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("1000");
    expect(Number(response.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(600);
    await client.chat.completions.create({ ...ask, max_tokens: 400 });
    const error = (await client.chat.completions
      .create({ ...ask, max_tokens: 400 })
      .catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.type).toBe("tokens");
    expect(error.message).toMatch(/on tokens per min \(TPM\): Limit 1000, Used \d+, Requested \d+/);

    const huge = (await client.chat.completions
      .create({ ...ask, max_tokens: 5_000 })
      .catch((e: unknown) => e)) as RateLimitError;
    expect(huge).toBeInstanceOf(RateLimitError);
    expect(huge.message).toMatch(/Request too large for gpt-4o-mini/);
    expect(huge.error).toMatchObject({ type: "tokens", code: "rate_limit_exceeded" });
  });

  it("unlimited by default, still sending x-ratelimit headers", async () => {
    emu = await startLlmEmulator();
    const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => client.chat.completions.create(ask).withResponse()),
    );
    const last = results.at(-1)!.response.headers;
    expect(Number(last.get("x-ratelimit-remaining-requests"))).toBeGreaterThan(0);
    expect(last.get("x-ratelimit-reset-tokens")).toMatch(/ms$|s$/);
    expect(emu.stats().byStatus).toEqual({ 200: 200 });
  });

  it("completionLatencyMs: an admitted completion takes a random time in the range; a 429 answers at once", async () => {
    emu = await startLlmEmulator({ rpm: 2, completionLatencyMs: { min: 300, max: 600 } });
    const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
    const timed = async () => {
      const started = performance.now();
      const outcome = await client.chat.completions.create(ask).catch((e: unknown) => e);
      return { ms: performance.now() - started, outcome };
    };
    const [first, second] = await Promise.all([timed(), timed()]);
    for (const { ms, outcome } of [first!, second!]) {
      expect(outcome).toHaveProperty("choices");
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThan(1_500);
    }
    const refused = await timed();
    expect(refused.outcome).toBeInstanceOf(RateLimitError);
    expect((refused.outcome as RateLimitError).code).toBe("rate_limit_exceeded");
    expect((refused.outcome as RateLimitError).headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(refused.ms).toBeLessThan(250);
    const stats = emu.stats();
    expect(stats).toMatchObject({ chatCompletions: 2, rateLimited: 1, rateLimitedRequests: 1, rateLimitedTokens: 0 });
    expect(stats.completionLatencyMsTotal).toBeGreaterThanOrEqual(600);
    expect(stats.completionLatencyMsTotal).toBeLessThanOrEqual(1_200);
  });
});
