// GIVEN the chat's group commit (decision 027) WHEN many turns are saved at once, one of them bad
// THEN every good turn's dialog and messages are committed (in order, distinct timestamps) and only
// the bad turn's request fails.
import { randomBytes } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { saveChatTurn, type ChatTurnRows } from "~/services/support/save-chat-turn.server";

const shop = `turns-${randomBytes(4).toString("hex")}.myshopify.com`;
const turn = (dialogId: string, text: string, started = Date.now()): ChatTurnRows => ({
  dialog: { id: dialogId, shopDomain: shop, visitorKey: "visitor:x", customerId: null, locale: "en" },
  user: { text, at: new Date(started) },
  assistant: { text: `re: ${text}`, source: "faq", action: "answer", latencyMs: 3, at: new Date(started + 1) },
});

afterAll(async () => {
  await prisma.supportDialog.deleteMany({ where: { shopDomain: shop } });
  await prisma.$disconnect();
});

describe("saveChatTurn", () => {
  it("commits concurrent turns together, a dialog's second turn included, and fails only a bad one", async () => {
    const ids = Array.from({ length: 30 }, () => randomBytes(16).toString("hex"));
    const bad = turn(ids[0]!, "bad");
    // Postgres refuses a NUL byte in text: this turn's statement fails.
    bad.user.text = "bad \u0000 text";
    // The first turn is written alone; the rest wait for it and go together, the bad one among them.
    const results = await Promise.allSettled([
      ...ids.slice(1).map((id, i) => saveChatTurn(prisma, turn(id, `hello ${i}`))),
      saveChatTurn(prisma, bad),
      saveChatTurn(prisma, turn(ids[1]!, "second turn", Date.now() + 5)),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      ...ids.slice(1).map(() => "fulfilled"),
      "rejected",
      "fulfilled",
    ]);
    expect(await prisma.supportDialog.count({ where: { shopDomain: shop } })).toBe(29);
    const messages = await prisma.supportMessage.findMany({
      where: { dialogId: ids[1] },
      orderBy: { createdAt: "asc" },
    });
    expect(messages.map((message) => [message.role, message.text])).toEqual([
      ["user", "hello 0"],
      ["assistant", "re: hello 0"],
      ["user", "second turn"],
      ["assistant", "re: second turn"],
    ]);
    expect(messages[1]).toMatchObject({ source: "faq", action: "answer", latencyMs: 3, locale: "en" });
  });
});
