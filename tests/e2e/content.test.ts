import path from "node:path";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { appFrame, ARTIFACTS, merchantPage, toast } from "./browser";
import { emulatorControl } from "../emulators/shopify/control-client";
import { browserSuite } from "./suite";

const suite = browserSuite({
  prefix: "content",
  name: "Content Test Shop",
  // Two published languages and an unpublished one, for the language choice in settings.
  prepare: async (shop) => {
    await emulatorControl(inject("shopifyUrl")).createShop({
      shop,
      locales: [{ locale: "en", primary: true }, { locale: "fr" }, { locale: "de", published: false }],
    });
  },
});
const { appUrl, shopifyUrl, control, handle, shop, waitFor } = suite;

describe("review queue", () => {
  it("shows a draft beside what is live, and approving it publishes once", async () => {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "REVIEW" } });
    const product = await control.createProduct(shop, {
      title: "Harbor Knit Scarf",
      vendor: "Saltwater",
      productType: "Scarves",
    });
    const draft = await waitFor(() =>
      prisma.contentVersion.findFirst({
        where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
      }),
    );

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/review`);
    const app = await appFrame(page, appUrl);
    await app.getByRole("heading", { name: "Harbor Knit Scarf" }).waitFor();
    await expect(app.getByText("No copy from Storewise yet.").isVisible()).resolves.toBe(true);
    await expect(app.getByText(draft.metaTitle).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "review-queue.png"), fullPage: true });

    await app.getByRole("button", { name: "Approve", exact: true }).click();
    await app.getByText("Publishing 1 product.").waitFor();
    await toast(page, "Publishing 1 product.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-approve-toast.png"), fullPage: true });
    await waitFor(async () => (await prisma.contentVersion.findUnique({ where: { id: draft.id } }))?.status === "LIVE");
    await control.waitForWebhooks(10_000);
    const stored = await control.getProduct(shop, product.id);
    expect(stored.descriptionHtml).toBe(draft.descriptionHtml);
    expect((await control.stats(shop)).operations.productUpdate).toBe(1);
    await page.close();
  });
});

describe("version history", () => {
  it("regenerates with a note, then restores the first version", async () => {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
    const product = await control.createProduct(shop, {
      title: "Ridge Waterproof Jacket",
      vendor: "Northwind",
      productType: "Jackets",
    });
    const record = await waitFor(async () => {
      const row = await prisma.productContent.findUnique({
        where: { shopDomain_productId: { shopDomain: shop, productId: product.id } },
        include: { versions: true },
      });
      return row?.status === "LIVE" ? row : null;
    });
    const first = record.versions[0]!;

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/content/${record.id}`);
    const app = await appFrame(page, appUrl);
    await app.getByRole("heading", { name: "Version 1" }).waitFor();
    await app.getByLabel("Note for the writer").fill("mention that it is seam-sealed");
    await app.getByRole("button", { name: "Regenerate" }).click();
    await app.getByText("Writing new copy.").waitFor();
    const second = await waitFor(() =>
      prisma.contentVersion.findFirst({ where: { productContentId: record.id, version: 2, status: "DRAFT" } }),
    );
    expect(second.note).toBe("mention that it is seam-sealed");

    // Publish the new version, then bring the first one back from the history page.
    await prisma.contentVersion.update({ where: { id: second.id }, data: { status: "SUPERSEDED" } });
    await page.reload();
    const reloaded = await appFrame(page, appUrl);
    await reloaded.getByRole("heading", { name: "Version 2" }).waitFor();
    await reloaded.getByRole("button", { name: "Restore version 2" }).click();
    await waitFor(
      async () => (await prisma.contentVersion.findUnique({ where: { id: second.id } }))?.status === "LIVE",
    );
    expect((await prisma.contentVersion.findUnique({ where: { id: first.id } }))?.status).toBe("SUPERSEDED");

    await page.reload();
    const again = await appFrame(page, appUrl);
    await again.getByRole("button", { name: "Restore version 1" }).click();
    await waitFor(async () => (await prisma.contentVersion.findUnique({ where: { id: first.id } }))?.status === "LIVE");
    await control.waitForWebhooks(10_000);
    expect((await control.getProduct(shop, product.id)).descriptionHtml).toBe(first.descriptionHtml);
    await page.screenshot({ path: path.join(ARTIFACTS, "version-history.png"), fullPage: true });
    await page.close();
  });
});

describe("editing a draft", () => {
  it("holds edits to the same limits as generated copy, then saves them", async () => {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "REVIEW" } });
    const product = await control.createProduct(shop, {
      title: "Coastal Linen Shirt",
      vendor: "Saltwater",
      productType: "Shirts",
    });
    const draft = await waitFor(() =>
      prisma.contentVersion.findFirst({
        where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
      }),
    );

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/review`);
    const app = await appFrame(page, appUrl);
    await app.getByRole("heading", { name: "Coastal Linen Shirt" }).waitFor();
    // Earlier drafts of this shop were all handled, so this is the only card in the queue.
    const card = app;
    await card.getByRole("button", { name: "Edit", exact: true }).click();
    await card.getByLabel("SEO title").fill("A".repeat(80));
    await card.getByRole("button", { name: "Save draft" }).click();
    await card.getByText("The SEO title must be at most 70 characters").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-edit-error.png"), fullPage: true });

    await card.getByLabel("SEO title").fill("Coastal Linen Shirt – breathable summer linen");
    await card.getByRole("button", { name: "Save draft" }).click();
    await card.getByText("Coastal Linen Shirt – breathable summer linen").waitFor();
    const saved = await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(saved.metaTitle).toBe("Coastal Linen Shirt – breathable summer linen");
    expect(saved.status).toBe("DRAFT");
    await page.close();
  });
});
