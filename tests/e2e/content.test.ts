import path from "node:path";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { appFrame, ARTIFACTS, merchantPage, titleBar, toast } from "./browser";
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
  it("shows the product's description in Shopify beside the full draft, and approving it publishes once", async () => {
    await prisma.shopSettings.updateMany({
      where: { shop: { domain: shop } },
      data: { contentMode: "REVIEW", overwriteDescriptions: true },
    });
    const product = await control.createProduct(shop, {
      title: "Harbor Knit Scarf",
      vendor: "Saltwater",
      productType: "Scarves",
      // Someone's description, with a script in it: the page shows the words, never runs the script.
      descriptionHtml:
        "<p>Our <strong>original</strong> scarf, knitted by hand in Maine.</p><script>window.__pwned = true</script>",
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
    const before = app.getByLabel("Current description");
    await expect(before.innerHTML()).resolves.toBe(
      "<p>Our <strong>original</strong> scarf, knitted by hand in Maine.</p>",
    );
    await expect(app.evaluate(() => (window as { __pwned?: boolean }).__pwned)).resolves.toBeUndefined();
    // The After is everything the product page and search engines will get.
    await expect(app.getByLabel("New description").innerHTML()).resolves.toBe(draft.descriptionHtml);
    await expect(app.getByText(draft.shortDescription).isVisible()).resolves.toBe(true);
    for (const text of [
      ...draft.features,
      ...draft.useCases,
      ...draft.keywords,
      draft.metaTitle,
      draft.metaDescription,
    ]) {
      await expect(app.getByText(text, { exact: true }).first().isVisible(), text).resolves.toBe(true);
    }
    await app.getByText(`SEO title ${draft.metaTitle.length}/70`).waitFor();
    await app.getByText(`SEO description ${draft.metaDescription.length}/160`).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-card.png"), fullPage: true });

    await app.getByRole("button", { name: "Approve", exact: true }).click();
    // The card goes at once; the toast follows when the server has queued the publish.
    await app.getByRole("heading", { name: "Harbor Knit Scarf" }).waitFor({ state: "detached" });
    await toast(page, "Publishing 1 product").waitFor();
    await app.getByText("Nothing to review").waitFor();
    // An empty list says what fills it.
    await app.getByRole("link", { name: "Write copy for existing products" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-approve-toast.png"), fullPage: true });
    await waitFor(async () => (await prisma.contentVersion.findUnique({ where: { id: draft.id } }))?.status === "LIVE");
    await control.waitForWebhooks(10_000);
    const stored = await control.getProduct(shop, product.id);
    expect(stored.descriptionHtml).toBe(draft.descriptionHtml);
    expect((await control.stats(shop)).operations.productUpdate).toBe(1);
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { overwriteDescriptions: false } });
    await page.close();
  });

  it("rejects at once, and brings a card back with the reason when the server refuses", async () => {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "REVIEW" } });
    const products = [
      await control.createProduct(shop, { title: "Kelp Tote Bag", vendor: "Saltwater", productType: "Bags" }),
      await control.createProduct(shop, { title: "Lighthouse Print", vendor: "Saltwater", productType: "Art" }),
    ];
    const [tote, print] = await Promise.all(
      products.map((product) =>
        waitFor(() =>
          prisma.contentVersion.findFirst({
            where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
          }),
        ),
      ),
    );

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/review`);
    const app = await appFrame(page, appUrl);
    const toteCard = app.getByRole("region", { name: "Draft for Kelp Tote Bag" });
    const printCard = app.getByRole("region", { name: "Draft for Lighthouse Print" });
    await printCard.waitFor();

    await toteCard.getByRole("button", { name: "Reject" }).click();
    await toteCard.waitFor({ state: "detached" });
    await toast(page, "Draft rejected").waitFor();
    await waitFor(
      async () => (await prisma.contentVersion.findUnique({ where: { id: tote!.id } }))?.status === "REJECTED",
    );

    // Another tab approved this draft after the page loaded (it is being written now): approving it
    // here is refused, and the card comes back saying so.
    await prisma.contentVersion.update({
      where: { id: print!.id },
      data: { status: "PUBLISHING", claimedAt: new Date() },
    });
    await printCard.getByRole("button", { name: "Approve", exact: true }).click();
    await printCard.getByText("Those drafts were already handled.").waitFor();
    await printCard.getByText("Publishing v1").waitFor();
    await toast(page, "Those drafts were already handled.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-approve-refused.png"), fullPage: true });
    await prisma.contentVersion.update({ where: { id: print!.id }, data: { status: "REJECTED", claimedAt: null } });
    await page.close();
  });

  it("asks before approving all, naming how many products go live, then publishes each once", async () => {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "REVIEW" } });
    const writesBefore = (await control.stats(shop)).operations.productUpdate ?? 0;
    const products = [
      await control.createProduct(shop, { title: "Tidepool Mug", vendor: "Saltwater", productType: "Mugs" }),
      await control.createProduct(shop, { title: "Driftwood Coaster Set", vendor: "Saltwater", productType: "Home" }),
    ];
    const drafts = await Promise.all(
      products.map((product) =>
        waitFor(() =>
          prisma.contentVersion.findFirst({
            where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
          }),
        ),
      ),
    );

    const page = await merchantPage(suite.browser, shopifyUrl);
    await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/review`);
    const app = await appFrame(page, appUrl);
    await app.getByRole("heading", { name: "Driftwood Coaster Set" }).waitFor();
    await titleBar(page).getByRole("button", { name: "Approve all (2)" }).click();
    const modal = page.getByRole("dialog", { name: "Publish 2 products?" });
    await modal.waitFor();
    await page
      .frameLocator('[data-testid="shopify-modal-content"]')
      .getByText("2 products will be published to your live store.")
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-approve-all-modal.png"), fullPage: true });
    // Nothing is queued until the merchant confirms.
    expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(writesBefore);

    await modal.getByRole("button", { name: "Publish 2 products" }).click();
    await modal.waitFor({ state: "detached" });
    await app.getByText("Nothing to review").waitFor();
    await toast(page, "Publishing 2 products").waitFor();
    for (const draft of drafts) {
      await waitFor(
        async () => (await prisma.contentVersion.findUnique({ where: { id: draft.id } }))?.status === "LIVE",
      );
    }
    await control.waitForWebhooks(10_000);
    expect((await control.stats(shop)).operations.productUpdate).toBe(writesBefore + 2);
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
  it("edits every field in place with a preview, held to the same limits as generated copy", async () => {
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
    // The counter stops where the server does: 70, not more.
    await card.getByLabel("SEO title").fill("A".repeat(80));
    await expect(card.getByLabel("SEO title").inputValue()).resolves.toBe("A".repeat(70));
    await card.getByText("70/70").waitFor();
    await card.getByLabel("SEO title").fill("Too short");
    await card.getByLabel("Features").fill("Breathable linen");
    await card.getByRole("button", { name: "Save draft" }).click();
    await card.getByText("The SEO title needs at least 10 characters").waitFor();
    await card.getByText("Add at least 3 features, one per line").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "review-edit-error.png"), fullPage: true });

    await card.getByLabel("SEO title").fill("Coastal Linen Shirt – breathable summer linen");
    await card.getByLabel("Features").fill("Breathable linen\nRelaxed fit\nMother-of-pearl buttons");
    // The preview is the page the HTML makes, cleaned as it will be published.
    await card
      .getByLabel("Description (HTML)")
      .fill('<h2>Made for August</h2><p>Light <em>washed</em> linen.</p><img src=x onerror="alert(1)">');
    const preview = card.getByLabel("Description preview");
    await preview.getByRole("heading", { name: "Made for August" }).waitFor();
    await expect(preview.innerHTML()).resolves.toBe("<h2>Made for August</h2><p>Light <em>washed</em> linen.</p>");
    await page.screenshot({ path: path.join(ARTIFACTS, "review-edit-preview.png"), fullPage: true });
    await card.getByRole("button", { name: "Save draft" }).click();
    await card.getByText("Coastal Linen Shirt – breathable summer linen").waitFor();
    await toast(page, "Draft saved").waitFor();
    const saved = await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(saved.metaTitle).toBe("Coastal Linen Shirt – breathable summer linen");
    expect(saved.features).toEqual(["Breathable linen", "Relaxed fit", "Mother-of-pearl buttons"]);
    expect(saved.descriptionHtml).toBe("<h2>Made for August</h2><p>Light <em>washed</em> linen.</p>");
    expect(saved.reviewReason).toContain("We removed unsafe markup from your edit");
    expect(saved.status).toBe("DRAFT");
    await page.close();
  });
});
