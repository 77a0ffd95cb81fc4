// Usage rows through real Postgres (DATABASE_URL), written by the client as the app wires it.
import { randomUUID } from "node:crypto";

import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { LlmClient } from "~/integrations/llm/llm-client.server";
import { llm, llmClientOptionsFromEnv } from "~/integrations/llm/llm.server";
import { prismaUsageSink } from "~/integrations/llm/usage.server";

import { startLlmEmulator, type LlmEmulator } from "../../../tests/emulators/llm/server";

const shopA = `usage-a-${randomUUID().slice(0, 8)}.myshopify.com`;
const shopB = `usage-b-${randomUUID().slice(0, 8)}.myshopify.com`;

let emulator: LlmEmulator;

beforeAll(async () => {
  emulator = await startLlmEmulator({ port: 0 });
});

afterAll(async () => {
  await prisma.llmUsage.deleteMany({ where: { shopDomain: { in: [shopA, shopB] } } });
  await emulator?.close();
});

describe("prismaUsageSink", () => {
  it("stores one LlmUsage row per billed request, per shop", async () => {
    const client = new LlmClient({
      ...llmClientOptionsFromEnv(env(), prismaUsageSink(prisma)),
      baseURL: emulator.url,
      logger: pino({ level: "silent" }),
    });

    const text = await client.complete({ shop: shopA, task: "support", user: "Where is my order?" });
    const copy = await client.generateStructured({
      shop: shopB,
      task: "content",
      schema: z.object({ title: z.string().max(60) }),
      schemaName: "title_only",
      user: "A title for a linen summer dress",
    });
    await client.embed({ shop: shopB, input: ["linen dress"] });

    const rows = await prisma.llmUsage.findMany({
      where: { shopDomain: { in: [shopA, shopB] } },
      orderBy: { createdAt: "asc" },
    });
    expect(
      rows.map(({ shopDomain, task, model, promptTokens, completionTokens }) => ({
        shopDomain,
        task,
        model,
        promptTokens,
        completionTokens,
      })),
    ).toEqual([
      { shopDomain: shopA, task: "support", model: env().OPENAI_MODEL_SUPPORT, ...text.usage },
      { shopDomain: shopB, task: "content", model: env().OPENAI_MODEL_CONTENT, ...copy.usage },
      {
        shopDomain: shopB,
        task: "embedding",
        model: env().OPENAI_MODEL_EMBEDDING,
        promptTokens: expect.any(Number),
        completionTokens: 0,
      },
    ]);
    expect(rows.every((row) => row.createdAt instanceof Date)).toBe(true);
  });

  it("is what the app singleton writes to", () => {
    expect(llm()).toBe(llm());
    expect(llm()).toBeInstanceOf(LlmClient);
  });
});
