// GIVEN a shop's saved chats WHEN the merchant searches and filters the transcripts, or opens the
// FAQ suggestions THEN they find exactly the chats that match, only their own shop's, and the
// questions the chat could not answer grouped with how many chats asked them (docs/decisions/026).
import { randomBytes, randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { normaliseQuestion } from "~/services/support/faq-suggestions";
import { dismissFaqSuggestion, listFaqSuggestions } from "~/services/support/faq-suggestions.server";
import { listTranscripts, readTranscript, transcriptQuery } from "~/services/support/list-transcripts.server";

const shop = `chat-list-${randomUUID().slice(0, 8)}.myshopify.com`;
const other = `chat-list-other-${randomUUID().slice(0, 8)}.myshopify.com`;
const id = () => randomBytes(16).toString("hex");

async function chat(
  dialogShop: string,
  locale: string,
  turns: Array<[question: string, answer: string, source: string]>,
  minutesAgo: number,
) {
  const dialogId = id();
  const at = new Date(Date.now() - minutesAgo * 60_000);
  await prisma.supportDialog.create({
    data: {
      id: dialogId,
      shopDomain: dialogShop,
      visitorKey: `visitor:${id()}`,
      locale,
      createdAt: at,
      lastMessageAt: at,
    },
  });
  for (const [question, answer, source] of turns) {
    await prisma.supportMessage.createMany({
      data: [
        { dialogId, role: "user", text: question, locale, createdAt: at },
        {
          dialogId,
          role: "assistant",
          text: answer,
          source,
          action: source === "handoff" ? "handoff" : "answer",
          locale,
          latencyMs: 20,
          createdAt: at,
        },
      ],
    });
  }
  return dialogId;
}

const q = (over: Record<string, string>) => transcriptQuery.parse(over);
const ids = async (over: Record<string, string>) =>
  (await listTranscripts({ db: prisma, shop, query: q(over) })).dialogs.map((dialog) => dialog.id);

let refund: string, canada: string, canadaFr: string, order: string, otherShop: string;

beforeAll(async () => {
  refund = await chat(shop, "en", [["Can I get a refund on sale items?", "Yes, within 30 days.", "faq"]], 50);
  canada = await chat(shop, "en", [["Do you ship to Canada?", "Let me connect you with our team.", "handoff"]], 40);
  canadaFr = await chat(shop, "fr-CA", [["Livrez-vous au Canada ?", "Je vous mets en relation.", "handoff"]], 30);
  order = await chat(shop, "en", [["Where is my order #1001?", "It shipped with UPS.", "order"]], 20);
  await chat(shop, "en", [["ship to canada??", "Our team will reply.", "handoff"]], 10);
  await chat(shop, "de", [["Hallo, do you ship to Canada", "Unser Team meldet sich.", "handoff"]], 5);
  otherShop = await chat(other, "en", [["Can I get a refund?", "Other shop's answer.", "handoff"]], 1);
  for (let index = 0; index < 21; index++)
    await chat(other, "en", [[`Filler question ${index}`, "Answer.", "faq"]], 100 + index);
});

describe("transcripts", () => {
  it("finds chats by words of either side, unaccented, in this shop only", async () => {
    expect(await ids({ q: "refund" })).toEqual([refund]);
    expect(await ids({ q: "UPS" })).toEqual([order]);
    // "Livrez-vous" matched without its hyphen and accent-insensitively.
    expect(await ids({ q: "livrez" })).toEqual([canadaFr]);
    expect(await ids({ q: "Other shop's answer" })).toEqual([]);
  });

  it("filters by answer source, handoff and language", async () => {
    expect(await ids({ source: "order" })).toEqual([order]);
    expect((await ids({ handoff: "yes" })).length).toBe(4);
    expect(await ids({ handoff: "no" })).toEqual([order, refund]);
    expect(await ids({ language: "fr" })).toEqual([canadaFr]);
    expect(await ids({ language: "en", handoff: "yes", q: "canada" })).toHaveLength(2);
    const list = await listTranscripts({ db: prisma, shop, query: q({}) });
    expect(list.languages).toEqual(["de", "en", "fr-CA"]);
    expect(list.total).toBe(6);
  });

  it("pages through the chats, newest first", async () => {
    const first = await listTranscripts({ db: prisma, shop: other, query: q({}) });
    expect(first.total).toBe(22);
    expect(first.pages).toBe(2);
    expect(first.dialogs).toHaveLength(20);
    expect(first.dialogs[0]!.id).toBe(otherShop);
    const second = await listTranscripts({ db: prisma, shop: other, query: q({ page: "2" }) });
    expect(second.dialogs.map((dialog) => dialog.firstQuestion)).toEqual(["Filler question 19", "Filler question 20"]);
  });

  it("opens one chat in full for its own shop, and nothing for another shop", async () => {
    const transcript = await readTranscript({ db: prisma, shop, id: canada });
    expect(transcript?.messages.map((message) => [message.role, message.source])).toEqual([
      ["user", null],
      ["assistant", "handoff"],
    ]);
    expect(await readTranscript({ db: prisma, shop: other, id: canada })).toBeNull();
  });
});

describe("FAQ suggestions", () => {
  it("groups the unanswered questions by normalised text, with how many chats asked", async () => {
    expect(normaliseQuestion("Do you ship to Canada?")).toBe(normaliseQuestion("ship to CANADA??"));
    expect(normaliseQuestion("Hello! Do you ship to Canada")).toBe("canada ship to");
    const suggestions = await listFaqSuggestions({ db: prisma, shop });
    expect(suggestions.map(({ question, chats, locale }) => ({ question, chats, locale }))).toEqual([
      // Three wordings of one question; the most common wording (ties: the shortest) is shown.
      { question: "ship to canada??", chats: 3, locale: "en" },
      { question: "Livrez-vous au Canada ?", chats: 1, locale: "fr-CA" },
    ]);
  });

  it("stops suggesting a dismissed question, or one the FAQ now answers", async () => {
    const [first, second] = await listFaqSuggestions({ db: prisma, shop });
    await dismissFaqSuggestion({ db: prisma, shop, key: first!.key });
    await dismissFaqSuggestion({ db: prisma, shop, key: first!.key });
    expect((await listFaqSuggestions({ db: prisma, shop })).map((s) => s.key)).toEqual([second!.key]);
    await prisma.supportFaq.create({
      data: { shopDomain: shop, question: "Livrez-vous au Canada", answer: "Oui.", locale: "fr" },
    });
    expect(await listFaqSuggestions({ db: prisma, shop })).toEqual([]);
    // The other shop's unanswered question was never this shop's suggestion.
    expect((await listFaqSuggestions({ db: prisma, shop: other })).map((s) => s.question)).toEqual([
      "Can I get a refund?",
    ]);
  });
});
