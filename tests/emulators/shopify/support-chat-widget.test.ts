// The support chat widget (extensions/support-chat) on the emulator's storefront, in Chromium: the
// launcher makes no request to the app until opened, the conversation UI loads on the first
// click, keyboard-only use, answers rendered as text, the visitor token and dialog kept, the cart
// attribute, handoff, a friendly 429, a logged-in customer, French and RTL storefronts.
// The app behind the proxy is the stand-in (chat-stand-in.ts), which checks each signature with
// @shopify/shopify-api. Screenshots go to tests/artifacts/.
import { existsSync } from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ARTIFACTS, launchBrowser } from "../../e2e/browser";
import { DIALOG_ID, NEW_DIALOG_ID, startChatStandIn, type ChatStandIn } from "./chat-stand-in";
import { storefrontUrl } from "./storefront";
import { API_KEY, API_SECRET, SHOP, startTestEmulator, type TestEmulator } from "./test-helpers";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let app: ChatStandIn;
let t: TestEmulator;
let browser: Browser;
let context: BrowserContext;
let store: string;
const pageErrors: string[] = [];

async function shopperPage(width = 1280, height = 800): Promise<{ page: Page; requests: string[] }> {
  context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return { page, requests };
}

const toApp = (requests: string[]) => requests.filter((url) => new URL(url).pathname.startsWith("/apps/storewise"));
const launcher = (page: Page, name = "Chat with us") => page.getByRole("button", { name });

async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: /message|Votre message|رسالتك/ }).fill(text);
  await page.keyboard.press("Enter");
}

describe.skipIf(!existsSync(chromium))("support chat widget in Chromium", () => {
  beforeAll(async () => {
    app = await startChatStandIn(API_KEY, API_SECRET);
    t = await startTestEmulator({
      appUrl: app.url,
      tomlPath: path.resolve(import.meta.dirname, "../../../shopify.app.toml"),
    });
    await t.control.createShop({
      shop: SHOP,
      locales: [
        { locale: "en", primary: true },
        { locale: "fr", published: true },
        { locale: "ar", published: true },
      ],
    });
    store = storefrontUrl(t.emu.url, SHOP);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await app?.close();
  });

  beforeEach(() => {
    app.requests.length = 0;
    pageErrors.length = 0;
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  it("loads only the launcher, then the conversation UI on a keyboard open; answers are text; Escape returns focus", async () => {
    const { page, requests } = await shopperPage();
    await page.goto(`${store}/`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => launcher(page).isVisible()).toBe(true);
    expect(toApp(requests)).toEqual([]);
    expect(requests.filter((url) => url.includes("support-chat-ui"))).toEqual([]);
    expect(requests.filter((url) => url.includes("/assets/support-chat."))).toHaveLength(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "widget-closed.png") });

    // Keyboard only: Tab to the launcher (after the header's link), Enter opens the dialog.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.classList.contains("sw-launch"))) break;
    }
    expect(await page.evaluate(() => document.activeElement?.classList.contains("sw-launch"))).toBe(true);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Support" });
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("true");
    await page.waitForFunction(() => document.activeElement?.id === "sw-input");
    expect(requests.filter((url) => url.includes("support-chat-ui"))).toHaveLength(2);
    expect(toApp(requests)).toEqual([]);
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Ask me about orders");

    await page.keyboard.type("Do you ship to Canada?");
    await page.keyboard.press("Enter");
    await page.getByText("You said: Do you ship to Canada?").waitFor();
    expect(app.requests[0]?.signatureValid).toBe(true);
    expect(app.requests[0]?.body).toEqual({ message: "Do you ship to Canada?", locale: "en" });
    expect(await page.getByRole("log").getAttribute("aria-live")).toBe("polite");

    // An answer that is HTML shows as text: no element is created, no handler runs.
    const hostile = `<img src=x onerror="window.__pwned=1">Try <b>this</b>`;
    app.answerNext(hostile);
    await page.keyboard.type("Show me something");
    await page.keyboard.press("Enter");
    await page.getByText(hostile).waitFor();
    expect(await page.locator("#storewise-chat-dialog img, #storewise-chat-dialog b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The second message carries the dialog id and the visitor token the first answer gave.
    expect(app.requests[1]?.body).toEqual({
      message: "Show me something",
      dialogId: DIALOG_ID,
      locale: "en",
      visitorToken: "visitor-token-1",
    });
    await page.screenshot({ path: path.join(ARTIFACTS, "widget-open.png") });

    // The dialog started: the cart carries its id, and an order from this cart carries it back.
    const cart = async () =>
      (await page.evaluate(() => fetch("/cart.js").then((r) => r.json()))) as {
        token: string;
        attributes: Record<string, string>;
      };
    await expect.poll(async () => (await cart()).attributes.storewise_chat_dialog).toBe(DIALOG_ID);
    const order = await t.control.checkoutCart(SHOP, (await cart()).token);
    expect(order.note_attributes).toEqual([{ name: "storewise_chat_dialog", value: DIALOG_ID }]);
    // ...and so does the orders/create webhook the app receives.
    await expect
      .poll(() => app.webhooks.find((w) => w.topic === "orders/create" && w.body.id === order.id))
      .toMatchObject({ body: { note_attributes: [{ name: "storewise_chat_dialog", value: DIALOG_ID }] } });

    // Focus stays in the dialog: Tab from the last control wraps to the first, Shift+Tab back.
    await page.locator(".sw-send").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("sw-x");
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("sw-send");

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.classList.contains("sw-launch"))).toBe(true);
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("false");
    // Reopening keeps the conversation and loads nothing again.
    const uiLoads = requests.filter((url) => url.includes("support-chat-ui")).length;
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    expect(await page.getByText("You said: Do you ship to Canada?").isVisible()).toBe(true);
    expect(requests.filter((url) => url.includes("support-chat-ui")).length).toBe(uiLoads);

    // On the next page the conversation is still there (this tab's session), still as text, and
    // the page made no request to the app.
    const before = toApp(requests).length;
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(toApp(requests).length).toBe(before);
    await launcher(page).click();
    await page.getByText("You said: Do you ship to Canada?").waitFor();
    await page.getByText(hostile).waitFor();
    expect(await page.locator("#storewise-chat-dialog img, #storewise-chat-dialog b").count()).toBe(0);
  });

  it("hands off to a person with an email and question, and shows the app's friendly 429", async () => {
    await t.control.setStorefrontEmbed(SHOP, { settings: { handoff_email: "help@example.com" } });
    try {
      const { page } = await shopperPage();
      await page.goto(`${store}/`);
      await launcher(page).click();
      await page.getByRole("link", { name: "help@example.com" }).waitFor();
      expect(await page.getByRole("link", { name: "help@example.com" }).getAttribute("href")).toBe(
        "mailto:help@example.com",
      );
      await send(page, "I want to talk to a human");
      await page.getByText("I'll pass this to our team.").waitFor();
      const email = page.getByRole("textbox", { name: "Your email" });
      await page.waitForFunction(() => document.activeElement?.id === "sw-email");
      expect(await page.getByRole("textbox", { name: "Your question" }).inputValue()).toBe("I want to talk to a human");
      await email.fill("shopper@example.com");
      await page.getByRole("button", { name: "Send to our team" }).click();
      await page.getByText("Thanks, our team will email you.").waitFor();
      expect(app.requests[1]?.body).toMatchObject({
        dialogId: DIALOG_ID,
        handoff: { email: "shopper@example.com", question: "I want to talk to a human" },
      });
      expect(await page.locator(".sw-hand").count()).toBe(0);

      await send(page, "rate limit me");
      await page.getByText("Vous écrivez très vite : réessayez dans une minute.").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "widget-handoff-429.png") });
      // The 429 carried the visitor's token, and the next message sends it back.
      expect(app.requests.at(-1)?.body).toMatchObject({ visitorToken: "visitor-token-1" });
    } finally {
      await t.control.setStorefrontEmbed(SHOP, { settings: { handoff_email: "" } });
    }
  });

  it("forgets a dialog the app no longer knows (404 dialog_not_found) and starts a new one", async () => {
    const { page } = await shopperPage();
    await page.goto(`${store}/`);
    await launcher(page).click();
    await send(page, "Hello");
    await page.getByText("You said: Hello").waitFor();
    await send(page, "Forget my dialog please");
    await page.getByText("You said: Forget my dialog please").waitFor();
    // The refused call carried the old id; the retry carried none and got a new dialog.
    expect(app.requests.slice(1).map((r) => r.body?.dialogId)).toEqual([DIALOG_ID, undefined]);
    expect(await page.evaluate(() => sessionStorage.getItem("storewise_chat_dialog"))).toBe(NEW_DIALOG_ID);
    await send(page, "And now?");
    await page.getByText("You said: And now?").waitFor();
    expect(app.requests.at(-1)?.body).toMatchObject({ dialogId: NEW_DIALOG_ID, visitorToken: "visitor-token-1" });
    expect(await page.getByText("Sorry").count()).toBe(0);
  });

  it("keeps the merchant's colour readable: dark text on a light colour, white on a dark one", async () => {
    await t.control.setStorefrontEmbed(SHOP, { settings: { accent_color: "#ffd700", position: "start" } });
    try {
      const { page } = await shopperPage();
      await page.goto(`${store}/`);
      const button = launcher(page);
      await button.waitFor();
      const look = await button.evaluate((node) => {
        const style = getComputedStyle(node);
        return { color: style.color, background: style.backgroundColor, left: node.getBoundingClientRect().left };
      });
      expect(look).toMatchObject({ color: "rgb(17, 17, 17)", background: "rgb(255, 215, 0)" });
      expect(look.left).toBeLessThan(40);
      await button.click();
      expect(await page.locator(".sw-head").evaluate((node) => getComputedStyle(node).color)).toBe("rgb(17, 17, 17)");
      await page.screenshot({ path: path.join(ARTIFACTS, "widget-light-accent.png") });
    } finally {
      await t.control.setStorefrontEmbed(SHOP, { settings: { accent_color: "#1f5c4a", position: "end" } });
    }
    const { page } = await shopperPage();
    await page.goto(`${store}/`);
    expect(await launcher(page).evaluate((node) => getComputedStyle(node).color)).toBe("rgb(255, 255, 255)");
  });

  it("forwards the logged-in customer's id through the proxy", async () => {
    const login = await t.control.storefrontLogin(SHOP, { email: "grace@example.com" });
    const { page } = await shopperPage();
    await page.goto(login.loginUrl);
    await page.getByText("Signed in as grace@example.com").waitFor();
    await launcher(page).click();
    await send(page, "Where is my order?");
    await page.getByText("You said: Where is my order?").waitFor();
    expect(app.requests[0]?.signatureValid).toBe(true);
    expect(app.requests[0]?.query.get("logged_in_customer_id")).toBe(login.customerId.split("/").pop());
    expect(app.requests[0]?.headers.cookie).toBeUndefined();
  });

  it("speaks French on the French storefront and sends its locale", async () => {
    const { page } = await shopperPage();
    await page.goto(`${store}/fr/`);
    await launcher(page, "Discuter avec nous").click();
    await page.getByRole("dialog", { name: "Assistance" }).waitFor();
    expect(await page.getByRole("textbox", { name: "Votre message" }).getAttribute("placeholder")).toBe(
      "Écrivez votre question…",
    );
    expect(await page.getByRole("button", { name: "Fermer le chat" }).isVisible()).toBe(true);
    await send(page, "Livrez-vous au Canada ?");
    await page.getByText("You said: Livrez-vous au Canada ?").waitFor();
    expect(app.requests[0]?.body).toMatchObject({ locale: "fr" });
    // The cart attribute goes through the locale-aware cart URL (window.Shopify.routes.root).
    await expect
      .poll(async () =>
        page.evaluate(() => fetch("/fr/cart.js").then((r) => r.json() as Promise<{ attributes: object }>)),
      )
      .toMatchObject({ attributes: { storewise_chat_dialog: DIALOG_ID } });
    // A failing app shows the translated apology, and the chat stays usable.
    await send(page, "server error");
    await page.getByText("Désolé, le chat est indisponible pour le moment. Réessayez dans un instant.").waitFor();
    expect(await page.getByRole("button", { name: "Envoyer" }).isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "widget-fr.png") });
  });

  it("mirrors on an RTL storefront and fills a phone screen", async () => {
    const { page } = await shopperPage();
    await page.goto(`${store}/ar/`);
    const button = launcher(page, "تحدث معنا");
    const closed = await button.boundingBox();
    // Reading end in Arabic is the left.
    expect(closed && closed.x + closed.width).toBeLessThan(640);
    await button.click();
    const panel = await page.getByRole("dialog").boundingBox();
    expect(panel && panel.x).toBeLessThan(40);
    await send(page, "مرحبا");
    await page.getByText("You said: مرحبا").waitFor();
    const mine = await page.locator(".sw-me").boundingBox();
    const theirs = await page.locator(".sw-bot").first().boundingBox();
    // The shopper's own message sits at the reading end (left), the assistant's at the start (right).
    expect(mine && theirs && mine.x).toBeLessThan(theirs?.x ?? 0);
    await page.screenshot({ path: path.join(ARTIFACTS, "widget-rtl.png") });
    await context.close();

    const phone = await shopperPage(375, 700);
    await phone.page.goto(`${store}/`);
    await launcher(phone.page).click();
    const full = await phone.page.getByRole("dialog").boundingBox();
    expect(full).toMatchObject({ x: 0, y: 0, width: 375, height: 700 });
    await phone.page.screenshot({ path: path.join(ARTIFACTS, "widget-phone.png") });
  });
});
