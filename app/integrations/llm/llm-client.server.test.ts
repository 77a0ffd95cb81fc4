// Drives the real client over HTTP against the LLM emulator (tests/emulators/llm).
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { LlmClient, type LlmClientOptions } from "~/integrations/llm/llm-client.server";
import { memoryUsageSink } from "~/integrations/llm/usage.server";
import { AppError, isOutage } from "~/lib/errors";
import { llmCircuitOpen } from "~/lib/metrics.server";

import { startLlmEmulator, type LlmEmulator } from "../../../tests/emulators/llm/server";

const SHOP = "alpha.myshopify.com";
const MODELS = {
  content: "gpt-4o-mini",
  translation: "gpt-4o-mini",
  support: "gpt-4o",
  insights: "gpt-4.1-mini",
  embedding: "text-embedding-3-small",
} as const;

const SeoCopy = z.object({
  title: z.string().min(5).max(60),
  metaDescription: z.string().min(50).max(155),
  tags: z.array(z.string().max(24)).min(3).max(5),
  tone: z.enum(["friendly", "formal"]),
  note: z.string().max(40).nullable(),
});

const PROMPT = {
  system: "You write SEO copy for an online store. Reply in English.",
  user: "Write SEO copy for: Organic cotton crew-neck t-shirt, breathable, navy blue, made in Portugal",
};

let emulator: LlmEmulator;

beforeAll(async () => {
  emulator = await startLlmEmulator({ port: 0 });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
});

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function makeClient(overrides: Partial<LlmClientOptions> = {}) {
  const usage = memoryUsageSink();
  const logs: LogLine[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const client = new LlmClient({
    apiKey: "test-key",
    baseURL: emulator.url,
    models: MODELS,
    usage,
    logger,
    timeoutMs: 5_000,
    backoff: { baseMs: 20, maxMs: 100 },
    limiter: { maxConcurrency: 8, requestsPerMinute: 60_000 },
    breaker: { failureThreshold: 3, openMs: 300 },
    ...overrides,
  });
  return { client, usage, logs };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to fail");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("generateStructured", () => {
  it("returns data validated against the zod schema (length limits included)", async () => {
    const { client, usage } = makeClient();
    const result = await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });

    expect(SeoCopy.parse(result.data)).toEqual(result.data);
    expect(result.data.title.length).toBeLessThanOrEqual(60);
    expect(result.data.metaDescription.length).toBeGreaterThanOrEqual(50);
    expect(result.data.metaDescription.length).toBeLessThanOrEqual(155);
    expect(result.model).toBe("gpt-4o-mini");
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(usage.records).toEqual([{ shopDomain: SHOP, task: "content", model: "gpt-4o-mini", ...result.usage }]);
    expect(emulator.stats().requests).toBe(1);
  });

  it("re-asks once when the reply fails the schema, and returns the second reply", async () => {
    const { client, usage } = makeClient();
    emulator.setFaults({ invalidJson: 1 });
    const result = await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });

    expect(SeoCopy.safeParse(result.data).success).toBe(true);
    expect(emulator.stats().chatCompletions).toBe(2);
    // Both replies were billed: both are recorded, and the result reports their sum.
    expect(usage.records).toHaveLength(2);
    expect(result.usage.promptTokens).toBe(usage.records[0]!.promptTokens + usage.records[1]!.promptTokens);
    expect(result.usage.promptTokens).toBe(emulator.stats().promptTokens);
  });

  it("fails with LLM_INVALID_OUTPUT after one re-ask, with the zod issues, and the breaker stays closed", async () => {
    const { client } = makeClient();
    emulator.setFaults({ invalidJson: 100 });
    for (let call = 0; call < 4; call++) {
      const error = await failure(
        client.generateStructured({ shop: SHOP, task: "content", schema: SeoCopy, schemaName: "seo_copy", ...PROMPT }),
      );
      expect(error.code).toBe("LLM_INVALID_OUTPUT");
      expect(error.retryable).toBe(false);
      expect(error.details).toMatchObject({ reason: "schema", asks: 2, schemaName: "seo_copy" });
      expect((error.details.issues as unknown[]).length).toBeGreaterThan(0);
    }
    expect(emulator.stats().chatCompletions).toBe(8);
    expect(client.circuitState).toBe("closed");

    emulator.clearFaults();
    const ok = await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });
    expect(ok.data.tags.length).toBeGreaterThanOrEqual(3);
  });

  it("does not re-ask when re-asking is turned off", async () => {
    const { client } = makeClient({ reaskOnInvalidOutput: false });
    emulator.setFaults({ invalidJson: 1 });
    const error = await failure(
      client.generateStructured({ shop: SHOP, task: "content", schema: SeoCopy, schemaName: "seo_copy", ...PROMPT }),
    );
    expect(error.details).toMatchObject({ asks: 1 });
    expect(emulator.stats().requests).toBe(1);
  });

  it("treats a reply that is not JSON as LLM_INVALID_OUTPUT", async () => {
    const { client } = makeClient();
    const error = await failure(
      client.generateStructured({
        shop: SHOP,
        task: "content",
        schema: SeoCopy,
        schemaName: "seo_copy",
        system: PROMPT.system,
        user: `${PROMPT.user} [[emulator:malformed-json]]`,
      }),
    );
    expect(error.code).toBe("LLM_INVALID_OUTPUT");
    expect(error.details.reason).toBe("not_json");
  });

  it("turns a refusal into LLM_REFUSED without re-asking", async () => {
    const { client } = makeClient();
    const error = await failure(
      client.generateStructured({
        shop: SHOP,
        task: "content",
        schema: SeoCopy,
        schemaName: "seo_copy",
        user: "Write something you should not [[emulator:refusal]]",
      }),
    );
    expect(error.code).toBe("LLM_REFUSED");
    expect(error.retryable).toBe(false);
    expect(emulator.stats().requests).toBe(1);
  });
});

describe("retries", () => {
  it("retries a 429 after the server's retry-after, then succeeds", async () => {
    const { client } = makeClient();
    emulator.setFaults({ status429: 1, retryAfterSeconds: 1 });
    const started = performance.now();
    const result = await client.complete({
      shop: SHOP,
      task: "support",
      messages: [{ role: "user", content: "Where is my order?" }],
    });
    const elapsed = performance.now() - started;

    expect(result.text.length).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 429: 1 });
  });

  it("fails fast with a retryable LLM_RATE_LIMITED when retry-after exceeds the call's wait budget", async () => {
    const { client } = makeClient({ maxRetryWaitMs: 500 });
    emulator.setFaults({ status429: 1, retryAfterSeconds: 5 });
    const started = performance.now();
    const error = await failure(client.complete({ shop: SHOP, task: "support", user: "hello" }));

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe("LLM_RATE_LIMITED");
    expect(error.retryable).toBe(true);
    expect(error.details.retryAfterMs).toBe(5_000);
    expect(emulator.stats().requests).toBe(1);
  });

  it("retries 500 and 503 with backoff, then succeeds", async () => {
    const { client } = makeClient();
    emulator.setFaults({ status500: 2, status503: 1 });
    const result = await client.complete({ shop: SHOP, task: "insights", user: "Summarise last week's sales" });

    expect(result.model).toBe("gpt-4.1-mini");
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 500: 2, 503: 1 });
  });

  it("gives up after maxAttempts with a retryable LLM_UNAVAILABLE", async () => {
    const { client, logs } = makeClient({ maxAttempts: 3 });
    emulator.setFaults({ status500: 10 });
    const error = await failure(
      client.complete({ shop: SHOP, task: "content", user: "secret customer note: Jane Roe" }),
    );

    expect(error.code).toBe("LLM_UNAVAILABLE");
    expect(error.retryable).toBe(true);
    expect(emulator.stats().requests).toBe(3);

    // One structured line per failed attempt, with shop/task/attempt/status, and never the prompt.
    const failures = logs.filter((line) => line.msg === "llm request failed");
    expect(failures.map((line) => [line.shop, line.task, line.attempt, line.status, line.willRetry])).toEqual([
      [SHOP, "content", 1, 500, true],
      [SHOP, "content", 2, 500, true],
      [SHOP, "content", 3, 500, false],
    ]);
    expect(JSON.stringify(logs)).not.toContain("Jane Roe");
  });

  it("does not retry a 400 and fails with a non-retryable error", async () => {
    const { client } = makeClient();
    // temperature must be within [0, 2]: the emulator answers 400 like OpenAI does.
    const error = await failure(client.complete({ shop: SHOP, task: "support", user: "hello", temperature: 3 }));

    expect(error.retryable).toBe(false);
    expect(error.details.status).toBe(400);
    expect(error.message).toMatch(/HTTP 400/);
    expect(emulator.stats().requests).toBe(1);
  });

  it("does not retry a 401 and says which setting to check", async () => {
    const guarded = await startLlmEmulator({ port: 0, apiKey: "the-right-key" });
    try {
      const { client } = makeClient({ baseURL: guarded.url, apiKey: "the-wrong-key" });
      const error = await failure(client.complete({ shop: SHOP, task: "support", user: "hello" }));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/OPENAI_API_KEY/);
      expect(guarded.stats().requests).toBe(1);
    } finally {
      await guarded.close();
    }
  });

  it("times out each attempt and fails with a retryable LLM_TIMEOUT after the retries", async () => {
    const { client } = makeClient({ maxAttempts: 3 });
    emulator.setFaults({ timeout: 10 });
    const started = performance.now();
    const error = await failure(client.complete({ shop: SHOP, task: "support", user: "hello", timeoutMs: 150 }));

    expect(error.code).toBe("LLM_TIMEOUT");
    expect(error.retryable).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 150);
    expect(emulator.stats().timedOut).toBe(3);
  });
});

describe("cancellation", () => {
  it("rejects with the caller's reason when the signal aborts during retries, without touching the breaker", async () => {
    const { client } = makeClient({ maxAttempts: 4, backoff: { baseMs: 5_000, maxMs: 5_000 }, random: () => 1 });
    emulator.setFaults({ status500: 10 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("browser went away")), 100);
    const started = performance.now();
    await expect(
      client.complete({ shop: SHOP, task: "support", user: "hello", signal: controller.signal }),
    ).rejects.toThrow("browser went away");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(emulator.stats().requests).toBe(1);
    expect(client.circuitState).toBe("closed");
  });
});

describe("circuit breaker", () => {
  it("opens after 3 failed calls, fails fast without network, half-opens and closes on success", async () => {
    const { client } = makeClient({ maxAttempts: 2 });
    emulator.setFaults({ down: true });
    for (let call = 0; call < 3; call++) {
      expect((await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }))).code).toBe(
        "LLM_UNAVAILABLE",
      );
    }
    expect(emulator.stats().requests).toBe(6);
    expect(client.circuitState).toBe("open");
    expect((await llmCircuitOpen.get()).values[0]?.value).toBe(1);

    const open = await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }));
    expect(open.code).toBe("LLM_CIRCUIT_OPEN");
    expect(open.retryable).toBe(true);
    expect(open.userMessage).toMatch(/temporarily unavailable/);
    expect(emulator.stats().requests).toBe(6);

    emulator.setFaults({ down: false, latencyMs: 150 });
    await sleep(320);
    expect(client.circuitState).toBe("half-open");
    // The trial is still in flight (150 ms latency) when the second call arrives: cockatiel's
    // half-open state lets only the trial reach the service, and the second call waits for its
    // outcome instead of adding load to a service that may still be down.
    const order: string[] = [];
    const trial = client.complete({ shop: SHOP, task: "support", user: "hi" }).then((result) => {
      order.push(`trial sent with ${emulator.stats().requests} requests`);
      return result;
    });
    const second = client.complete({ shop: SHOP, task: "support", user: "hi" }).then(() => order.push("second"));
    await expect(trial).resolves.toMatchObject({ model: "gpt-4o" });
    await second;
    expect(order).toEqual(["trial sent with 7 requests", "second"]);
    expect(emulator.stats().requests).toBe(8);
    expect(client.circuitState).toBe("closed");
    expect((await llmCircuitOpen.get()).values[0]?.value).toBe(0);

    await expect(client.complete({ shop: SHOP, task: "support", user: "hi" })).resolves.toBeDefined();
  });

  it("re-opens when the half-open trial fails, after a single attempt", async () => {
    const { client } = makeClient({ maxAttempts: 1 });
    emulator.setFaults({ status503: 3 });
    for (let call = 0; call < 3; call++) await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }));
    expect(client.circuitState).toBe("open");

    emulator.setFaults({ down: true });
    await sleep(320);
    const trial = await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }));
    expect(trial.code).toBe("LLM_UNAVAILABLE");
    expect(emulator.stats().requests).toBe(4);
    expect(client.circuitState).toBe("open");
    expect((await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }))).code).toBe("LLM_CIRCUIT_OPEN");
    expect(emulator.stats().requests).toBe(4);
  });

  it("does not count client errors (400) as failures", async () => {
    const { client } = makeClient();
    for (let call = 0; call < 4; call++)
      await failure(client.complete({ shop: SHOP, task: "support", user: "hi", temperature: 9 }));
    expect(client.circuitState).toBe("closed");
  });
});

describe("limiter", () => {
  it("never has more than maxConcurrency requests in flight", async () => {
    const { client } = makeClient({ limiter: { maxConcurrency: 3, requestsPerMinute: 60_000 } });
    emulator.setFaults({ latencyMs: 100 });
    let maxServer = 0;
    let maxClient = 0;
    const probe = setInterval(() => {
      maxServer = Math.max(maxServer, emulator.stats().inFlight);
      maxClient = Math.max(maxClient, client.limiterStats.inFlight);
    }, 2);
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          client.complete({ shop: SHOP, task: "support", user: `question ${index}` }),
        ),
      );
    } finally {
      clearInterval(probe);
    }
    expect(maxServer).toBeLessThanOrEqual(3);
    expect(maxServer).toBeGreaterThanOrEqual(2);
    expect(maxClient).toBe(3);
    // 12 requests, 3 at a time, 100 ms each.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 100);
    expect(client.limiterStats).toEqual({ inFlight: 0, queued: 0 });
  });

  it("paces requests to requestsPerMinute", async () => {
    const { client } = makeClient({ limiter: { maxConcurrency: 10, requestsPerMinute: 600, burst: 1 } });
    const started = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => client.complete({ shop: SHOP, task: "support", user: "hi" })));
    // One immediately, then one every 100 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("usage", () => {
  it("records every billed request against its shop, task and model", async () => {
    const { client, usage } = makeClient();
    await client.complete({ shop: "alpha.myshopify.com", task: "support", user: "hello" });
    await client.complete({
      shop: "beta.myshopify.com",
      task: "translation",
      user: "Translate to French: summer dress",
    });
    await client.generateStructured({
      shop: "beta.myshopify.com",
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });

    expect(usage.records.map((record) => [record.shopDomain, record.task, record.model])).toEqual([
      ["alpha.myshopify.com", "support", "gpt-4o"],
      ["beta.myshopify.com", "translation", "gpt-4o-mini"],
      ["beta.myshopify.com", "content", "gpt-4o-mini"],
    ]);
    const stats = emulator.stats();
    expect(usage.records.reduce((sum, record) => sum + record.promptTokens, 0)).toBe(stats.promptTokens);
    expect(usage.records.reduce((sum, record) => sum + record.completionTokens, 0)).toBe(stats.completionTokens);
  });

  it("does not fail a good answer when the usage sink fails", async () => {
    const { client, logs } = makeClient({ usage: { record: () => Promise.reject(new Error("db down")) } });
    await expect(client.complete({ shop: SHOP, task: "support", user: "hello" })).resolves.toBeDefined();
    expect(logs.some((line) => line.msg === "could not record llm usage")).toBe(true);
  });
});

describe("stream", () => {
  it("yields text deltas and ends with the usage, which is recorded", async () => {
    const { client, usage } = makeClient();
    const stream = await client.stream({
      shop: SHOP,
      task: "support",
      messages: [
        { role: "system", content: "You are the store's support assistant." },
        { role: "user", content: "Do you ship the linen summer dress to Canada?" },
      ],
    });
    const deltas: string[] = [];
    for await (const delta of stream) deltas.push(delta);
    const result = await stream.result();

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(usage.records).toEqual([{ shopDomain: SHOP, task: "support", model: "gpt-4o", ...result.usage }]);
    expect(emulator.stats().streamed).toBe(1);
    expect(client.limiterStats.inFlight).toBe(0);
  });

  it("retries before the first chunk", async () => {
    const { client } = makeClient();
    emulator.setFaults({ status503: 1 });
    const { text } = await (await client.stream({ shop: SHOP, task: "support", user: "hello" })).readAll();
    expect(text.length).toBeGreaterThan(0);
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 503: 1 });
  });

  it("frees the slot when the reader stops early or never reads", async () => {
    const slow = await startLlmEmulator({ port: 0, tokensPerSecond: 200 });
    try {
      const slowClient = makeClient({
        baseURL: slow.url,
        limiter: { maxConcurrency: 1, requestsPerMinute: 60_000 },
      }).client;
      const stream = await slowClient.stream({ shop: SHOP, task: "support", user: "Tell me about the linen dress" });
      for await (const _delta of stream) break;
      await expect(stream.result()).rejects.toThrow(/not read to the end/);
      expect(slowClient.limiterStats.inFlight).toBe(0);

      const unread = await slowClient.stream({ shop: SHOP, task: "support", user: "hi" });
      unread.cancel();
      expect(slowClient.limiterStats.inFlight).toBe(0);
      await expect(slowClient.complete({ shop: SHOP, task: "support", user: "still works" })).resolves.toBeDefined();
    } finally {
      await slow.close();
    }
  });
});

describe("stream timeouts", () => {
  it("fails with LLM_TIMEOUT when the stream goes silent for longer than timeoutMs", async () => {
    const slow = await startLlmEmulator({ port: 0, tokensPerSecond: 4 });
    try {
      const { client } = makeClient({ baseURL: slow.url });
      const stream = await client.stream({ shop: SHOP, task: "support", user: "Describe the dress", timeoutMs: 120 });
      const error = await failure(
        (async () => {
          for await (const _delta of stream) {
            // Deltas arrive every 250 ms: the 120 ms silence limit fires first.
          }
        })(),
      );
      expect(error.code).toBe("LLM_TIMEOUT");
      expect(client.limiterStats.inFlight).toBe(0);
      await expect(stream.result()).rejects.toMatchObject({ code: "LLM_TIMEOUT" });
    } finally {
      await slow.close();
    }
  });
});

describe("embed", () => {
  it("returns one vector per input in order and records the usage", async () => {
    const { client, usage } = makeClient();
    const inputs = ["red running shoes", "running shoe red", "chocolate cake"];
    const vectors = await client.embed({ shop: SHOP, input: inputs });

    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(1536); // text-embedding-3-small's native length
      expect(vector.every((value) => typeof value === "number")).toBe(true);
    }
    const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!));
    expect(usage.records).toEqual([
      {
        shopDomain: SHOP,
        task: "embedding",
        model: "text-embedding-3-small",
        promptTokens: emulator.stats().promptTokens,
        completionTokens: 0,
      },
    ]);
    expect(await client.embed({ shop: SHOP, input: [] })).toEqual([]);
  });
});

describe("insufficient_quota", () => {
  // platform.openai.com/docs/guides/error-codes#api-errors: 429 insufficient_quota means the
  // account is out of credit; no wait clears it.
  it("is final after one request: not retried, not an outage, and the breaker stays closed", async () => {
    const { client } = makeClient({ maxAttempts: 4, quotaRecheckMs: 60_000 });
    emulator.setFaults({ insufficientQuota: true });
    const error = await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }));
    expect(error.code).toBe("LLM_QUOTA_EXHAUSTED");
    expect(error.retryable).toBe(false);
    expect(isOutage(error)).toBe(false); // the job harness would otherwise reschedule it
    expect(error.userMessage).toMatch(/run out of credit/);
    expect(emulator.stats().requests).toBe(1);

    // Queued calls fail at once without asking the provider again, and never open the circuit.
    for (let call = 0; call < 5; call++) {
      expect((await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }))).code).toBe(
        "LLM_QUOTA_EXHAUSTED",
      );
    }
    expect(emulator.stats().requests).toBe(1);
    expect(client.circuitState).toBe("closed");
  });

  it("asks again once the recheck period has passed, and works when credit was added", async () => {
    const { client } = makeClient({ quotaRecheckMs: 200 });
    emulator.setFaults({ insufficientQuota: true });
    await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }));
    emulator.clearFaults();
    expect((await failure(client.complete({ shop: SHOP, task: "support", user: "hi" }))).code).toBe(
      "LLM_QUOTA_EXHAUSTED",
    );
    await sleep(250); // the recheck period itself is what is under test
    await expect(client.complete({ shop: SHOP, task: "support", user: "hi" })).resolves.toHaveProperty("text");
    expect(emulator.stats().requests).toBe(2);
  });
});

describe("structured output on restrictive providers", () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1";
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });
  beforeEach(async () => {
    await redis.del("llm:schema-mode");
  });

  it("steps down once to a schema without the refused keywords, remembers it, and zod still enforces the limits", async () => {
    emulator.setProfile({ restrictiveSchemas: ["gpt-4o-mini"] });
    const { client, logs } = makeClient({ redis });
    const result = await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });
    expect(SeoCopy.parse(result.data)).toEqual(result.data);
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 400: 1 });
    expect(logs.some((line) => line.msg.includes("refused the schema"))).toBe(true);
    expect(await client.schemaModeOf("gpt-4o-mini")).toBe("relaxed");

    // Remembered: the next call sends the relaxed schema at once, in this process and in another.
    await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });
    const other = makeClient({ redis }).client;
    await other.generateStructured({ shop: SHOP, task: "content", schema: SeoCopy, schemaName: "seo_copy", ...PROMPT });
    expect(emulator.stats().byStatus).toEqual({ 200: 3, 400: 1 });
    // Other models keep strict schemas.
    expect(await other.schemaModeOf("gpt-4o")).toBe("strict");
  });

  it("re-asks once when a relaxed reply breaks a limit zod enforces", async () => {
    emulator.setProfile({ restrictiveSchemas: true });
    emulator.setFaults({ invalidJson: 1 });
    const { client } = makeClient();
    const result = await client.generateStructured({
      shop: SHOP,
      task: "content",
      schema: SeoCopy,
      schemaName: "seo_copy",
      ...PROMPT,
    });
    expect(SeoCopy.parse(result.data)).toEqual(result.data);
    expect(emulator.stats().byStatus).toEqual({ 200: 2, 400: 1 });
  });
});

describe("requests per minute shared through Redis", () => {
  it("paces two clients (two processes) as one account", async () => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
    try {
      await redis.del(`llm:rpm:${emulator.url}`);
      const limiter = { maxConcurrency: 10, requestsPerMinute: 600, burst: 1 };
      const a = makeClient({ redis, limiter }).client;
      const b = makeClient({ redis, limiter }).client;
      const started = performance.now();
      await Promise.all(
        [a, b, a, b, a, b].map((client) => client.complete({ shop: SHOP, task: "support", user: "hi" })),
      );
      // 10 per second with a burst of 1: six calls need five refills (≥ 500 ms) across both
      // clients; two separate per-process buckets would need only two (≈ 200 ms).
      expect(performance.now() - started).toBeGreaterThanOrEqual(480);
    } finally {
      await redis.quit();
    }
  });
});
