// Issue 10's "Done when", end to end: the real app (from build/, a real worker) behind the
// emulator's storefront app proxy, the support chat widget in Chromium. A shopper asks the return
// policy in English and on the French storefront (FAQ answers in each language), asks about an
// order that reached the order table through the emulator's webhooks (as a guest with the right
// and a wrong email, and logged in as its owner), asks a product question (a model answer from
// the retrieved catalog passage) and its price (straight from the catalog), and with the model down is offered a person, files the request, and
// the merchant finds the ticket on the Support tickets page. Screenshots in tests/artifacts/.
import { randomUUID } from "node:crypto";
import path from "node:path";

import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { requestStoreContentIndex } from "~/services/support/index-store-content.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { storefrontUrl } from "../emulators/shopify/storefront";
import { TEST_API_KEY } from "../support/test-env";
import { proxyPost } from "../support/app-proxy";
import { allowErrorLogs } from "../support/error-logs";
import { deliveriesFinished } from "../support/job-runs";
import { appFrame, ARTIFACTS, merchantPage, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const llm = new LlmEmulatorControl(inject("llmUrl"));
const suite = browserSuite({
  prefix: "chat",
  name: "Chat Test Shop",
  prepare: async (shop) => {
    await emulatorControl(inject("shopifyUrl")).createShop({
      shop,
      locales: [
        { locale: "en", primary: true },
        { locale: "fr", published: true },
      ],
    });
    await prisma.supportFaq.createMany({
      data: [
        {
          shopDomain: shop,
          question: "What is your return policy?",
          answer: "You can return unworn items within 30 days for a full refund.",
          locale: "en",
        },
        {
          shopDomain: shop,
          question: "Quelle est votre politique de retour ?",
          answer: "Vous pouvez retourner les articles non portés sous 30 jours pour un remboursement complet.",
          locale: "fr",
        },
      ],
    });
  },
});
const { appUrl, shopifyUrl, handle, shop, control } = suite;
// The product test queues the catalog index from this process.
afterAll(async () => {
  await closeQueues();
  await closeSharedRedis();
});

interface ChatAnswer {
  dialogId: string;
  visitorToken: string | null;
  answer: string;
  source: string;
  action: string;
}

/** A fresh shopper (own storage, own visitor token) on the storefront page at `pathname`. */
async function shopper(pathname = "/", loginUrl?: string): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  if (loginUrl) {
    await page.goto(loginUrl);
    await page.getByText(/^Signed in as /).waitFor();
  }
  await page.goto(`${storefrontUrl(shopifyUrl, shop)}${pathname}`);
  return page;
}

/** Types `text` into the open chat and answers what the app said, once the widget shows it. */
async function ask(page: Page, text: string): Promise<ChatAnswer> {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/apps/storewise/chat" && response.request().method() === "POST",
  );
  await page.getByRole("textbox", { name: /message/i }).fill(text);
  await page.keyboard.press("Enter");
  const response = await answered;
  expect(response.status()).toBe(200);
  const body = (await response.json()) as ChatAnswer;
  await page
    .locator(".sw-bot", { hasText: body.answer.slice(0, 60) })
    .last()
    .waitFor();
  return body;
}

async function openChat(page: Page, name = "Chat with us") {
  await page.getByRole("button", { name }).click();
  await page.getByRole("dialog").waitFor();
}

describe("the storefront support chat with the real app", () => {
  it("guides the merchant to turn the chat on in the theme editor, and ticks the step once shoppers chat", async () => {
    await prisma.shopSettings.updateMany({
      where: { shop: { domain: shop } },
      data: { setupDone: ["voice", "mode", "language", "first-run"], setupGuideHiddenAt: null },
    });
    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);
    await app.getByText("4 of 5 steps done").waitFor();
    await app.getByRole("heading", { name: "Add the chat to your theme" }).waitFor();
    const link = app.getByRole("link", { name: "Open the theme editor" });
    // Shopify's deep link for app embed blocks: App embeds, with this app's block activated.
    expect(await link.getAttribute("href")).toBe(
      `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${TEST_API_KEY}/support-chat`,
    );
    // Shopify's admin page, not the app's frame.
    expect(await link.getAttribute("target")).toBe("_top");
    await page.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-setup-step.png"), fullPage: true });

    // A shopper's first chat proves the embed is on the storefront: the step is done.
    const first = await proxyPost(appUrl, "chat", { shop }, { message: "Hello" });
    expect(first.status).toBe(200);
    await page.reload();
    const reloaded = await appFrame(page, appUrl);
    await reloaded.getByText("You're set up. New products get copy on their own from now on.").waitFor();
    await page.context().close();
  });

  it("answers the return policy from the FAQ in English and on the French storefront", async () => {
    const page = await shopper("/");
    await openChat(page);
    const english = await ask(page, "What's your return policy?");
    expect(english).toMatchObject({ source: "faq", action: "answer" });
    expect(english.answer).toBe("You can return unworn items within 30 days for a full refund.");
    // An anonymous visitor gets a token, which the widget sends back with the next message.
    expect(english.visitorToken).toEqual(expect.any(String));
    await page.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-faq-en.png") });
    await page.context().close();

    const french = await shopper("/fr/");
    await openChat(french, "Discuter avec nous");
    const answer = await ask(french, "Quelle est votre politique de retour ?");
    expect(answer).toMatchObject({ source: "faq", action: "answer" });
    expect(answer.answer).toBe(
      "Vous pouvez retourner les articles non portés sous 30 jours pour un remboursement complet.",
    );
    // The dialog was stored in French: the widget sent the storefront's locale.
    expect(await prisma.supportDialog.findUniqueOrThrow({ where: { id: answer.dialogId } })).toMatchObject({
      locale: "fr",
    });
    await french.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-faq-fr.png") });
    await french.context().close();
  });

  it("tells a guest with the order's email, and its logged-in owner, where the order is; a wrong email learns nothing", async () => {
    const tracking = `1Z${randomUUID().replaceAll("-", "").slice(0, 14).toUpperCase()}`;
    const order = await control.createOrder(shop, {
      customer: { email: "ada@example.com" },
      lineItems: [{ title: "Linen Shirt", quantity: 1, price: "40.00" }],
      fulfillments: [
        { trackingNumber: tracking, trackingCompany: "UPS", trackingUrl: `https://ups.example/${tracking}` },
      ],
    });
    // orders/create reached the app through the emulator's signed webhook, and the worker stored it.
    await suite.waitFor(() => deliveriesFinished(control, shop));
    await suite.waitFor(async () => (await prisma.order.count({ where: { shopDomain: shop } })) === 1);
    expect(order.name).toMatch(/^#\d{4,}$/);

    const guest = await shopper("/");
    await openChat(guest);
    const right = await ask(guest, `Where is my order ${order.name}? My email is ada@example.com`);
    expect(right).toMatchObject({ source: "order", action: "answer" });
    expect(right.answer).toContain(order.name);
    expect(right.answer).toContain(tracking);
    await guest.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-order-guest.png") });
    await guest.context().close();

    const stranger = await shopper("/");
    await openChat(stranger);
    const wrong = await ask(stranger, `Where is my order ${order.name}? My email is eve@example.com`);
    const none = await ask(stranger, "Where is my order #99999? My email is eve@example.com");
    expect(wrong.answer).not.toContain(tracking);
    // The same answer as for an order that does not exist: not even its existence is revealed.
    expect(wrong.answer).toBe(none.answer);
    expect(await stranger.getByText(tracking).count()).toBe(0);
    await stranger.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-order-wrong-email.png") });
    await stranger.context().close();

    const login = await control.storefrontLogin(shop, { email: "ada@example.com" });
    const owner = await shopper("/", login.loginUrl);
    await openChat(owner);
    const mine = await ask(owner, "Where is my order?");
    expect(mine).toMatchObject({ source: "order", action: "answer" });
    expect(mine.answer).toContain(order.name);
    expect(mine.answer).toContain(tracking);
    // A logged-in customer is known by the proxy's signed id: no visitor token.
    expect(mine.visitorToken).toBeNull();
    await owner.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-order-owner.png") });
    await owner.context().close();
  });

  it("answers a product question with the model, from the retrieved catalog passage", async () => {
    // The catalog reaches the chat through the Admin client (support.index-content, as on install).
    const product = await control.createProduct(
      shop,
      {
        title: "Linen Shirt",
        descriptionHtml: "<p>100% Belgian linen. Machine wash cold, hang to dry.</p>",
        options: [{ name: "Size", values: ["S", "M", "L"] }],
        variants: [
          { title: "S", price: "49.00", options: ["S"] },
          { title: "M", price: "49.00", options: ["M"] },
          { title: "L", price: "49.00", options: ["L"] },
        ],
      },
      { silent: true },
    );
    await requestStoreContentIndex({ shop });
    await suite.waitFor(() =>
      prisma.supportPassage.findFirst({ where: { shopDomain: shop, kind: "product", sourceId: product.id } }),
    );
    const page = await shopper("/");
    await openChat(page);
    const reply = await ask(page, "What temperature can the Linen Shirt take?");
    expect(reply).toMatchObject({ source: "llm", action: "answer" });
    // The emulator's answer quotes the passage the app gave it: the product's own facts.
    expect(reply.answer).toContain("Machine wash cold");
    const sent = (await llm.chats()).filter((chat) => chat.schemaName === "support_reply").at(-1);
    expect(sent?.messages[0]?.text).toContain("Linen Shirt: Price: 49.00");
    expect(sent?.messages[0]?.text).toContain("Machine wash cold");
    // A price question about the same product is answered from the catalog, without the model.
    const price = await ask(page, "How much is the Linen Shirt?");
    expect(price).toMatchObject({ source: "catalog", action: "answer" });
    expect(price.answer).toContain("49.00");
    await page.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-llm.png") });
    await page.context().close();
  });

  it("offers a person when the model is down; the request becomes a ticket on the Support tickets page", async () => {
    allowErrorLogs(/llm|LLM|circuit|503|breaker/);
    await llm.setFaults({ down: true });
    try {
      const page = await shopper("/");
      await openChat(page);
      const offered = await ask(page, "Can you engrave a name on the bracelet for my sister?");
      expect(offered).toMatchObject({ source: "handoff", action: "handoff" });
      await page.getByRole("textbox", { name: "Your email" }).fill("sam.shopper@example.com");
      expect(await page.getByRole("textbox", { name: "Your question" }).inputValue()).toBe(
        "Can you engrave a name on the bracelet for my sister?",
      );
      const filed = page.waitForResponse(
        (response) =>
          new URL(response.url()).pathname === "/apps/storewise/chat" && response.request().method() === "POST",
      );
      await page.getByRole("button", { name: "Send to our team" }).click();
      const body = (await (await filed).json()) as ChatAnswer;
      expect(body).toMatchObject({ source: "handoff", dialogId: offered.dialogId });
      await page
        .locator(".sw-bot", { hasText: body.answer.slice(0, 60) })
        .last()
        .waitFor();
      expect(await page.locator(".sw-hand").count()).toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-handoff.png") });
      await page.context().close();
    } finally {
      await llm.clearFaults();
    }

    const admin = await merchantPage(suite.browser, shopifyUrl);
    await admin.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/support/tickets`);
    const app = await appFrame(admin, appUrl);
    await waitForTitle(admin, "Support chat");
    await app.getByText("sam.shopper@example.com").first().waitFor();
    await app
      .getByText(/engrave a name on the bracelet/)
      .first()
      .waitFor();
    await admin.screenshot({ path: path.join(ARTIFACTS, "chat-e2e-admin-ticket.png"), fullPage: true });
    await admin.context().close();
  });
});
