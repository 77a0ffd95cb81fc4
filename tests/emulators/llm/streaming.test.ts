// SSE streaming through the real SDK: reassembly, usage chunk, the stream() helper with
// structured outputs, refusals, tool calls, raw wire format and tokensPerSecond pacing.
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startLlmEmulator, type LlmEmulator } from "./server";

const Reply = z.object({ answer: z.string().max(200), followUps: z.array(z.string()).max(3) });
const ASK = "Customer asks: do the merino wool hiking socks shrink in the dryer?";

let emu: LlmEmulator;
let client: OpenAI;

beforeAll(async () => {
  emu = await startLlmEmulator();
  client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

/** The parts of a raw SSE chunk the wire-format test inspects. */
interface ChunkJson {
  id: string;
  choices: Array<Record<string, unknown>>;
  usage: { total_tokens: number } | null;
}

describe("streaming", () => {
  it("reassembles to the non-streamed text and reports usage in a final chunk", async () => {
    const request = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: ASK }] };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      if (chunk.choices.length === 0) usage = chunk.usage;
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? "";
        finish = choice.finish_reason ?? finish;
      }
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(chunks).toBeGreaterThan(5);
    expect(finish).toBe("stop");
    expect(usage).toEqual(whole.usage);
    expect(emu.stats()).toMatchObject({ streamed: 1, chatCompletions: 2 });
  });

  it("omits usage unless include_usage is set", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: ASK }],
      stream: true,
    });
    for await (const chunk of stream) {
      expect(chunk.choices).toHaveLength(1);
      expect(chunk.usage).toBeUndefined();
    }
  });

  it("works with the SDK's stream() helper and structured outputs", async () => {
    const stream = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: ASK }],
      response_format: zodResponseFormat(Reply, "reply"),
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    stream.on("content.delta", ({ delta }) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    const parsed = final.choices[0]!.message.parsed!;
    expect(Reply.parse(parsed)).toEqual(parsed);
    expect(deltas.join("")).toBe(final.choices[0]!.message.content);
    expect(final.usage!.total_tokens).toBe(final.usage!.prompt_tokens + final.usage!.completion_tokens);
  });

  it("streams n choices, refusals and tool calls the way the SDK accumulates them", async () => {
    const multi = client.chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: ASK }], n: 2 });
    const both = await multi.finalChatCompletion();
    expect(both.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(both.choices[0]!.message.content).not.toBe(both.choices[1]!.message.content);

    const refusal = client.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: `${ASK} [[emulator:refusal]]` }],
    });
    const refused = await refusal.finalChatCompletion();
    expect(refused.choices[0]!.message.refusal).toMatch(/can't help/);
    expect(refused.choices[0]!.message.content).toBeNull();

    const tools = client.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: ASK }],
      tools: [
        {
          type: "function",
          function: {
            name: "lookup",
            parameters: { type: "object", properties: { sku: { type: "string" } }, required: ["sku"] },
          },
        },
      ],
      tool_choice: "required",
    });
    const called = await tools.finalChatCompletion();
    const call = called.choices[0]!.message.tool_calls![0]!;
    if (call.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("lookup");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("sku");
    expect(called.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("uses OpenAI's SSE wire format", async () => {
    const response = await fetch(`${emu.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "linen dress" }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const frames = (await response.text()).split("\n\n").filter(Boolean);
    expect(frames.every((f) => f.startsWith("data: "))).toBe(true);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as ChunkJson);
    expect(chunks[0]!.choices[0]).toEqual({
      index: 0,
      delta: { role: "assistant", content: "", refusal: null },
      logprobs: null,
      finish_reason: null,
    });
    expect(chunks[0]!.usage).toBeNull();
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it("paces chunks at tokensPerSecond", async () => {
    const slow = await startLlmEmulator({ tokensPerSecond: 100 });
    try {
      const slowClient = new OpenAI({ baseURL: slow.url, apiKey: "test", maxRetries: 0 });
      const started = performance.now();
      const arrivals: number[] = [];
      const stream = await slowClient.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: ASK }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let completionTokens = 0;
      for await (const chunk of stream) {
        arrivals.push(performance.now() - started);
        if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
      }
      const elapsed = performance.now() - started;
      const pieces = arrivals.length - 3; // minus role, finish and usage chunks
      // ~1 token per piece at 100 tokens/s: pieces × 10ms, give or take timer slack.
      expect(elapsed).toBeGreaterThan(pieces * 10 * 0.8);
      expect(arrivals[arrivals.length - 1]! - arrivals[0]!).toBeGreaterThan(pieces * 10 * 0.6);
      expect(completionTokens).toBeGreaterThan(0);

      const nonStreamStart = performance.now();
      const whole = await slowClient.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: ASK }],
      });
      expect(performance.now() - nonStreamStart).toBeGreaterThan(whole.usage!.completion_tokens * 10 * 0.8);
    } finally {
      await slow.close();
    }
  });

  it("stops writing when the client aborts mid-stream", async () => {
    const slow = await startLlmEmulator({ tokensPerSecond: 50 });
    try {
      const slowClient = new OpenAI({ baseURL: slow.url, apiKey: "test", maxRetries: 0 });
      const stream = await slowClient.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: ASK }],
        stream: true,
      });
      let seen = 0;
      for await (const _chunk of stream) {
        if (++seen === 3) break; // breaking out aborts the underlying request
      }
      await expect.poll(() => slow.stats().inFlight).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
