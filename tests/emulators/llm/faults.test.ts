// Fault injection (programmatic and over HTTP) as seen by the real SDK: 429 with
// retry headers and working SDK retries, 500/503, outages, timeouts, latency, invalid JSON.
import OpenAI, { APIConnectionTimeoutError, InternalServerError, RateLimitError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmEmulatorControl } from "./control-client";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator;
let control: LlmEmulatorControl;

const ask = {
  model: "gpt-4o-mini",
  messages: [{ role: "user" as const, content: "Is the linen dress machine washable?" }],
};

function sdk(options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  return new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0, ...options });
}

beforeAll(async () => {
  emu = await startLlmEmulator();
  control = new LlmEmulatorControl(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("fault injection", () => {
  it("429: OpenAI body, retry-after(-ms) and x-ratelimit headers", async () => {
    emu.setFaults({ status429: 1, retryAfterSeconds: 2 });
    const error = await sdk()
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.code).toBe("rate_limit_exceeded");
    expect(rateLimit.type).toBe("requests");
    expect(rateLimit.message).toMatch(
      /Rate limit reached for gpt-4o-mini .* on requests per min \(RPM\).*Please try again in 2s/,
    );
    expect(rateLimit.headers.get("retry-after")).toBe("2");
    expect(rateLimit.headers.get("retry-after-ms")).toBe("2000");
    expect(rateLimit.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    for (const name of ["limit-requests", "reset-requests", "limit-tokens", "remaining-tokens", "reset-tokens"]) {
      expect(rateLimit.headers.get(`x-ratelimit-${name}`)).toBeTruthy();
    }
    // Counter consumed: the next call succeeds.
    await expect(sdk().chat.completions.create(ask)).resolves.toHaveProperty("choices");
  });

  it("the SDK retries 429s after retry-after and succeeds once the fault clears", async () => {
    emu.setFaults({ status429: 2, retryAfterSeconds: 0.25 });
    const started = performance.now();
    const completion = await sdk({ maxRetries: 2 }).chat.completions.create(ask);
    const elapsed = performance.now() - started;
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect(elapsed).toBeGreaterThanOrEqual(2 * 250 - 20); // two waits of retry-after-ms
    expect(elapsed).toBeLessThan(3000);
    expect(emu.stats().byStatus).toEqual({ 200: 1, 429: 2 });
  });

  it("500 and 503: server_error bodies, retried by the SDK", async () => {
    emu.setFaults({ status500: 1 });
    const error = await sdk()
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(500);
    expect((error as InternalServerError).message).toContain("The server had an error while processing your request");
    expect((error as InternalServerError).type).toBe("server_error");

    emu.setFaults({ status503: 1 });
    const unavailable = await sdk()
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect((unavailable as InternalServerError).status).toBe(503);

    emu.setFaults({ status500: 1, status503: 1 });
    const retried = await sdk({ maxRetries: 2 }).chat.completions.create(ask);
    expect(retried.choices).toHaveLength(1);
    expect(emu.stats().byStatus).toMatchObject({ 500: 2, 503: 2, 200: 1 });
    expect(emu.stats().faultsInjected).toBe(4);
  });

  it("down: every request 503s until cleared", async () => {
    emu.setFaults({ down: true });
    for (let i = 0; i < 3; i++) {
      await expect(sdk().embeddings.create({ model: "text-embedding-3-small", input: "x" })).rejects.toMatchObject({
        status: 503,
      });
    }
    emu.setFaults({ down: false });
    await expect(sdk().chat.completions.create(ask)).resolves.toHaveProperty("choices");
  });

  it("timeout: the request hangs until the SDK's timeout fires; a retry then succeeds", async () => {
    emu.setFaults({ timeout: 1 });
    const started = performance.now();
    const error = await sdk({ timeout: 500 })
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(480);
    expect(emu.stats().timedOut).toBe(1);
    // The abandoned request is cleaned up once the server sees the client go.
    await expect.poll(() => emu.stats().inFlight).toBe(0);

    emu.setFaults({ timeout: 1 });
    const completion = await sdk({ timeout: 300, maxRetries: 1 }).chat.completions.create(ask);
    expect(completion.choices).toHaveLength(1);
  });

  it("latencyMs delays every response until cleared", async () => {
    emu.setFaults({ latencyMs: 150 });
    let started = performance.now();
    await sdk().chat.completions.create(ask);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    emu.clearFaults();
    started = performance.now();
    await sdk().chat.completions.create(ask);
    expect(performance.now() - started).toBeLessThan(140);
  });

  it("baseLatencyMs applies to every request", async () => {
    const slow = await startLlmEmulator({ baseLatencyMs: 120 });
    try {
      const started = performance.now();
      await new OpenAI({ baseURL: slow.url, apiKey: "t", maxRetries: 0 }).models.list();
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });

  it("invalidJson: the next N structured replies fail their schema", async () => {
    const Schema = z.object({ title: z.string().max(70), bullets: z.array(z.string()).min(2) });
    const request = { ...ask, response_format: zodResponseFormat(Schema, "copy") };
    emu.setFaults({ invalidJson: 1 });
    await expect(sdk().chat.completions.parse(request)).rejects.toThrow();
    const next = await sdk().chat.completions.parse(request);
    expect(Schema.parse(next.choices[0]!.message.parsed)).toBeTruthy();
    // Plain-text requests do not consume the counter.
    emu.setFaults({ invalidJson: 1 });
    await sdk().chat.completions.create(ask);
    expect(emu.faults().invalidJson).toBe(1);
  });
});

describe("control API over HTTP", () => {
  it("sets, reads and clears faults; reports stats; resets", async () => {
    expect(await control.healthy()).toBe(true);
    const armed = await control.setFaults({ status500: 2, latencyMs: 5 });
    expect(armed).toMatchObject({ status500: 2, latencyMs: 5, down: false });
    expect(await control.faults()).toEqual(armed);
    await expect(sdk().chat.completions.create(ask)).rejects.toBeInstanceOf(InternalServerError);
    expect((await control.faults()).status500).toBe(1);
    await control.clearFaults();
    await sdk()
      .chat.completions.create({ ...ask, stream: true })
      .then(async (s) => {
        for await (const _ of s);
      });
    await sdk().embeddings.create({ model: "text-embedding-3-small", input: "x" });
    const stats = await control.stats();
    expect(stats).toMatchObject({
      requests: 3,
      byStatus: { 200: 2, 500: 1 },
      chatCompletions: 1,
      embeddings: 1,
      streamed: 1,
      faultsInjected: 1,
    });
    expect(stats.promptTokens).toBeGreaterThan(0);
    expect(stats.completionTokens).toBeGreaterThan(0);
    await control.reset();
    expect((await control.stats()).requests).toBe(0);
  });

  it("keeps inFlight right when reset() happens while a request is open", async () => {
    emu.setFaults({ timeout: 1 });
    const pending = sdk({ timeout: 300 })
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    await expect.poll(() => emu.stats().inFlight).toBe(1);
    emu.reset();
    expect(emu.stats()).toMatchObject({ requests: 0, inFlight: 1 });
    expect(await pending).toBeInstanceOf(APIConnectionTimeoutError);
    await expect.poll(() => emu.stats().inFlight).toBe(0);
  });

  it("rejects malformed fault settings with 400", async () => {
    const response = await fetch(`${control.origin}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status429: -1 }),
    });
    expect(response.status).toBe(400);
    await expect(control.setFaults({ nope: 1 } as never)).rejects.toThrow(/400/);
  });
});

describe("mid-stream faults", () => {
  const streamAsk = { ...ask, stream: true as const };

  it("streamStall: a few chunks arrive, then silence until the client gives up", async () => {
    emu.setFaults({ streamStall: 1 });
    const controller = new AbortController();
    const started = performance.now();
    const stream = await sdk().chat.completions.create(streamAsk, { signal: controller.signal });
    let chunks = 0;
    let finished = false;
    let lastChunkAt = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - lastChunkAt > 300) controller.abort(); // the app's "silence between chunks" guard
    }, 20);
    try {
      // The SDK ends iteration quietly when its request is aborted.
      for await (const chunk of stream) {
        lastChunkAt = performance.now();
        chunks++;
        if (chunk.choices[0]?.finish_reason) finished = true;
      }
    } catch {
      // some SDK versions surface the abort instead; either way the stream is cut short
    } finally {
      clearInterval(watchdog);
    }
    expect(chunks).toBe(3);
    expect(finished).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(emu.stats().timedOut).toBe(1);
    // Counter consumed: the next stream completes.
    const next = await sdk().chat.completions.create(streamAsk);
    let nextChunks = 0;
    for await (const _ of next) nextChunks++;
    expect(nextChunks).toBeGreaterThan(3);
  });

  it("streamDrop: the connection is cut mid-stream", async () => {
    emu.setFaults({ streamDrop: 1 });
    const stream = await sdk().chat.completions.create(streamAsk);
    let chunks = 0;
    const error = await (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(chunks).toBeLessThanOrEqual(3);
  });
});
