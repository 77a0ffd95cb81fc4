import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { startWorker, type RunningProcess } from "../support/processes";
import { seedShop } from "../support/seed";
import { appFrame, ARTIFACTS, launchBrowser, merchantPage } from "./browser";

const appUrl = inject("appUrl");
const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
const handle = `privacy-${randomUUID().slice(0, 8)}`;
const shop = `${handle}.myshopify.com`;

let browser: Browser;
let worker: RunningProcess;

beforeAll(async () => {
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, name: "Privacy Shop" });
  worker = await startWorker(inject("appEnv"));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await prisma.$disconnect();
});

describe("the Privacy page", () => {
  it("lists a customer's data request and downloads its export as JSON", async () => {
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [],
      customer: { id: 4242, email: "asks@example.com", phone: null },
      data_request: { id: 808 },
    });
    await eventually(() => prisma.complianceRequest.findFirst({ where: { shopDomain: shop, status: "completed" } }), {
      context: () => worker.output().slice(-3000),
    });

    const page = await merchantPage(browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/privacy`);
    const app = await appFrame(page, appUrl);
    await app.getByRole("heading", { name: "Privacy requests" }).waitFor();
    await app.getByText("Customer 4242").waitFor();
    await expect(app.getByText("Ready", { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "privacy-requests.png"), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      app.getByRole("button", { name: "Download (JSON)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^storewise-data-request-.+\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), "utf8")) as Record<string, unknown>;
    expect(exported).toMatchObject({ shop, dataRequestId: "808", customerId: "4242" });
    await page.close();
  });
});
