import { randomUUID } from "node:crypto";
import path from "node:path";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { appFrame, ARTIFACTS, merchantPage } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({
  prefix: "reason",
  name: "Reason Test Shop",
  prepare: (shop) =>
    prisma.shopSettings
      .updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } })
      .then(() => undefined),
});
const { appUrl, shopifyUrl, control, handle, shop, waitFor } = suite;
const llm = new LlmEmulatorControl(inject("llmUrl"));

afterAll(() => llm.clearOverrides());

describe("copy the sanitiser had to clean", () => {
  it("shows the merchant why it waits, on the review page and in the product's history", async () => {
    const token = `reason-${randomUUID()}`;
    const filler = "<p>A soft merino beanie knitted for cold mornings on the trail, warm without bulk.</p>";
    await llm.addOverride({
      match: token,
      fields: { descriptionHtml: `${filler}${filler}<script>alert(1)</script><img src=x onerror="alert(2)">` },
    });
    const product = await control.createProduct(shop, { title: `Summit Beanie ${token}`, vendor: "Northwind" });
    const draft = await waitFor(() =>
      prisma.contentVersion.findFirst({
        where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
      }),
    );
    const reason = "We removed unsafe markup from the AI's answer: <script>, <img>, onerror attribute.";

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/review`);
    const app = await appFrame(page, appUrl);
    await app.getByText(reason, { exact: false }).waitFor();
    await expect(app.getByText("Check before publishing", { exact: true }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "review-reason.png"), fullPage: true });

    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/content/${draft.productContentId}`);
    const history = await appFrame(page, appUrl);
    await history.getByRole("heading", { name: "Version 1" }).waitFor();
    await expect(history.getByText(reason, { exact: false }).isVisible()).resolves.toBe(true);
    expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(0);
    await page.close();
  });
});
