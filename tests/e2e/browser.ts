import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium, type Browser, type Frame, type Page } from "playwright-core";

export const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");

/** Debian's Chromium with the flags this machine needs (no sandbox as root, no background network). */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page as a merchant's browser: a desktop user agent (the library answers 410 to bots, and
 * headless Chromium announces itself as one), and Shopify's App Bridge CDN script, unreachable
 * here, served by the emulator's local stand-in.
 */
export async function merchantPage(browser: Browser, shopifyUrl: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  });
  const standIn = await (await fetch(`${shopifyUrl}/cdn/app-bridge.js`)).text();
  // Playwright tries the most recently added route first.
  await context.route("https://cdn.shopify.com/**", (route) => route.abort());
  await context.route("https://cdn.shopify.com/shopifycloud/app-bridge.js", (route) =>
    route.fulfill({ status: 200, contentType: "application/javascript", body: standIn }),
  );
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  if (process.env.E2E_DEBUG) {
    page.on("console", (message) => console.warn(`console ${message.type()}: ${message.text().slice(0, 300)}`));
    page.on("request", (request) => console.warn(`request ${request.url().slice(0, 120)}`));
    page.on("requestfailed", (request) =>
      console.warn(`failed ${request.url().slice(0, 120)} ${request.failure()?.errorText}`),
    );
  }
  return page;
}

/** The embedded app's frame inside the emulator's admin page. */
export async function appFrame(page: Page, appUrl: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const frame = page.frames().find((candidate) => candidate.url().startsWith(`${appUrl}/app`));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error(
    `the app never loaded in the admin iframe; frames: ${page
      .frames()
      .map((frame) => frame.url())
      .join(", ")}`,
  );
}

/** The admin's title bar above the app frame (App Bridge's ui-title-bar, drawn by the admin). */
export function titleBar(page: Page) {
  return page.locator("#admin-title-bar");
}

/** The title bar's title once it reads `title`. */
export async function waitForTitle(page: Page, title: string) {
  await page.locator("#admin-title-bar .tb-title", { hasText: new RegExp(`^${escapeRegExp(title)}$`) }).waitFor();
}

/** A toast the admin shows (App Bridge's shopify.toast.show). */
export function toast(page: Page, message: string) {
  return page.getByRole("status").filter({ hasText: message });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
