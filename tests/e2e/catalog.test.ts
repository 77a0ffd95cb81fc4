import path from "node:path";

import type { ContentStatus } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { appFrame, ARTIFACTS, merchantPage, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "catalog", name: "Catalog Test Shop" });
const { appUrl, shopifyUrl, control, handle, shop } = suite;
const ids: Record<string, string> = {};
const records: Record<string, string> = {};

const LIVE_COPY = {
  descriptionHtml:
    "<p>A warm merino sock for cold trails.</p><ul><li>Cushioned heel</li><li>Made in Portugal</li></ul>",
  shortDescription: "Warm merino socks for winter hikes.",
  features: ["Merino wool", "Cushioned heel"],
  useCases: ["Winter hiking"],
  keywords: ["merino socks", "hiking socks"],
  metaTitle: "Alpine Wool Socks | Merino hiking socks",
  metaDescription: "Warm merino socks with a cushioned heel for winter hikes.",
};
const DRAFT_COPY = {
  descriptionHtml:
    "<p>A soft merino sock for long, cold trails.</p><ul><li>Cushioned heel and toe</li><li>Made in Portugal</li></ul>",
  shortDescription: "Soft merino socks for long winter hikes.",
  features: ["Merino wool", "Cushioned heel and toe", "Reinforced toe"],
  useCases: ["Winter hiking", "Ski touring"],
  keywords: ["merino socks", "ski socks"],
  metaTitle: "Alpine Wool Socks | Merino hiking socks",
  metaDescription: "Soft merino socks with a cushioned heel and toe for long winter hikes.",
};

/** A copy record as the pipeline leaves it, with its versions. */
async function record(
  title: string,
  status: ContentStatus,
  versions: Array<{ status: "DRAFT" | "LIVE"; copy: typeof LIVE_COPY; publishedAt?: Date }>,
  skippedReason: string | null = null,
) {
  const created = await prisma.productContent.create({
    data: { shopDomain: shop, productId: ids[title]!, title, status, skippedReason },
  });
  records[title] = created.id;
  for (const [index, version] of versions.entries()) {
    const row = await prisma.contentVersion.create({
      data: {
        productContentId: created.id,
        version: index + 1,
        status: version.status,
        ...version.copy,
        factsHash: "facts",
        createdAt: new Date(Date.UTC(2026, 10, 1 + index, 9, 30)),
        publishedAt: version.publishedAt ?? null,
      },
    });
    if (version.status === "LIVE") {
      await prisma.productContent.update({ where: { id: created.id }, data: { liveVersionId: row.id } });
    }
  }
}

beforeAll(async () => {
  const winter = [{ title: "Winter" }];
  const products = [
    { title: "Alpine Wool Socks", descriptionHtml: "<p>Warm.</p>", collections: winter },
    { title: "Birch Cutting Board" },
    { title: "Cedar Candle", descriptionHtml: "<p>Smoky.</p>", collections: winter },
    { title: "Driftwood Lamp", descriptionHtml: "<p>Bright.</p>" },
    { title: "Fjord Rain Jacket", descriptionHtml: "<p>Dry.</p>", collections: winter },
    { title: "Harbor Knit Scarf", descriptionHtml: "<p>Cosy.</p>", collections: winter },
  ];
  // Silent: no products/create webhooks, so the worker writes nothing and the records below are all.
  for (const product of products)
    ids[product.title] = (await control.createProduct(shop, product, { silent: true })).id;
  await record("Alpine Wool Socks", "LIVE", [
    { status: "LIVE", copy: LIVE_COPY, publishedAt: new Date(Date.UTC(2026, 10, 1, 10, 0)) },
    { status: "DRAFT", copy: DRAFT_COPY },
  ]);
  await record("Cedar Candle", "LIVE", [
    { status: "LIVE", copy: LIVE_COPY, publishedAt: new Date(Date.UTC(2026, 10, 3, 8, 15)) },
  ]);
  await record("Driftwood Lamp", "SKIPPED", [], "Its vendor is excluded in settings.");
  await record("Fjord Rain Jacket", "PAUSED", [], "This month's token cap is used up.");
});

describe("product copy list", () => {
  it("lists the whole catalog with copy status, then searches and filters, kept in the URL", async () => {
    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/content`);
    let app = await appFrame(page, appUrl);
    await waitForTitle(page, "Product copy");
    await app.getByText("Harbor Knit Scarf").waitFor();
    const statusOf = (title: string) => app.getByRole("row").filter({ hasText: title }).innerText();
    expect(await statusOf("Alpine Wool Socks")).toMatch(/Draft pending review \(version 2\)[\s\S]*Version 1/);
    expect(await statusOf("Birch Cutting Board")).toMatch(/No copy yet[\s\S]*No description/);
    expect(await statusOf("Cedar Candle")).toMatch(/Live[\s\S]*Published Nov 3, 2026/);
    expect(await statusOf("Driftwood Lamp")).toContain("Its vendor is excluded in settings.");
    expect(await statusOf("Fjord Rain Jacket")).toMatch(/Paused[\s\S]*token cap/);
    await page.screenshot({ path: path.join(ARTIFACTS, "catalog-list.png"), fullPage: true });

    // Each filter loads its first page; the app's URL, then the admin's, carries it.
    await app.getByRole("combobox", { name: "Collection" }).selectOption({ label: "Winter" });
    await app.waitForURL(/collection=gid/);
    await app.getByText("Birch Cutting Board").waitFor({ state: "detached" });
    await app.getByRole("combobox", { name: "Copy status" }).selectOption("live");
    await app.waitForURL(/status=live/);
    await app.getByText("Fjord Rain Jacket").waitFor({ state: "detached" });
    const search = app.getByRole("textbox", { name: "Search by title" });
    await search.fill("wool");
    await search.press("Enter");
    await app.waitForURL(/q=wool/);
    // Live and in Winter are the socks and the candle; only the socks have "wool" in their title.
    await app.getByText("Cedar Candle").waitFor({ state: "detached" });
    await app.getByRole("row").filter({ hasText: "Alpine Wool Socks" }).waitFor();
    await expect(app.getByRole("row").count()).resolves.toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "catalog-filtered.png"), fullPage: true });

    // The admin's URL carries the filters, so a reload shows the same selection.
    await page.waitForURL(/status=live.*q=wool|q=wool.*status=live/);
    await page.reload();
    app = await appFrame(page, appUrl);
    await app.getByText("Alpine Wool Socks").waitFor();
    await expect(app.getByRole("combobox", { name: "Copy status" }).inputValue()).resolves.toBe("live");
    await expect(app.getByRole("textbox", { name: "Search by title" }).inputValue()).resolves.toBe("wool");

    const again = app.getByRole("textbox", { name: "Search by title" });
    await again.fill("velvet");
    await again.press("Enter");
    await app.getByText("No products match these filters").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "catalog-empty-filters.png"), fullPage: true });
    await app.getByRole("button", { name: "Clear filters" }).click();
    await app.getByText("Birch Cutting Board").waitFor();

    // The product's page in the Shopify admin, through App Bridge's shopify://admin link.
    const row = app.getByRole("row").filter({ hasText: "Birch Cutting Board" });
    const link = row.getByRole("link", { name: "View in Shopify" });
    expect(await link.getAttribute("href")).toBe(
      `shopify://admin/products/${ids["Birch Cutting Board"]!.replace("gid://shopify/Product/", "")}`,
    );
    await link.click();
    await page.getByTestId("admin-product-title").filter({ hasText: "Birch Cutting Board" }).waitFor();
    await page.close();
  });
});

describe("product copy history", () => {
  it("shows every version in full, with the draft's changes against the live version", async () => {
    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/content/${records["Alpine Wool Socks"]}`);
    const app = await appFrame(page, appUrl);
    await waitForTitle(page, "Alpine Wool Socks");
    await app.getByRole("heading", { name: "Changes from the live copy" }).waitFor();
    await app.getByText("Compared with the live version (1)").waitFor();
    // Only the draft is compared; the live version is the reference.
    await expect(app.getByRole("heading", { name: "Changes from the live copy" }).count()).resolves.toBe(1);
    await expect(app.locator("ins", { hasText: "Ski touring" }).count()).resolves.toBe(1);
    await expect(app.locator("del", { hasText: "hiking socks" }).count()).resolves.toBe(1);
    await expect(app.locator("ins", { hasText: "Soft" }).first().isVisible()).resolves.toBe(true);
    await expect(app.getByText("Published Nov 1, 2026", { exact: false }).count()).resolves.toBe(1);
    await expect(app.getByText("Never published").count()).resolves.toBe(1);
    // The description is shown as HTML, its list as a list.
    await expect(app.locator(".storewise-description li", { hasText: "Made in Portugal" }).count()).resolves.toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "history-diff.png"), fullPage: true });
    // The admin frames the app at a fixed height: the live version is further down the frame.
    await app.getByRole("heading", { name: "Version 1", exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, "history-live-version.png"), fullPage: true });
    await page.close();
  });
});
