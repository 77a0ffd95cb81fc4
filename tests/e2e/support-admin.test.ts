// Issue 10 §6 in Chromium: the merchant's Support chat page (one nav entry, tabs). GIVEN a week of
// chats (some answered from the FAQ or the order table, some handed off, one asked three ways) and
// an order placed from a chatting shopper's cart, which reached the app through the emulator's
// orders/create webhook with the widget's cart attribute WHEN the merchant opens the tabs THEN the
// analytics show the figures and the attributed order, the transcripts search and filter, a
// suggested FAQ entry is added with its question prefilled, and a ticket is marked resolved.
// Screenshots in tests/artifacts/support-admin-*.png.
import { randomBytes } from "node:crypto";
import path from "node:path";

import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { CHAT_CART_ATTRIBUTE } from "~/services/support/chat-attribution";
import { deliveriesFinished } from "../support/job-runs";
import { appFrame, ARTIFACTS, merchantPage, toast, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const id = () => randomBytes(16).toString("hex");
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const boughtDialog = id();

async function chat(
  shop: string,
  options: { locale: string; hoursAgo: number; dialogId?: string },
  turns: Array<[question: string, answer: string, source: string, latencyMs: number]>,
) {
  const dialogId = options.dialogId ?? id();
  const at = hoursAgo(options.hoursAgo);
  await prisma.supportDialog.create({
    data: {
      id: dialogId,
      shopDomain: shop,
      visitorKey: `visitor:${id()}`,
      locale: options.locale,
      createdAt: at,
      lastMessageAt: at,
    },
  });
  for (const [question, answer, source, latencyMs] of turns) {
    await prisma.supportMessage.createMany({
      data: [
        { dialogId, role: "user", text: question, locale: options.locale, createdAt: at },
        {
          dialogId,
          role: "assistant",
          text: answer,
          source,
          action: source === "handoff" ? "handoff" : "answer",
          locale: options.locale,
          latencyMs,
          createdAt: at,
        },
      ],
    });
  }
  return dialogId;
}

const HANDOFF = "I can't answer that here. Leave your email and our team will reply.";

const suite = browserSuite({
  prefix: "chatadmin",
  name: "Chat Admin Shop",
  prepare: async (shop) => {
    await chat(shop, { locale: "en", hoursAgo: 120, dialogId: boughtDialog }, [
      ["What is your return policy?", "You can return unworn items within 30 days for a full refund.", "faq", 35],
      ["Does the linen shirt run small?", "It runs true to size; size up for a looser fit.", "llm", 1400],
    ]);
    await chat(shop, { locale: "en", hoursAgo: 100 }, [
      ["Where is my order #1001?", "Order #1001 shipped with UPS, tracking 1Z999.", "order", 80],
    ]);
    await chat(shop, { locale: "fr", hoursAgo: 90 }, [
      ["Quelle est votre politique de retour ?", "Vous pouvez retourner les articles sous 30 jours.", "faq", 40],
    ]);
    await chat(shop, { locale: "en", hoursAgo: 80 }, [["Do you ship to Canada?", HANDOFF, "handoff", 2100]]);
    await chat(shop, { locale: "en", hoursAgo: 60 }, [["Do you ship to Canada?", HANDOFF, "handoff", 1900]]);
    await chat(shop, { locale: "en", hoursAgo: 40 }, [["ship to canada??", HANDOFF, "handoff", 2300]]);
    const engraving = await chat(shop, { locale: "en", hoursAgo: 30 }, [
      ["Can you engrave a name on the bracelet?", HANDOFF, "handoff", 2500],
    ]);
    await prisma.supportTicket.create({
      data: {
        shopDomain: shop,
        dialogId: engraving,
        email: "sam.shopper@example.com",
        question: "Can you engrave a name on the bracelet?",
        locale: "en",
        transcript: [
          { role: "user", text: "Can you engrave a name on the bracelet?" },
          { role: "assistant", text: HANDOFF },
        ],
      },
    });
  },
});
const { appUrl, shopifyUrl, handle, shop, control } = suite;

async function openTab(url: string): Promise<{ page: Page; app: Frame }> {
  const page = await merchantPage(suite.browser, shopifyUrl);
  await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise${url}`);
  const app = await appFrame(page, appUrl);
  await waitForTitle(page, "Support chat");
  await app.getByRole("tab", { name: "Analytics" }).waitFor();
  return { page, app };
}

describe("the Support chat page", () => {
  it("shows the chat's analytics, with the order a chatting shopper placed, and the table behind them", async () => {
    // The widget put the dialog id in the cart; checkout carried it into the order.
    await control.createOrder(shop, {
      lineItems: [{ title: "Linen Shirt", quantity: 2, price: "40.00" }],
      noteAttributes: [{ name: CHAT_CART_ATTRIBUTE, value: boughtDialog }],
    });
    await suite.waitFor(() => deliveriesFinished(control, shop));
    await suite.waitFor(async () => (await prisma.order.findFirst({ where: { shopDomain: shop } }))?.chatDialogId);
    expect((await prisma.order.findFirstOrThrow({ where: { shopDomain: shop } })).chatDialogId).toBe(boughtDialog);

    const { page, app } = await openTab("/app/support");
    expect(new URL(app.url()).pathname).toBe("/app/support/analytics");
    await expect(app.getByRole("tab", { name: "Analytics" }).getAttribute("aria-selected")).resolves.toBe("true");
    const figure = (label: string) => app.getByRole("group", { name: label });
    await expect(figure("Conversations").getByText("7", { exact: true }).count()).resolves.toBe(1);
    // 4 of 7 chats handed off (3 offered a person for Canada, 1 for engraving).
    await expect(figure("Handoff rate").getByText("57%").count()).resolves.toBe(1);
    // Resolved: the three answered chats (all over 24 h old, no follow-up) of the seven judged.
    await expect(figure("Resolution rate").getByText("43%").count()).resolves.toBe(1);
    await expect(figure("Orders after a chat").getByText("1", { exact: true }).count()).resolves.toBe(1);
    // The emulator's shop is in USD; the order's two shirts at 40.00.
    await figure("Sales after a chat").getByText("$80.00").waitFor();
    // The table behind the sources: two FAQ answers of eight replies.
    const sources = app.locator("table").first();
    await expect(sources.getByRole("row", { name: /From your FAQ/ }).innerText()).resolves.toMatch(
      /From your FAQ\s+2\s+25%/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-analytics.png"), fullPage: true });

    // The range selector changes the period: nothing was chatted 7+ days ago, so the 7 days still hold all.
    await app.getByLabel("Date range").selectOption("7");
    await expect.poll(() => new URL(app.url()).searchParams.get("days")).toBe("7");
    await expect(figure("Conversations").getByText("7", { exact: true }).count()).resolves.toBe(1);
    await page.close();
  });

  it("searches the transcripts, filters them, and opens one", async () => {
    const { page, app } = await openTab("/app/support/transcripts");
    await app.getByText(/^7 chats\./).waitFor();
    await app.getByLabel("Search chats").fill("canada");
    await app.getByRole("button", { name: "Search" }).click();
    await app.getByText(/^3 chats match/).waitFor();
    // Each filter applies at once, keeping the search and the other filters in the URL.
    const param = (name: string) => new URL(app.url()).searchParams.get(name);
    await app.getByLabel("Language").selectOption("en");
    await expect.poll(() => param("language")).toBe("en");
    await app.getByLabel("Handoff").selectOption("yes");
    await expect.poll(() => param("handoff")).toBe("yes");
    expect(param("q")).toBe("canada");
    await app.getByText(/^3 chats match/).waitFor();
    await expect(app.getByRole("row").count()).resolves.toBe(4); // the heading row and three chats
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-transcripts-search.png"), fullPage: true });

    await app.getByLabel("Search chats").fill("");
    await app.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => param("q")).toBeNull();
    await app.getByLabel("Handoff").selectOption("");
    await expect.poll(() => param("handoff")).toBeNull();
    await app.getByLabel("Answer source").selectOption("order");
    await app.getByText(/^1 chat matches/).waitFor();
    await app.getByRole("link", { name: "Where is my order #1001?" }).click();
    await app.getByText("Order #1001 shipped with UPS, tracking 1Z999.").waitFor();
    await app.getByText("answered in 80 ms").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-transcript-detail.png"), fullPage: true });
    await page.close();
  });

  it("suggests the question the chat could not answer, and adds it to the FAQ with the question filled in", async () => {
    const { page, app } = await openTab("/app/support/faq");
    const suggestions = app.getByRole("region", { name: "Suggested questions" });
    await suggestions.getByText("Asked in 3 chats").waitFor();
    await suggestions.getByText("Asked in 1 chat", { exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-faq-suggestions.png"), fullPage: true });

    await suggestions.getByRole("button", { name: "Add to FAQ: Do you ship to Canada?" }).click();
    // The wording two of the three chats used.
    await expect(app.getByLabel("Question shoppers ask").inputValue()).resolves.toBe("Do you ship to Canada?");
    await expect(app.getByLabel("Language").inputValue()).resolves.toBe("en");
    await app.getByLabel("Answer").fill("Yes: we ship to Canada in 5–8 business days.");
    const saveBar = page.getByRole("region", { name: "Contextual save bar" });
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-faq-prefilled.png"), fullPage: true });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await toast(page, "Question added").waitFor();
    await suggestions.getByText("Asked in 3 chats").waitFor({ state: "detached" });
    expect(
      await prisma.supportFaq.findMany({ where: { shopDomain: shop }, select: { question: true, locale: true } }),
    ).toEqual([{ question: "Do you ship to Canada?", locale: "en" }]);

    // Dismissing the other suggestion removes it, and it stays gone after a reload.
    await suggestions.getByRole("button", { name: /^Dismiss: Can you engrave/ }).click();
    await app.getByRole("region", { name: "Suggested questions" }).waitFor({ state: "detached" });
    await page.reload();
    await waitForTitle(page, "Support chat");
    const reloaded = await appFrame(page, appUrl);
    await reloaded.getByText("Do you ship to Canada?").first().waitFor();
    await expect(reloaded.getByRole("region", { name: "Suggested questions" }).count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-faq-added.png"), fullPage: true });
    await page.close();
  });

  it("lists the ticket in the Tickets tab and marks it resolved", async () => {
    const { page, app } = await openTab("/app/support/tickets");
    await expect(app.getByRole("tab", { name: "Tickets" }).getAttribute("aria-selected")).resolves.toBe("true");
    await app.getByText("sam.shopper@example.com").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "support-admin-tickets.png"), fullPage: true });
    await app.getByRole("button", { name: "Mark resolved" }).click();
    await toast(page, "Ticket marked resolved").waitFor();
    await app.getByText("Resolved", { exact: true }).waitFor();
    expect((await prisma.supportTicket.findFirstOrThrow({ where: { shopDomain: shop } })).status).toBe("RESOLVED");
    await page.close();
  });
});
