import path from "node:path";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { startWorker, type RunningProcess } from "../support/processes";
import { SANDBOX_SHOP, seedSandbox } from "../../scripts/seed-sandbox";
import { TEST_REDIS_URL } from "../support/test-env";
import { appFrame, ARTIFACTS, launchBrowser, merchantPage } from "./browser";

const appUrl = inject("appUrl");
const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
// The sandbox's own demo shop and seed: what `npm run sandbox` shows is what this test sees.
const shop = SANDBOX_SHOP;
const handle = shop.replace(".myshopify.com", "");

let browser: Browser;
let worker: RunningProcess;

const waitFor = <T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000) =>
  eventually(check, { timeoutMs, context: () => worker.output().slice(-3000) });

beforeAll(async () => {
  await seedSandbox(control);
  worker = await startWorker(inject("appEnv"));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await prisma.$disconnect();
});

describe("the embedded admin home page in Chromium", () => {
  it("renders the store through the library's real embedded auth, inside the admin frame", async () => {
    const page = await merchantPage(browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);

    await app.getByText("Sandbox Outfitters").waitFor();
    await expect(app.getByText("8 products · EUR").isVisible()).resolves.toBe(true);
    await expect(app.getByText("en (primary), fr, de, es").isVisible()).resolves.toBe(true);
    await expect(app.getByText("No failures").isVisible()).resolves.toBe(true);
    // App Bridge (the stand-in for Shopify's CDN script) is running inside the app.
    await app.waitForFunction(
      () => typeof (window as { shopify?: { idToken?: unknown } }).shopify?.idToken === "function",
    );

    await page.screenshot({ path: path.join(ARTIFACTS, "admin-home.png"), fullPage: true });
    await page.close();
  });

  it("shows a failed job with its error, and retries it from the Retry button", async () => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue("shop", { connection, prefix: QUEUE_PREFIX });
    const job = await queue.add("shop.scopes-updated", { shop, scopes: "not-a-list" });
    const failed = await waitFor(() => prisma.jobRun.findFirst({ where: { jobId: job.id, status: "FAILED" } }));

    const page = await merchantPage(browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);
    await app.getByText("Failed jobs").waitFor();
    // In the merchant's words first; the job name and error code only behind Details.
    await app.getByText("Recording the app's new permissions").waitFor();
    await expect(app.getByText("1 failed").isVisible()).resolves.toBe(true);
    await expect(app.getByText(/INVALID_INPUT/).isVisible()).resolves.toBe(false);
    await app.getByText("Details", { exact: true }).click();
    await app.getByText(/^shop.scopes-updated · INVALID_INPUT · invalid payload/).waitFor();
    await expect(app.getByText(/unexpected problem with this work/).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-home-failure.png"), fullPage: true });

    // The Remix action goes through App Bridge's authenticated fetch (Authorization: Bearer <session token>).
    await app.getByRole("button", { name: "Retry" }).click();
    const retried = await waitFor(async () => {
      const run = await prisma.jobRun.findUnique({ where: { id: failed.id } });
      return run && run.attempts > failed.attempts ? run : null;
    });
    expect(retried.attempts).toBeGreaterThan(failed.attempts);
    await queue.close();
    await connection.quit();
    await page.close();
  });

  it("guides a new merchant through setup, ticking steps as they are done", async () => {
    await prisma.shopSettings.updateMany({
      where: { shop: { domain: shop } },
      data: { setupDone: [], setupGuideHiddenAt: null },
    });
    await prisma.bulkRun.deleteMany({ where: { shopDomain: shop } });
    const page = await merchantPage(browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);
    await app.getByText("Set up Storewise").waitFor();
    await app.getByText("0 of 5 steps done").waitFor();
    // The next step is open with its action; the title bar's primary action is the first run.
    await expect(app.getByRole("link", { name: "Set brand voice" }).isVisible()).resolves.toBe(true);
    await expect(
      page
        .locator("#admin-title-bar")
        .getByRole("button", { name: "Write copy for products without a description" })
        .isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-home-setup-guide.png"), fullPage: true });

    await app.getByLabel("Mark “Describe your brand voice” as done").click();
    await app.getByText("1 of 5 steps done").waitFor();
    await app.getByRole("link", { name: "Choose mode" }).waitFor();
    const settings = await waitFor(async () => {
      const row = await prisma.shopSettings.findFirst({ where: { shop: { domain: shop } } });
      return row?.setupDone.includes("voice") ? row : null;
    });
    expect(settings.setupDone).toEqual(["voice"]);

    await app.getByRole("button", { name: "Dismiss guide" }).click();
    await app.getByRole("button", { name: "Show the setup guide" }).waitFor();
    await expect(app.getByText("Set up Storewise").count()).resolves.toBe(0);
    await page.close();
  });

  it("shows a month's small AI spend as less than a cent, never as $0.00", async () => {
    await prisma.llmUsage.create({
      data: { shopDomain: shop, task: "content", model: "gpt-4o-mini", promptTokens: 600, completionTokens: 300 },
    });
    const page = await merchantPage(browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);
    await app.getByText("AI usage this month").waitFor();
    await app.getByText(/< \$0\.01 · no cap/).waitFor();
    await expect(app.getByText("$0.00").count()).resolves.toBe(0);
    await page.close();
  });

  // 402 for a frozen shop: https://shopify.dev/docs/api/usage/response-codes
  it("says plainly when Shopify has frozen the store, and stops saying it once the store is paid", async () => {
    await control.setShopState(shop, "frozen");
    try {
      const page = await merchantPage(browser, shopifyUrl);
      await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
      const app = await appFrame(page, appUrl);
      await app.getByText("Shopify has frozen this store").waitFor();
      await expect(app.getByText(/pay the outstanding balance in Shopify admin/).isVisible()).resolves.toBe(true);
      await expect(app.getByText(/spends nothing on it meanwhile/).isVisible()).resolves.toBe(true);
      // The state banner replaces the generic "could not be reached" one.
      await expect(app.getByText("Shopify could not be reached").count()).resolves.toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-home-frozen.png"), fullPage: true });

      await control.setShopState(shop, "active");
      await page.reload();
      const again = await appFrame(page, appUrl);
      await again.getByText("Sandbox Outfitters").waitFor();
      await expect(again.getByText("Shopify has frozen this store").count()).resolves.toBe(0);
      await page.close();
    } finally {
      await control.setShopState(shop, "active");
      await prisma.shop.updateMany({ where: { domain: shop }, data: { unavailableState: null } });
    }
  });
});
