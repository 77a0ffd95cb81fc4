// The emulator's app proxy against the real app (from build/): a call from the storefront page
// reaches app/routes/proxy.$.ts, whose `authenticate.public.appProxy` accepts the emulator's
// signature (it answers its 404 JSON only after verifying), while the same path called directly
// with a forged signature is refused. The widget's launcher is on the page and has made no request
// to the app.
import { randomUUID } from "node:crypto";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { appProxySignature, storefrontUrl } from "../emulators/shopify/storefront";
import { seedShop } from "../support/seed";
import { ARTIFACTS, launchBrowser } from "./browser";

const appUrl = inject("appUrl");
const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
const shop = `storefront-${randomUUID().slice(0, 8)}.myshopify.com`;
let browser: Browser;

beforeAll(async () => {
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, name: "Storefront Shop" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await prisma.$disconnect();
});

describe("the storefront's app proxy with the real app", () => {
  it("is verified by authenticate.public.appProxy, as a guest and as a logged-in customer", async () => {
    const login = await control.storefrontLogin(shop, { email: "proxy@example.com" });
    const context = await browser.newContext();
    const page = await context.newPage();
    const appRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/apps/storewise")) appRequests.push(request.url());
    });
    await page.goto(`${storefrontUrl(shopifyUrl, shop)}/`);
    await page.getByRole("button", { name: "Chat with us" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(appRequests).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "storefront-real-app.png") });

    const probe = () =>
      page.evaluate(async () => {
        const response = await fetch("/apps/storewise/signature-probe?extra=1&extra=2", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "{}",
        });
        return { status: response.status, body: await response.text() };
      });
    // proxy.$.ts answers 404 JSON after a successful verification (400/401 before it).
    expect(await probe()).toEqual({ status: 404, body: JSON.stringify({ error: "Not found" }) });
    await page.goto(login.loginUrl);
    await page.getByText("Signed in as proxy@example.com").waitFor();
    expect(await probe()).toEqual({ status: 404, body: JSON.stringify({ error: "Not found" }) });
    await context.close();

    const forged = new URLSearchParams({
      shop,
      logged_in_customer_id: "1",
      path_prefix: "/apps/storewise",
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    forged.set("signature", appProxySignature(forged, "not-the-app-secret"));
    const direct = await fetch(`${appUrl}/proxy/signature-probe?${forged}`, { method: "POST", body: "{}" });
    expect([400, 401]).toContain(direct.status);
  });
});
