// The admin page and App Bridge stand-in in a real browser: the app loads in the admin iframe,
// `shopify.idToken()` works, same-origin fetches carry `Authorization: Bearer <session token>`,
// and the bounce page reloads with a fresh id_token. Skipped when no Chromium is installed
// (set CHROMIUM_PATH, or install Debian's `chromium`).
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET, SHOP, startTestEmulator, type TestEmulator } from "./test-helpers";

const executablePath = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
].find((p): p is string => Boolean(p && existsSync(p)));

let t: TestEmulator;
let app: Server;
let appUrl: string;
let browser: Browser;

/** The page a fake app serves at /app/chrome: every App Bridge web component, declared as documented. */
const CHROME_PAGE = `
  <ui-nav-menu>
    <a href="/app" rel="home">Home</a>
    <a href="/app/chrome">Chrome</a>
    <a href="/app/other">Other page</a>
  </ui-nav-menu>
  <ui-title-bar title="Products">
    <button variant="breadcrumb" onclick="clicks.push('breadcrumb')">Home</button>
    <button onclick="clicks.push('secondary')">Export</button>
    <button variant="primary" onclick="clicks.push('primary')">Create product</button>
    <div><button onclick="clicks.push('nested')">Nested</button></div>
    <section label="More actions"><button onclick="clicks.push('grouped')">Archive</button></section>
  </ui-title-bar>
  <form data-save-bar id="product-form">
    <input name="title" value="Linen Shirt" aria-label="Title">
  </form>
  <ui-save-bar id="programmatic-bar">
    <button variant="primary" onclick="clicks.push('bar-save')"></button>
    <button onclick="clicks.push('bar-discard')"></button>
  </ui-save-bar>
  <ui-modal id="confirm-run">
    <p>Writes copy for all 500 products and publishes it.</p>
    <ui-title-bar title="Run on every product?">
      <button variant="primary" onclick="clicks.push('modal-run'); shopify.modal.hide('confirm-run')">Run</button>
      <button onclick="shopify.modal.hide('confirm-run')">Cancel</button>
    </ui-title-bar>
  </ui-modal>
  <script>
    window.clicks = [];
    const form = document.getElementById("product-form");
    form.addEventListener("submit", (event) => { event.preventDefault(); clicks.push("submit"); });
    form.addEventListener("reset", () => clicks.push("reset"));
  </script>`;

/** A fake embedded app: pages load App Bridge from the emulator like the real app's layout does. */
function startFakeApp(emulatorUrl: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const appBridge = `<script src="${emulatorUrl()}/cdn/app-bridge.js" data-api-key="${API_KEY}"></script>`;
    const url = new URL(req.url ?? "/", "http://app.local");
    if (url.pathname === "/api/echo") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
      return;
    }
    const html =
      url.pathname === "/auth/session-token"
        ? `<!doctype html><html><head>${appBridge}</head><body>bouncing</body></html>`
        : url.pathname === "/app/chrome"
          ? `<!doctype html><html><head>${appBridge}</head><body><h1>In-app heading</h1>${CHROME_PAGE}</body></html>`
          : url.pathname === "/app/other"
            ? `<!doctype html><html><head><title>Other page</title>${appBridge}</head><body><p>The other page</p></body></html>`
            : `<!doctype html><html><head>${appBridge}</head><body><h1>App ${url.pathname}</h1>
           <script>
             window.__result = (async () => {
               const token = await shopify.idToken();
               const echo = await (await fetch("/api/echo")).json();
               return { token, echo, config: shopify.config };
             })();
           </script></body></html>`;
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(html);
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

describe.skipIf(!executablePath)("App Bridge stand-in in Chromium", () => {
  beforeAll(async () => {
    app = await startFakeApp(() => t.emu.url);
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    t = await startTestEmulator({ appUrl });
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((r) => app?.close(r));
  });

  it("loads the app in the admin iframe with a working idToken() and authorised fetches", async () => {
    const page = await browser.newPage();
    await page.goto(`${t.emu.url}/store/emulator-test/apps/storewise`);
    expect(await page.title()).toBe("Storewise · emulator-test · Shopify");
    const frame = page.frame({ name: "app-iframe" });
    expect(frame).not.toBeNull();
    await frame?.waitForFunction(() => "__result" in window);
    const result = (await frame?.evaluate(() => (window as unknown as { __result: Promise<unknown> }).__result)) as {
      token: string;
      echo: { authorization: string };
      config: { shop: string; apiKey: string };
    };
    expect(result.config).toMatchObject({ shop: SHOP, apiKey: API_KEY });
    const claims = jwt.verify(result.token, API_SECRET, { audience: API_KEY }) as jwt.JwtPayload;
    expect(claims.dest).toBe(`https://${SHOP}`);
    expect(result.echo.authorization).toMatch(/^Bearer /);
    const fetched = jwt.verify(result.echo.authorization.slice(7), API_SECRET, { audience: API_KEY }) as jwt.JwtPayload;
    expect(fetched.dest).toBe(`https://${SHOP}`);

    await page.close();
  });

  it("follows the bounce page's shopify-reload with a fresh id_token", async () => {
    const page = await browser.newPage();
    const target = `${appUrl}/app/settings?shop=${SHOP}&embedded=1`;
    await page.goto(`${appUrl}/auth/session-token?shop=${SHOP}&shopify-reload=${encodeURIComponent(target)}`);
    await page.waitForURL(/\/app\/settings\?.*id_token=/);
    const url = new URL(page.url());
    expect(url.searchParams.get("shop")).toBe(SHOP);
    const claims = jwt.verify(url.searchParams.get("id_token") ?? "", API_SECRET, {
      audience: API_KEY,
    }) as jwt.JwtPayload;
    expect(claims.iss).toBe(`https://${SHOP}/admin`);
    await page.close();
  });
  /** The admin page framing /app/chrome, and the app's frame once its App Bridge has reported. */
  async function openChrome() {
    const page = await browser.newPage();
    await page.goto(`${t.emu.url}/store/emulator-test/apps/storewise/app/chrome`);
    const frame = page.frame({ name: "app-iframe" });
    if (!frame) throw new Error("no app frame");
    await page.locator("#admin-title-bar .tb-title", { hasText: "Products" }).waitFor();
    return { page, frame, clicks: () => frame.evaluate(() => (window as unknown as { clicks: string[] }).clicks) };
  }
  type Shopify = {
    toast: { show(message: string, options?: { isError?: boolean; duration?: number }): string };
    modal: { show(id: string): Promise<void> };
    saveBar: { show(id: string): Promise<void>; leaveConfirmation(): Promise<void> };
  };

  // https://shopify.dev/docs/api/app-bridge-library/web-components/ui-title-bar: the title bar's
  // title, a primary and secondary buttons, a breadcrumb and <section label> groups are shown in the
  // admin, and a click runs the app's handler. Only direct <button>/<a> children are actions.
  it("draws the title bar in the admin above the frame, and a click there runs the app's button", async () => {
    const { page, frame, clicks } = await openChrome();
    const bar = page.locator("#admin-title-bar");
    await expect(bar.locator(".tb-actions > button").allTextContents()).resolves.toEqual(["Export", "Create product"]);
    await expect(bar.getByRole("button", { name: "More actions" }).isVisible()).resolves.toBe(true);
    await expect(bar.getByRole("button", { name: "Home" }).isVisible()).resolves.toBe(true);
    // A button wrapped in another element is not declared as App Bridge expects: not an action.
    await expect(bar.getByRole("button", { name: "Nested" }).count()).resolves.toBe(0);
    // Inside the app, the web component itself draws nothing.
    await expect(frame.getByRole("button", { name: "Create product" }).isVisible()).resolves.toBe(false);

    await bar.getByRole("button", { name: "Create product" }).click();
    await bar.getByRole("button", { name: "Export" }).click();
    await bar.getByRole("button", { name: "More actions" }).click();
    await bar.getByRole("menuitem", { name: "Archive" }).click();
    await bar.getByRole("button", { name: "Home" }).click();
    await frame.waitForFunction(() => (window as unknown as { clicks: string[] }).clicks.length === 4);
    await expect(clicks()).resolves.toEqual(["primary", "secondary", "grouped", "breadcrumb"]);
    await page.close();
  });

  // https://shopify.dev/docs/api/app-bridge-library/web-components/ui-nav-menu: the first link
  // (rel="home") is not rendered as a link; the others appear in the admin's left nav.
  it("draws the nav menu in the admin's left nav, and a link there loads the page in the frame", async () => {
    const { page, frame } = await openChrome();
    const nav = page.locator("#admin-app-nav");
    await expect(nav.getByRole("link").allTextContents()).resolves.toEqual(["Chrome", "Other page"]);
    await expect(nav.getByRole("link", { name: "Chrome" }).getAttribute("aria-current")).resolves.toBe("page");
    await nav.getByRole("link", { name: "Other page" }).click();
    // No shopify:navigate listener in this app: App Bridge loads the link's URL in the frame.
    await page.locator("#admin-title-bar .tb-title", { hasText: "Other page" }).waitFor();
    expect(new URL(frame.url()).pathname).toBe("/app/other");
    expect(new URL(page.url()).pathname).toBe("/store/emulator-test/apps/storewise/app/other");
    await page.close();
  });

  // https://shopify.dev/docs/api/app-bridge-library/apis/save-bar: a data-save-bar form shows the
  // save bar when a value differs from the initial one; Save submits, Discard resets, and either
  // hides it. leaveConfirmation() resolves only when no save bar shows or the merchant confirms.
  it("shows the save bar for a changed data-save-bar form, and guards leaving", async () => {
    const { page, frame, clicks } = await openChrome();
    const saveBar = page.getByRole("region", { name: "Contextual save bar" });
    const input = frame.getByLabel("Title");
    await expect(saveBar.isVisible()).resolves.toBe(false);

    await input.fill("Linen Shirt, blue");
    await saveBar.waitFor();
    await saveBar.getByRole("button", { name: "Discard" }).click();
    await saveBar.waitFor({ state: "hidden" });
    await expect(input.inputValue()).resolves.toBe("Linen Shirt");
    // Typing the initial value back is not a change.
    await input.fill("Linen Shirt!");
    await saveBar.waitFor();
    await input.fill("Linen Shirt");
    await saveBar.waitFor({ state: "hidden" });

    await input.fill("Linen Shirt, green");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await saveBar.waitFor({ state: "hidden" });
    await expect(clicks()).resolves.toEqual(["reset", "submit"]);

    // Leaving from the admin's nav with unsaved changes asks first; Stay keeps the page.
    await input.fill("Linen Shirt, red");
    await saveBar.waitFor();
    await page.locator("#admin-app-nav").getByRole("link", { name: "Other page" }).click();
    const leave = page.getByRole("alertdialog", { name: "Leave page with unsaved changes?" });
    await leave.waitFor();
    await leave.getByRole("button", { name: "Stay" }).click();
    await expect(saveBar.isVisible()).resolves.toBe(true);
    expect(new URL(frame.url()).pathname).toBe("/app/chrome");

    // The app's own guard: the promise waits for the merchant's answer.
    await frame.evaluate(() => {
      const w = window as unknown as { left: boolean };
      w.left = false;
      void (window as unknown as { shopify: Shopify }).shopify.saveBar.leaveConfirmation().then(() => (w.left = true));
    });
    await leave.waitFor();
    await expect(frame.evaluate(() => (window as unknown as { left: boolean }).left)).resolves.toBe(false);
    await leave.getByRole("button", { name: "Leave page" }).click();
    await frame.waitForFunction(() => (window as unknown as { left: boolean }).left);
    await saveBar.waitFor({ state: "hidden" });
    await page.close();
  });

  // https://shopify.dev/docs/api/app-bridge-library/web-components/ui-save-bar: the primary button
  // is Save, the one without a variant is Discard; shopify.saveBar.show(id) shows it.
  it("shows a ui-save-bar from shopify.saveBar.show, with its Save and Discard wired to the app's buttons", async () => {
    const { page, frame, clicks } = await openChrome();
    const saveBar = page.getByRole("region", { name: "Contextual save bar" });
    await frame.evaluate(() => (window as unknown as { shopify: Shopify }).shopify.saveBar.show("programmatic-bar"));
    await saveBar.waitFor();
    await saveBar.getByRole("button", { name: "Save" }).click();
    await saveBar.getByRole("button", { name: "Discard" }).click();
    await frame.waitForFunction(() => (window as unknown as { clicks: string[] }).clicks.length === 2);
    await expect(clicks()).resolves.toEqual(["bar-save", "bar-discard"]);
    await page.close();
  });

  // https://shopify.dev/docs/api/app-bridge-library/apis/toast: show(message, {isError, duration})
  // displays a toast in the admin, for `duration` ms (5000 by default).
  it("shows toasts in the admin, error-styled on request, for their duration", async () => {
    const { page, frame } = await openChrome();
    await frame.evaluate(() => {
      (window as unknown as { shopify: Shopify }).shopify.toast.show("Product saved", { duration: 1500 });
      (window as unknown as { shopify: Shopify }).shopify.toast.show("Could not publish", { isError: true });
    });
    const saved = page.getByRole("status").filter({ hasText: "Product saved" });
    await saved.waitFor();
    await expect(
      page.getByRole("status").filter({ hasText: "Could not publish" }).getAttribute("data-error"),
    ).resolves.toBe("true");
    await expect(frame.getByText("Product saved").count()).resolves.toBe(0);
    await saved.waitFor({ state: "detached", timeout: 5000 });
    await expect(page.getByRole("status").filter({ hasText: "Could not publish" }).isVisible()).resolves.toBe(true);
    await page.close();
  });

  // https://shopify.dev/docs/api/app-bridge-library/web-components/ui-modal: a ui-modal's content
  // and its ui-title-bar (title and buttons) are shown over the admin by shopify.modal.show(id).
  it("shows a ui-modal over the admin with its title, content and buttons", async () => {
    const { page, frame, clicks } = await openChrome();
    await expect(page.getByRole("dialog").count()).resolves.toBe(0);
    await frame.evaluate(() => (window as unknown as { shopify: Shopify }).shopify.modal.show("confirm-run"));
    const modal = page.getByRole("dialog", { name: "Run on every product?" });
    await modal.waitFor();
    await page
      .frameLocator('[data-testid="shopify-modal-content"]')
      .getByText("Writes copy for all 500 products and publishes it.")
      .waitFor();
    await expect(modal.locator(".modal-footer button").allTextContents()).resolves.toEqual(["Cancel", "Run"]);
    await modal.getByRole("button", { name: "Run" }).click();
    await modal.waitFor({ state: "detached" });
    await expect(clicks()).resolves.toEqual(["modal-run"]);
    await page.close();
  });
});
