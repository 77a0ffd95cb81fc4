// GIVEN the app's support_reply structured-output request WHEN the emulator answers THEN the reply
// is schema-shaped ({ action, answer }), built from the passage of the system prompt that shares
// the question's words, in the language the prompt asks for; with no passage it hands off.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startLlmEmulator } from "./server";
import type { LlmEmulator } from "./types";

let emulator: LlmEmulator;
let client: OpenAI;
beforeAll(async () => {
  emulator = await startLlmEmulator({});
  client = new OpenAI({ baseURL: emulator.url, apiKey: "test", maxRetries: 0 });
});
afterAll(() => emulator.close());

const schema = {
  type: "object",
  properties: { action: { type: "string", enum: ["answer", "ask", "handoff"] }, answer: { type: "string" } },
  required: ["action", "answer"],
  additionalProperties: false,
};

async function reply(system: string, user: string, name = "support_reply") {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    response_format: { type: "json_schema", json_schema: { name, strict: true, schema } },
  });
  return JSON.parse(completion.choices[0]!.message.content ?? "null") as { action: string; answer: string };
}

const PASSAGES = [
  "Store passages:",
  "[P1] Do you ship internationally? International parcels arrive in 5 to 9 business days.",
  "[P2] What is your return policy? Unworn items can be returned within 30 days.",
].join("\n");

describe("support replies", () => {
  it("answers from the passage that shares the question's words, in the requested language", async () => {
    expect(await reply(`Reply language: fr\n${PASSAGES}`, "When do international parcels arrive?")).toEqual({
      action: "answer",
      answer:
        "Voici ce que j'ai trouvé : Do you ship internationally? International parcels arrive in 5 to 9 business days.",
    });
    expect((await reply(`Reply language: en\n${PASSAGES}`, "Can unworn shoes be returned?")).answer).toBe(
      "Here is what I found: What is your return policy? Unworn items can be returned within 30 days.",
    );
  });

  it("hands off when no passage shares a word with the question", async () => {
    expect(await reply(`Reply language: de\nStore passages:\n(none)`, "Gravur möglich?")).toMatchObject({
      action: "handoff",
    });
  });

  it("leaves other schemas to the generic generator", async () => {
    const other = await reply(
      `Reply language: fr\n${PASSAGES}`,
      "When do international parcels arrive?",
      "something_else",
    );
    expect(other.answer).not.toMatch(/^Voici/);
  });

  it("records what reached the model for GET /_emulator/chats", async () => {
    const response = await fetch(`${emulator.origin}/_emulator/chats`);
    const chats = (await response.json()) as { schemaName: string; messages: { text: string }[] }[];
    expect(chats.at(-1)?.schemaName).toBe("something_else");
    expect(chats.at(-1)?.messages[1]?.text).toBe("When do international parcels arrive?");
  });
});
