// GIVEN a merchant's FAQ written in English on a shop that also sells in German WHEN a shopper asks
// in German THEN the English entry is found by meaning (embeddings from the provider, stored in a
// REAL[] column, cosine in the app), where trigram and full-text search alone find nothing
// confident; and once the translation job has put the entry into German, the chat answers from it
// in German without the model (issue 10 §3.1).
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import type { Llm } from "~/services/ports/llm";
import { FAQ_CONFIDENT_SCORE, matchFaq } from "~/services/support/match-faq.server";
import { createFaqEntry, updateFaqEntry } from "~/services/support/manage-faq.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { proxyPost } from "../support/app-proxy";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const appUrl = inject("appUrl");
const llmUrl = inject("llmUrl");
const llm = new LlmEmulatorControl(llmUrl);
const { waitUntil } = withWorker();

/** The embeddings half of the LLM port, straight to the emulator's OpenAI-shaped /v1/embeddings (llmUrl ends in /v1). */
const embeddingsOnly = {
  async embed({ input }: { input: string[] }) {
    const response = await fetch(`${llmUrl}/embeddings`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer sk-test" },
      body: JSON.stringify({ model: "text-embedding-3-small", input }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ index: number; embedding: number[] }> };
    return body.data.sort((a, b) => a.index - b.index).map((item) => item.embedding);
  },
} as unknown as Llm;

const GERMAN_QUESTION = "Wie ist Ihre Rückgabe-Richtlinie?";

async function germanShop() {
  const shop = `chat-faq-de-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, {
    shop,
    accessToken: `shpat_${randomUUID()}`,
    locales: [
      { locale: "en", primary: true },
      { locale: "de", published: true },
    ],
  });
  return shop;
}

describe("the FAQ across languages", () => {
  it("finds the English entry for a German question by meaning, and falls back to words without embeddings", async () => {
    const shop = await germanShop();
    const entry = await prisma.supportFaq.create({
      data: {
        shopDomain: shop,
        question: "What is your return policy?",
        answer: "You can return unworn items within 30 days.",
        locale: "en",
      },
    });
    await prisma.supportFaq.create({
      data: { shopDomain: shop, question: "Do you gift wrap?", answer: "Yes, for free.", locale: "en" },
    });

    const lexical = await matchFaq({ db: prisma, shop, message: GERMAN_QUESTION, language: "de" });
    expect(lexical.filter((match) => match.score >= FAQ_CONFIDENT_SCORE)).toEqual([]);

    const semantic = await matchFaq({
      db: prisma,
      shop,
      message: GERMAN_QUESTION,
      language: "de",
      llm: embeddingsOnly,
    });
    expect(semantic[0]).toMatchObject({ id: entry.id, locale: "en" });
    expect(semantic[0]!.score).toBeGreaterThanOrEqual(FAQ_CONFIDENT_SCORE);
    // Each entry's vector was stored on first use (1536 floats, text-embedding-3-small).
    const stored = await prisma.supportFaq.findUniqueOrThrow({ where: { id: entry.id } });
    expect(stored.embedding).toHaveLength(1536);

    // An embeddings outage leaves matching lexical rather than failing the chat.
    const broken = { embed: () => Promise.reject(new Error("503")) } as unknown as Llm;
    const fallback = await matchFaq({ db: prisma, shop, message: GERMAN_QUESTION, language: "de", llm: broken });
    expect(fallback.filter((match) => match.score >= FAQ_CONFIDENT_SCORE)).toEqual([]);

    // Through the chat: the model gets the English entry as its first passage and answers in German.
    const before = (await llm.stats()).embeddings;
    const reply = await proxyPost(appUrl, "chat", { shop }, { message: GERMAN_QUESTION, locale: "de" });
    expect(reply.body).toMatchObject({ source: "llm", action: "answer" });
    expect((await llm.stats()).embeddings).toBeGreaterThan(before);
    const sent = (await llm.chats()).filter((chat) => chat.schemaName === "support_reply").at(-1);
    expect(sent?.messages[0]?.text).toContain(
      "[P1] What is your return policy? You can return unworn items within 30 days.",
    );
    expect(sent?.messages[0]?.text).toContain("Reply language: de");
  });

  it("translates a saved entry into the shop's other languages and answers from the translation", async () => {
    const shop = await germanShop();
    const entry = await createFaqEntry({
      db: prisma,
      shop,
      entry: {
        question: "What is your return policy?",
        answer: "You can return unworn items within 30 days.",
        locale: "en",
      },
    });
    const german = await waitUntil(() =>
      prisma.supportFaqTranslation.findFirst({ where: { faqId: entry.id, locale: "de" } }),
    );
    expect(german.question).not.toBe(entry.question);
    expect(german.answer).toContain("30");

    const chatsBefore = (await llm.chats()).filter((chat) => chat.schemaName === "support_reply").length;
    const reply = await proxyPost(appUrl, "chat", { shop }, { message: german.question, locale: "de" });
    expect(reply.body).toMatchObject({ source: "faq", action: "answer", answer: german.answer });
    // An English shopper still gets the entry as written.
    const english = await proxyPost(appUrl, "chat", { shop }, { message: "What is your return policy?", locale: "en" });
    expect(english.body).toMatchObject({ source: "faq", answer: entry.answer });
    expect((await llm.chats()).filter((chat) => chat.schemaName === "support_reply").length).toBe(chatsBefore);

    // An edit drops the old translation at once and translates the new text.
    expect(
      await updateFaqEntry({
        db: prisma,
        shop,
        id: entry.id,
        entry: {
          question: "What is your return policy?",
          answer: "You can return unworn items within 60 days.",
          locale: "en",
        },
      }),
    ).toBe(true);
    const redone = await waitUntil(async () => {
      const row = await prisma.supportFaqTranslation.findFirst({ where: { faqId: entry.id, locale: "de" } });
      return row?.answer.includes("60") ? row : null;
    });
    expect(redone.answer).not.toContain("30");
  });
});
