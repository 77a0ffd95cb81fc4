import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { appFrame, ARTIFACTS, merchantPage, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "privacy", name: "Privacy Shop" });
const { appUrl, shopifyUrl, control, handle, shop, waitFor } = suite;

describe("the Privacy page", () => {
  it("lists a customer's data request and downloads its export as JSON", async () => {
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [],
      customer: { id: 4242, email: "asks@example.com", phone: null },
      data_request: { id: 808 },
    });
    await waitFor(() => prisma.complianceRequest.findFirst({ where: { shopDomain: shop, status: "completed" } }));

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/privacy`);
    const app = await appFrame(page, appUrl);
    await waitForTitle(page, "Privacy requests");
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
