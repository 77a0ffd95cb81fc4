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

    await frame?.evaluate(() =>
      (window as unknown as { shopify: { toast: { show(m: string): void } } }).shopify.toast.show("Saved"),
    );
    expect(await frame?.locator('[data-testid="shopify-toast"]').textContent()).toBe("Saved");
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
});
