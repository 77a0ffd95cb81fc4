// Chat completions through the real openai SDK: structured outputs, determinism, usage,
// n / max_tokens / stop, prompt hooks, tools, and OpenAI-shaped 400/401/404 errors.
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from "openai";
import { LengthFinishReasonError } from "openai/core/error";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startLlmEmulator, type LlmEmulator } from "./server";

const Seo = z.object({
  title: z.string().max(70),
  metaTitle: z.string().max(60),
  metaDescription: z.string().min(50).max(160),
  descriptionHtml: z.string(),
  handle: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  tags: z.array(z.string()).min(3).max(6),
  language: z.enum(["en", "fr", "de"]),
});

const PRODUCT = "Write SEO copy for: Organic linen summer dress, breathable, sand beige, handmade in Lisbon";

let emu: LlmEmulator;
let client: OpenAI;

beforeAll(async () => {
  emu = await startLlmEmulator();
  client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

function seoRequest(content = PRODUCT) {
  return {
    model: "gpt-4o-mini",
    messages: [
      { role: "system" as const, content: "You are a Shopify SEO copywriter. Respond in en." },
      { role: "user" as const, content },
    ],
    response_format: zodResponseFormat(Seo, "seo_copy"),
  };
}

describe("structured outputs", () => {
  it("returns JSON that the SDK parses with the zod schema (zodResponseFormat + parse)", async () => {
    const completion = await client.chat.completions.parse(seoRequest());
    const message = completion.choices[0]!.message;
    expect(message.refusal).toBeNull();
    const seo = message.parsed!;
    expect(Seo.parse(seo)).toEqual(seo);
    expect(seo.title.length).toBeLessThanOrEqual(70);
    expect(seo.descriptionHtml).toMatch(/^<p>.+<\/p>/);
    // Copy is derived from the product text, not canned.
    const text = JSON.stringify(seo).toLowerCase();
    expect(
      ["linen", "dress", "summer", "breathable"].filter((word) => text.includes(word)).length,
    ).toBeGreaterThanOrEqual(2);
    expect(completion.choices[0]!.finish_reason).toBe("stop");
  });

  it("accepts a schema from z.toJSONSchema sent through create()", async () => {
    const schema = z.toJSONSchema(Seo, { target: "draft-7" });
    const completion = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: PRODUCT }],
      response_format: { type: "json_schema", json_schema: { name: "seo", strict: true, schema } },
    });
    expect(() => Seo.parse(JSON.parse(completion.choices[0]!.message.content!))).not.toThrow();
  });

  it("answers the same request with the same content, and other prompts differently", async () => {
    const a = await client.chat.completions.create(seoRequest());
    const b = await client.chat.completions.create(seoRequest());
    const other = await client.chat.completions.create(
      seoRequest("Write SEO copy for: Cast iron skillet, 12 inch, pre-seasoned"),
    );
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(b.id).not.toBe(a.id);
    expect(other.choices[0]!.message.content).not.toBe(a.choices[0]!.message.content);
    expect(other.choices[0]!.message.content!.toLowerCase()).toContain("skillet");
  });

  it("rejects strict schemas OpenAI would reject (optional fields, open objects)", async () => {
    const loose = z.object({ title: z.string(), subtitle: z.string().optional() });
    const error = await client.chat.completions
      .create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "x" }],
        response_format: {
          type: "json_schema",
          json_schema: { name: "loose", strict: true, schema: z.toJSONSchema(loose) },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("response_format");
    expect((error as BadRequestError).message).toContain("Missing 'subtitle'");
  });

  it("json_object returns a JSON object and requires the word json in the messages", async () => {
    const ok = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Summarise this review as JSON: great boots, waterproof" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(ok.choices[0]!.message.content!)).toBeTypeOf("object");
    const error = await client.chat.completions
      .create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hello" }],
        response_format: { type: "json_object" },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
  });
});

describe("response shape and usage", () => {
  it("matches OpenAI's chat.completion shape with consistent usage and headers", async () => {
    const { data, response, request_id } = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "Do the merino socks shrink in the dryer?" }] })
      .withResponse();
    expect(data).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o",
      choices: [
        {
          index: 0,
          message: { role: "assistant", refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(data.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(Math.abs(data.created - Date.now() / 1000)).toBeLessThan(5);
    const usage = data.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(data.choices[0]!.message.content!.toLowerCase()).toMatch(/merino|socks|dryer/);
    expect(request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("openai-processing-ms")).toMatch(/^\d+$/);
    expect(response.headers.get("x-ratelimit-limit-requests")).toMatch(/^\d+$/);
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toMatch(/^\d+$/);
    expect(emu.stats()).toMatchObject({ requests: 1, chatCompletions: 1, byStatus: { 200: 1 } });
    expect(emu.stats().promptTokens).toBe(usage.prompt_tokens);
  });

  it("bills longer prompts and schemas more prompt tokens", async () => {
    const short = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    const long = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi ".repeat(400) }],
    });
    const structured = await client.chat.completions.create({ ...seoRequest("hi") });
    expect(long.usage!.prompt_tokens).toBeGreaterThan(short.usage!.prompt_tokens + 250);
    expect(structured.usage!.prompt_tokens).toBeGreaterThan(short.usage!.prompt_tokens + 50);
  });

  it("honours n with distinct, individually valid choices and summed usage", async () => {
    const completion = await client.chat.completions.parse({ ...seoRequest(), n: 3 });
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const contents = completion.choices.map((c) => c.message.content);
    expect(new Set(contents).size).toBe(3);
    for (const choice of completion.choices) expect(Seo.safeParse(choice.message.parsed).success).toBe(true);
    const single = await client.chat.completions.create(seoRequest());
    expect(completion.usage!.prompt_tokens).toBe(single.usage!.prompt_tokens);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(single.usage!.completion_tokens * 2);
  });

  it("truncates at max_tokens / max_completion_tokens with finish_reason length", async () => {
    const plain = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Tell me about waterproof hiking boots" }],
      max_tokens: 5,
    });
    expect(plain.choices[0]!.finish_reason).toBe("length");
    expect(plain.usage!.completion_tokens).toBe(5);
    expect(plain.choices[0]!.message.content!.length).toBeLessThanOrEqual(20);
    // A cut-off structured reply is what makes the SDK's parse() throw in production.
    await expect(client.chat.completions.parse({ ...seoRequest(), max_completion_tokens: 10 })).rejects.toBeInstanceOf(
      LengthFinishReasonError,
    );
  });

  it("stops at a stop sequence", async () => {
    const base = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "linen dress" }],
    });
    const content = base.choices[0]!.message.content!;
    const stop = content.split(" ")[3]!;
    const stopped = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "linen dress" }],
      stop: [stop],
    });
    expect(stopped.choices[0]!.message.content).toBe(content.slice(0, content.indexOf(stop)));
    expect(stopped.choices[0]!.finish_reason).toBe("stop");
  });

  it("accepts temperature, seed, user, metadata, tools and other common parameters", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Which size for the linen dress?" }] },
      ],
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      user: "shop-123",
      metadata: { feature: "support-chat" },
      store: false,
      parallel_tool_calls: false,
      tools: [{ type: "function", function: { name: "lookup_order", parameters: { type: "object", properties: {} } } }],
    });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it("lists models", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("gpt-4o-mini");
    expect((await client.models.retrieve("text-embedding-3-small")).object).toBe("model");
    await expect(client.models.retrieve("nope")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("prompt hooks", () => {
  it("[[emulator:invalid-json]] returns JSON that fails the schema", async () => {
    const request = seoRequest(`${PRODUCT} [[emulator:invalid-json]]`);
    const raw = await client.chat.completions.create(request);
    const parsed = JSON.parse(raw.choices[0]!.message.content!) as unknown;
    expect(Seo.safeParse(parsed).success).toBe(false);
    await expect(client.chat.completions.parse(request)).rejects.toThrow();
  });

  it("[[emulator:malformed-json]] returns text that is not JSON", async () => {
    const raw = await client.chat.completions.create(seoRequest(`${PRODUCT} [[emulator:malformed-json]]`));
    expect(() => JSON.parse(raw.choices[0]!.message.content!) as unknown).toThrow(SyntaxError);
  });

  it("[[emulator:refusal]] returns a refusal with null content", async () => {
    const completion = await client.chat.completions.parse(seoRequest(`${PRODUCT} [[emulator:refusal]]`));
    const message = completion.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(message.refusal).toMatch(/can't help/);
    expect(message.parsed).toBeNull();
  });

  it("hook words never leak into generated text", async () => {
    const raw = await client.chat.completions.create(seoRequest(`${PRODUCT} [[emulator:invalid-json]]`));
    expect(raw.choices[0]!.message.content).not.toContain("emulator");
  });
});

describe("tools", () => {
  const tools = [
    {
      type: "function" as const,
      function: {
        name: "lookup_order",
        strict: true,
        parameters: {
          type: "object",
          properties: {
            orderNumber: { type: "string", pattern: "^#\\d{4}$" },
            email: { type: "string", format: "email" },
          },
          required: ["orderNumber", "email"],
          additionalProperties: false,
        },
      },
    },
    {
      type: "function" as const,
      function: { name: "search_products", parameters: { type: "object", properties: { query: { type: "string" } } } },
    },
  ];

  it("calls the named tool with schema-valid arguments when tool_choice forces it", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Where is my order?" }],
      tools,
      tool_choice: { type: "function", function: { name: "lookup_order" } },
    });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type).toBe("function");
    if (call.type !== "function") throw new Error("expected a function call");
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe("lookup_order");
    const args = JSON.parse(call.function.arguments) as { orderNumber: string; email: string };
    expect(args.orderNumber).toMatch(/^#\d{4}$/);
    expect(args.email).toContain("@");
    expect(completion.choices[0]!.message.content).toBeNull();
  });

  it("calls a tool on [[emulator:tool:NAME]] with tool_choice auto, then answers after the tool result", async () => {
    const first = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Find linen dresses [[emulator:tool:search_products]]" }],
      tools,
    });
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = first.choices[0]!.message.tool_calls![0]!;
    const second = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "Find linen dresses [[emulator:tool:search_products]]" },
        first.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: '{"results":["Linen dress sand"]}' },
      ],
      tools,
    });
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(second.choices[0]!.message.content).toBeTruthy();
  });
});

describe("errors like OpenAI's", () => {
  async function rawPost(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${emu.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer test", ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
  }

  it("400 on a malformed JSON body", async () => {
    const { status, body } = await rawPost("{not json");
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    expect(body.error.message).toMatch(/could not parse the JSON body/);
  });

  it.each([
    [{ messages: [{ role: "user", content: "x" }] }, null, "you must provide a model parameter"],
    [{ model: "gpt-4o" }, "messages", "Missing required parameter: 'messages'."],
    [{ model: "gpt-4o", messages: [] }, "messages", "empty array"],
    [{ model: "gpt-4o", messages: [{ role: "bot", content: "x" }] }, "messages[0].role", "Invalid value: 'bot'"],
    [{ model: "gpt-4o", messages: [{ role: "user" }] }, "messages[0].content", "Missing required parameter"],
    [
      { model: "gpt-4o", messages: [{ role: "tool", content: "x" }] },
      "messages[0].tool_call_id",
      "Missing required parameter",
    ],
    [
      { model: "gpt-4o", messages: [{ role: "user", content: "x" }], temperature: 3 },
      "temperature",
      "Expected a value <= 2",
    ],
    [{ model: "gpt-4o", messages: [{ role: "user", content: "x" }], n: 0 }, "n", "Expected a value >= 1"],
    [
      { model: "o4-mini", messages: [{ role: "user", content: "x" }], max_tokens: 10 },
      "max_tokens",
      "Use 'max_completion_tokens'",
    ],
    [
      { model: "gpt-4o", messages: [{ role: "user", content: "x" }], response_format: { type: "xml" } },
      "response_format.type",
      "Supported values",
    ],
  ])("400 for %j", async (body, param, message) => {
    const response = await rawPost(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe("invalid_request_error");
    expect(response.body.error.param).toBe(param);
    expect(response.body.error.message).toContain(message);
    expect(response.body.error).toHaveProperty("code");
  });

  it("surfaces as BadRequestError in the SDK", async () => {
    const error = await client.chat.completions.create({ model: "gpt-4o", messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).type).toBe("invalid_request_error");
  });

  it("401 on a wrong or missing key when apiKey is configured", async () => {
    const secured = await startLlmEmulator({ apiKey: "sk-emulator-secret" });
    try {
      const wrong = new OpenAI({ baseURL: secured.url, apiKey: "sk-wrong-key-123456", maxRetries: 0 });
      const error = await wrong.chat.completions
        .create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).code).toBe("invalid_api_key");
      expect((error as AuthenticationError).message).toContain("Incorrect API key provided: sk-");
      expect((error as AuthenticationError).message).not.toContain("sk-wrong-key-123456");

      const missing = await fetch(`${secured.url}/models`);
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
        /didn't provide an API key/,
      );

      const right = new OpenAI({ baseURL: secured.url, apiKey: "sk-emulator-secret", maxRetries: 0 });
      const ok = await right.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] });
      expect(ok.choices).toHaveLength(1);
    } finally {
      await secured.close();
    }
  });

  it("404 for embedding models on chat and for unknown routes", async () => {
    await expect(
      client.chat.completions.create({ model: "text-embedding-3-small", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const response = await fetch(`${emu.url}/completions/nope`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
  });
});
