// Embeddings through the real SDK, including its default base64 transport.
import OpenAI, { BadRequestError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator;
let client: OpenAI;

beforeAll(async () => {
  emu = await startLlmEmulator();
  client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
});
afterAll(() => emu.close());

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

const DOCS = [
  "Returns are free within 30 days of delivery",
  "Shipping to Canada takes 5 to 7 business days",
  "Our merino wool socks are machine washable on a cold cycle",
  "Gift cards never expire and can be used online",
];

describe("embeddings", () => {
  it("returns OpenAI's list shape with usage; the SDK decodes its default base64 transport", async () => {
    const { data: result, response } = await client.embeddings
      .create({ model: "text-embedding-3-small", input: DOCS })
      .withResponse();
    expect(result.object).toBe("list");
    expect(result.model).toBe("text-embedding-3-small");
    expect(result.data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    for (const item of result.data) {
      expect(item.object).toBe("embedding");
      expect(item.embedding).toHaveLength(1536); // text-embedding-3-small is natively 1536
      expect(Math.abs(cosine(item.embedding, item.embedding) - 1)).toBeLessThan(1e-4);
    }
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    expect(result.usage.total_tokens).toBe(result.usage.prompt_tokens);
    expect(response.headers.get("x-ratelimit-remaining-requests")).toMatch(/^\d+$/);
  });

  it("ranks documents sharing words with the query highest (retrieval makes sense)", async () => {
    const [query, ...docs] = (
      await client.embeddings.create({ model: "text-embedding-3-small", input: ["how do I wash wool socks", ...DOCS] })
    ).data.map((d) => d.embedding);
    const scores = docs.map((doc) => cosine(query!, doc));
    expect(scores.indexOf(Math.max(...scores))).toBe(2);
    const shipping = (
      await client.embeddings.create({ model: "text-embedding-3-small", input: "shipping time to Canada" })
    ).data[0]!.embedding;
    const shippingScores = docs.map((doc) => cosine(shipping, doc));
    expect(shippingScores.indexOf(Math.max(...shippingScores))).toBe(1);
  });

  it("is deterministic and identical across float and base64 encodings", async () => {
    const float = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: DOCS[0]!,
      encoding_format: "float",
    });
    const again = await client.embeddings.create({ model: "text-embedding-3-small", input: DOCS[0]! });
    expect(again.data[0]!.embedding).toEqual(float.data[0]!.embedding);

    const base64 = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: DOCS[0]!,
      encoding_format: "base64",
    });
    const encoded = base64.data[0]!.embedding as unknown as string;
    expect(typeof encoded).toBe("string");
    const bytes = Buffer.from(encoded, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(float.data[0]!.embedding);
  });

  it("honours dimensions and validates input like OpenAI", async () => {
    const small = await client.embeddings.create({ model: "text-embedding-3-large", input: "linen", dimensions: 64 });
    expect(small.data[0]!.embedding).toHaveLength(64);
    await expect(client.embeddings.create({ model: "text-embedding-3-small", input: "" })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(client.embeddings.create({ model: "text-embedding-3-small", input: [] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(client.embeddings.create({ model: "gpt-4o-mini", input: "x" })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(
      client.embeddings.create({ model: "text-embedding-ada-002", input: "x", dimensions: 64 }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      client.embeddings.create({ model: "text-embedding-3-small", input: "x", dimensions: 5000 }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("answers 400 to an input over the model's 8,192 tokens, as OpenAI does", async () => {
    const error = await client.embeddings
      .create({ model: "text-embedding-3-small", input: ["fine", "linen ".repeat(9_000)] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).message).toMatch(/maximum context length is 8192 tokens/);
  });

  it("puts a French or German paraphrase next to the English question, and unrelated questions far", async () => {
    const texts = [
      "What is your return policy?",
      "Quelle est votre politique de retour ?",
      "Wie ist Ihre Rückgabe-Richtlinie?",
      "Do you gift wrap?",
      "Wie lange dauert der Versand?",
    ];
    const { data } = await client.embeddings.create({ model: "text-embedding-3-small", input: texts });
    const [english, french, german, gift, shipping] = data.map((item) => item.embedding);
    expect(cosine(english!, french!)).toBeGreaterThan(0.8);
    expect(cosine(english!, german!)).toBeGreaterThan(0.8);
    expect(cosine(english!, gift!)).toBeLessThan(0.3);
    expect(cosine(english!, shipping!)).toBeLessThan(0.3);
  });

  it("accepts token-array input", async () => {
    const result = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(result.data).toHaveLength(2);
  });
});
