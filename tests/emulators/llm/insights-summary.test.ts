// GIVEN the app's insights_summary structured-output request WHEN the emulator answers THEN the
// reply is schema-shaped ({ sentences: [{ text, metricIds }] }), repeats the prompt's figures
// exactly as given and cites their ids; another schema name gets the generic generator; a `reply`
// override returns what a model that got a figure wrong would.
// https://platform.openai.com/docs/guides/structured-outputs
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
  properties: {
    sentences: {
      type: "array",
      items: {
        type: "object",
        properties: { text: { type: "string" }, metricIds: { type: "array", items: { type: "string" } } },
        required: ["text", "metricIds"],
        additionalProperties: false,
      },
    },
  },
  required: ["sentences"],
  additionalProperties: false,
};

const METRICS = [
  { id: "net_sales", label: "Net sales", value: "$340.00", previous: "$180.00", change: "+88.9%" },
  { id: "orders", label: "Orders", value: "3" },
  { id: "units", label: "Units sold", value: "6" },
];

async function reply(user: string, name = "insights_summary") {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Summarise." },
      { role: "user", content: user },
    ],
    response_format: { type: "json_schema", json_schema: { name, strict: true, schema } },
  });
  return JSON.parse(completion.choices[0]!.message.content ?? "null") as {
    sentences: Array<{ text: string; metricIds: string[] }>;
  };
}

describe("insights summaries", () => {
  it("repeats the given figures, citing their ids", async () => {
    expect(await reply(`Period: x.\nMetrics: ${JSON.stringify(METRICS)}`)).toEqual({
      sentences: [
        { text: "Net sales was $340.00, against $180.00 in the previous period (+88.9%).", metricIds: ["net_sales"] },
        { text: "Orders was 3.", metricIds: ["orders"] },
      ],
    });
  });

  it("answers another schema name with the generic generator, and obeys a reply override", async () => {
    const generic = await reply(`Metrics: ${JSON.stringify(METRICS)}`, "other_task");
    expect(generic.sentences.some((s) => s.text.includes("$340.00"))).toBe(false);
    emulator.addOverride({
      match: "Metrics:",
      times: 1,
      reply: { sentences: [{ text: "Net sales was $430.00.", metricIds: ["net_sales"] }] },
    });
    expect((await reply(`Metrics: ${JSON.stringify(METRICS)}`)).sentences[0]?.text).toBe("Net sales was $430.00.");
  });
});
