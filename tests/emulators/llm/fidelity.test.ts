// What the emulator refuses, exactly as OpenAI refuses it: models it does not serve, an account
// without credit, prompts over a model's context window, and (in the restrictive profile) strict
// schemas using keywords outside the subset a provider accepts. Raw HTTP where the exact body
// matters, the real SDK where the app's error handling does.
import OpenAI, { BadRequestError, NotFoundError, RateLimitError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { LlmEmulatorControl } from "./control-client";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator;
let control: LlmEmulatorControl;
let client: OpenAI;

beforeAll(async () => {
  emu = await startLlmEmulator();
  control = new LlmEmulatorControl(emu.url);
  client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function post(path: string, body: unknown) {
  const response = await fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test" },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

const hello = [{ role: "user", content: "Hello" }];

describe("embedding dimensions per model", () => {
  // platform.openai.com/docs/guides/embeddings#embedding-models: text-embedding-3-small 1536,
  // text-embedding-3-large 3072 (both shortened by `dimensions`), text-embedding-ada-002 1536 fixed.
  it("returns each model's native length, and honours dimensions on the -3 models only", async () => {
    const length = async (model: string, dimensions?: number) =>
      (await client.embeddings.create({ model, input: "linen shirt", dimensions })).data[0]!.embedding.length;
    expect(await length("text-embedding-3-small")).toBe(1536);
    expect(await length("text-embedding-3-large")).toBe(3072);
    expect(await length("text-embedding-ada-002")).toBe(1536);
    expect(await length("text-embedding-3-large", 256)).toBe(256);
    expect(await length("text-embedding-3-small", 1536)).toBe(1536);
    await expect(length("text-embedding-3-small", 3072)).rejects.toBeInstanceOf(BadRequestError);
    await expect(length("text-embedding-ada-002", 256)).rejects.toThrow(/does not support specifying dimensions/);
  });
});

describe("unknown models", () => {
  // platform.openai.com/docs/guides/error-codes: a model the key cannot use is 404 model_not_found.
  it("answers 404 model_not_found with OpenAI's body, for chat and embeddings", async () => {
    const chat = await post("/chat/completions", { model: "gpt-4o-typo", messages: hello });
    expect(chat.status).toBe(404);
    expect(chat.body).toEqual({
      error: {
        message: "The model `gpt-4o-typo` does not exist or you do not have access to it.",
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    });
    const embeddings = await post("/embeddings", { model: "text-embedding-4", input: "x" });
    expect(embeddings.status).toBe(404);
    expect((embeddings.body as { error: { code: string } }).error.code).toBe("model_not_found");
    await expect(client.chat.completions.create({ model: "gpt-9", messages: [] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("serves dated snapshots of a served model, and only the models it was given", async () => {
    const snapshot = await post("/chat/completions", { model: "gpt-4o-2024-08-06", messages: hello });
    expect(snapshot.status).toBe(200);
    const narrow = await startLlmEmulator({ models: ["gpt-4o-mini"] });
    try {
      const response = await fetch(`${narrow.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: hello }),
      });
      expect(response.status).toBe(404);
    } finally {
      await narrow.close();
    }
  });
});

describe("insufficient_quota", () => {
  // platform.openai.com/docs/guides/error-codes#api-errors: "429 - You exceeded your current
  // quota, please check your plan and billing details": type and code insufficient_quota, no
  // retry-after, and it lasts until billing is fixed.
  it("answers every completion and embedding 429 with OpenAI's body until cleared, armed over HTTP", async () => {
    await control.setFaults({ insufficientQuota: true });
    for (let i = 0; i < 3; i++) {
      const answer = await post("/chat/completions", { model: "gpt-4o-mini", messages: hello });
      expect(answer.status).toBe(429);
      expect(answer.headers.get("retry-after")).toBeNull();
      expect(answer.body).toEqual({
        error: {
          message:
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      });
    }
    const error = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe("insufficient_quota");
    // Listing models needs no credit.
    expect((await fetch(`${emu.url}/models`)).status).toBe(200);

    await control.clearFaults();
    expect((await post("/chat/completions", { model: "gpt-4o-mini", messages: hello })).status).toBe(200);
  });
});

describe("context window per model", () => {
  // platform.openai.com/docs/models/gpt-4o (128,000 context, 16,384 output) and
  // platform.openai.com/docs/models/gpt-4.1 (1,047,576 context): over it, 400 context_length_exceeded.
  const long = [{ role: "user", content: "wool ".repeat(110_000) }]; // ≈ 137k tokens at 4 chars a token

  it("refuses a prompt over gpt-4o's 128k window that gpt-4.1 accepts", async () => {
    const refused = await post("/chat/completions", { model: "gpt-4o", messages: long });
    expect(refused.status).toBe(400);
    const error = (refused.body as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({
      type: "invalid_request_error",
      param: "messages",
      code: "context_length_exceeded",
    });
    expect(error.message).toMatch(
      /^This model's maximum context length is 128000 tokens\. However, your messages resulted in \d+ tokens\. Please reduce the length of the messages\.$/,
    );
    expect((await post("/chat/completions", { model: "gpt-4.1-mini", messages: long })).status).toBe(200);
  });

  it("counts the requested completion, and refuses max tokens over the model's output limit", async () => {
    const messages = [{ role: "user", content: "wool ".repeat(100_000) }]; // ≈ 125k tokens
    const over = await post("/chat/completions", { model: "gpt-4o", messages, max_completion_tokens: 10_000 });
    expect(over.status).toBe(400);
    expect((over.body as { error: { message: string } }).error.message).toMatch(
      /However, you requested \d+ tokens \(\d+ in the messages, 10000 in the completion\)\. Please reduce the length of the messages or completion\.$/,
    );
    const tooLarge = await post("/chat/completions", { model: "gpt-4o-mini", messages: hello, max_tokens: 20_000 });
    expect(tooLarge.status).toBe(400);
    expect((tooLarge.body as { error: unknown }).error).toMatchObject({
      message:
        "max_tokens is too large: 20000. This model supports at most 16384 completion tokens, whereas you provided 20000.",
      param: "max_tokens",
      code: "invalid_value",
    });
  });
});

describe("restrictive structured outputs", () => {
  // platform.openai.com/docs/guides/structured-outputs#supported-schemas lists keywords strict mode
  // does not support (for fine-tuned models: minLength, maxLength, pattern, format, minimum,
  // maximum, multipleOf, minItems, maxItems, uniqueItems, ...); OpenAI-compatible servers refuse
  // similar sets with a 400. The profile models such a provider.
  const format = {
    type: "json_schema",
    json_schema: {
      name: "copy",
      strict: true,
      schema: {
        type: "object",
        properties: {
          title: { type: "string", maxLength: 70 },
          tags: { type: "array", items: { type: "string" }, minItems: 2 },
        },
        required: ["title", "tags"],
        additionalProperties: false,
      },
    },
  };
  const bare = {
    ...format,
    json_schema: {
      ...format.json_schema,
      schema: {
        type: "object",
        properties: { title: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
        required: ["title", "tags"],
        additionalProperties: false,
      },
    },
  };
  const ask = (model: string, response_format: unknown) =>
    post("/chat/completions", { model, messages: hello, response_format });

  it("accepts the keywords by default, and refuses them with 400 for the models set over HTTP", async () => {
    expect((await ask("gpt-4o-mini", format)).status).toBe(200);
    expect(await control.setProfile({ restrictiveSchemas: ["gpt-4o-mini"] })).toEqual({
      restrictiveSchemas: ["gpt-4o-mini"],
    });
    const refused = await ask("gpt-4o-mini", format);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        message:
          "Invalid schema for response_format 'copy': In context=('properties', 'title'), 'maxLength' is not permitted.",
        type: "invalid_request_error",
        param: "response_format",
        code: null,
      },
    });
    // Other models are unaffected, the same schema without the keywords passes, and so does json_object.
    expect((await ask("gpt-4o", format)).status).toBe(200);
    expect((await ask("gpt-4o-mini", bare)).status).toBe(200);
    const jsonObject = await post("/chat/completions", {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Reply in JSON." }],
      response_format: { type: "json_object" },
    });
    expect(jsonObject.status).toBe(200);
    // Non-strict schemas are hints, not refused.
    expect(
      (await ask("gpt-4o-mini", { ...format, json_schema: { ...format.json_schema, strict: false } })).status,
    ).toBe(200);
  });

  it("applies to every model with true, and reset() restores the startup profile", async () => {
    emu.setProfile({ restrictiveSchemas: true });
    expect((await ask("gpt-4.1", format)).status).toBe(400);
    emu.reset();
    expect((await ask("gpt-4.1", format)).status).toBe(200);
    const restrictive = await startLlmEmulator({ restrictiveSchemas: true });
    try {
      restrictive.reset();
      const response = await fetch(`${restrictive.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: hello, response_format: format }),
      });
      expect(response.status).toBe(400);
    } finally {
      await restrictive.close();
    }
  });
});
