import path from "node:path";

import { describe, expect, it } from "vitest";

import { appFrame, ARTIFACTS, merchantPage, titleBar, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "chrome", name: "Chrome Test Shop" });
const { appUrl, shopifyUrl, handle } = suite;

describe("the app in the admin's chrome", () => {
  it("has a nav menu whose labels are the pages' title-bar titles, with no in-page title or back arrow", async () => {
    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise`);
    const app = await appFrame(page, appUrl);
    await waitForTitle(page, "Storewise");
    // The home page's primary action is in the title bar.
    await titleBar(page).getByRole("button", { name: "Write copy for products without a description" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-title-bar.png"), fullPage: true });
    const nav = page.locator("#admin-app-nav");
    await nav.getByRole("link", { name: "Review copy" }).waitFor();
    const labels = await nav.getByRole("link").allTextContents();
    expect(labels).toEqual([
      "Review copy",
      "Product copy",
      "Bulk runs",
      "Translations",
      "Support chat",
      "Insights",
      "Settings",
      "Privacy requests",
    ]);

    for (const label of labels) {
      await nav.getByRole("link", { name: label, exact: true }).click();
      await waitForTitle(page, label);
      await expect(nav.getByRole("link", { name: label, exact: true }).getAttribute("aria-current")).resolves.toBe(
        "page",
      );
      // The title lives in the admin's title bar only: Polaris draws no page header or back arrow.
      await expect(app.locator(".Polaris-Page-Header").count()).resolves.toBe(0);
      await expect(app.getByRole("heading", { name: label, exact: true }).count()).resolves.toBe(0);
      if (label === "Settings") {
        // A form saves through the contextual save bar, not a title-bar button (settings.test.ts).
        await expect(titleBar(page).getByRole("button", { name: "Save" }).count()).resolves.toBe(0);
      }
    }
    await page.close();
  });

  it("shows an unknown app page as an error page inside the frame, with the way back", async () => {
    const page = await merchantPage(suite.browser, shopifyUrl);
    const response = await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/no-such-page`);
    expect(response?.status()).toBe(200);
    const app = await appFrame(page, appUrl);
    await waitForTitle(page, "Page not found");
    await app.getByRole("heading", { name: "Page not found" }).waitFor();
    await expect(app.getByText("This page doesn't exist in Storewise.", { exact: false }).isVisible()).resolves.toBe(
      true,
    );
    // The app's nav stays in the admin, and the page offers every page of the app.
    await expect(page.locator("#admin-app-nav").getByRole("link").count()).resolves.toBe(8);
    await expect(app.getByRole("link", { name: "Review copy" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "admin-error-page.png"), fullPage: true });

    await app.getByRole("link", { name: "Go to Home" }).click();
    await waitForTitle(page, "Storewise");
    expect(new URL(app.url()).pathname).toBe("/app");
    await page.close();
  });
});
