// The review page shows what will be published: the product's description as Shopify has it now
// (read in one batch, and the page still loads when Shopify fails), and drafts written with the
// merchant's note for the writer.
import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const llm = new LlmEmulatorControl(inject("llmUrl"));
const appUrl = inject("appUrl");
const { waitUntil } = withWorker();

afterEach(async () => {
  await llm.clearOverrides();
  await control.clearFaults();
});

async function reviewShop() {
  const shop = `review-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  await prisma.shopSettings.updateMany({
    where: { shop: { domain: shop } },
    data: { contentMode: "REVIEW", overwriteDescriptions: true },
  });
  return shop;
}

const draftOf = (shop: string, productId: string) =>
  waitUntil(() =>
    prisma.contentVersion.findFirst({
      where: { status: "DRAFT", productContent: { shopDomain: shop, productId } },
      orderBy: { version: "desc" },
    }),
  );

describe("the review page's Before", () => {
  it("is each product's description in Shopify now, read for the whole page in one query", async () => {
    const shop = await reviewShop();
    const first = await control.createProduct(shop, {
      title: "Cedar Candle",
      descriptionHtml: "<p>Poured by hand in small batches.</p>",
    });
    const second = await control.createProduct(shop, {
      title: "Sea Salt Soap",
      descriptionHtml: "<p>Cold-process soap with Atlantic salt.</p>",
    });
    await draftOf(shop, first.id);
    await draftOf(shop, second.id);
    // Someone edits the description in Shopify after the draft was written: Before shows the edit.
    await control.updateProduct(
      shop,
      second.id,
      { descriptionHtml: "<p>Edited in the admin today.</p>" },
      { silent: true },
    );
    const nodesBefore = (await control.stats(shop)).operations.nodes ?? 0;

    const page = await adminRequest(appUrl, shop, "/app/review");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<p>Poured by hand in small batches.</p>");
    expect(page.body).toContain("<p>Edited in the admin today.</p>");
    expect(page.body).not.toContain("<p>Cold-process soap with Atlantic salt.</p>");
    expect((await control.stats(shop)).operations.nodes).toBe(nodesBefore + 1);
  });

  it("reads more than one query's worth of products in queries of 250, leaving out the deleted ones", async () => {
    const { storeForRequest } = await import("~/composition.server");
    const shop = await reviewShop();
    const { ids } = await control.createProducts(shop, {
      count: 251,
      template: { descriptionHtml: "<p>Description of product {i}.</p>" },
      silent: true,
    });
    const gone = "gid://shopify/Product/999999999999";
    const descriptions = await storeForRequest(shop).currentDescriptions([...ids, gone]);
    expect(descriptions.size).toBe(251);
    expect(descriptions.has(gone)).toBe(false);
    expect(descriptions.get(ids[250]!)).toBe("<p>Description of product 251.</p>");
    expect((await control.stats(shop)).operations.nodes).toBe(2);
  });

  it("says it could not be loaded when Shopify fails, and the drafts still show", async () => {
    const shop = await reviewShop();
    const product = await control.createProduct(shop, {
      title: "Juniper Room Spray",
      descriptionHtml: "<p>Juniper and pine.</p>",
    });
    const draft = await draftOf(shop, product.id);
    await control.setFaults({ shop, graphql5xx: 50, status: 503 });

    const page = await adminRequest(appUrl, shop, "/app/review");
    expect(page.status).toBe(200);
    expect(page.body).toContain('"unavailable"');
    expect(page.body).toContain(draft.metaTitle);
    expect(page.body).not.toContain("<p>Juniper and pine.</p>");
  });
});

describe("regenerating with a note", () => {
  it("sends the note to the writer and keeps it on the new version, through a later edit too", async () => {
    const shop = await reviewShop();
    const product = await control.createProduct(shop, { title: "Ridge Rain Shell", productType: "Jackets" });
    const first = await draftOf(shop, product.id);
    const note = `mention the seam-sealed zips ${randomUUID().slice(0, 6)}`;
    // Fires only for a request whose messages contain the note: the new draft's title proves it.
    await llm.addOverride({ match: note, times: 1, fields: { metaTitle: "Ridge Rain Shell with seam-sealed zips" } });

    const asked = await adminRequest(appUrl, shop, `/app/content/${first.productContentId}`, {
      intent: "regenerate",
      note,
    });
    expect(asked.status).toBe(200);
    const second = await waitUntil(() =>
      prisma.contentVersion.findFirst({ where: { productContentId: first.productContentId, version: 2 } }),
    );
    expect(second.metaTitle).toBe("Ridge Rain Shell with seam-sealed zips");
    expect(await llm.overrides()).toEqual([]);
    expect(second.note).toBe(note);

    const edited = await adminRequest(appUrl, shop, "/app/review", {
      intent: "edit",
      versionId: second.id,
      metaTitle: "Ridge Rain Shell – sealed against the storm",
      metaDescription: second.metaDescription,
      shortDescription: second.shortDescription,
      descriptionHtml: second.descriptionHtml,
    });
    expect(edited.body).toContain("Draft saved.");
    const after = await prisma.contentVersion.findUniqueOrThrow({ where: { id: second.id } });
    expect(after.metaTitle).toBe("Ridge Rain Shell – sealed against the storm");
    expect(after.note).toBe(note);
    const history = await adminRequest(appUrl, shop, `/app/content/${first.productContentId}`);
    expect(history.body).toContain(note);
  });
});

describe("editing a draft's lists", () => {
  it("saves features, use cases and keywords one per line, with an error per field", async () => {
    const shop = await reviewShop();
    const product = await control.createProduct(shop, { title: "Tide Chart Poster" });
    const draft = await draftOf(shop, product.id);
    const form = {
      intent: "edit",
      versionId: draft.id,
      metaTitle: draft.metaTitle,
      metaDescription: draft.metaDescription,
      shortDescription: draft.shortDescription,
      descriptionHtml: draft.descriptionHtml,
    };

    const refused = await adminRequest(appUrl, shop, "/app/review", {
      ...form,
      features: "Archival paper",
      useCases: "Beach house\nGift",
      seoKeywords: `tide chart\nposter\n${"x".repeat(41)}\ncoastal\nprint`,
    });
    expect(refused.body).toContain("Add at least 3 features, one per line");
    expect(refused.body).toContain("Each keyword must be at most 40 characters");
    expect((await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } })).features).toEqual(
      draft.features,
    );

    const saved = await adminRequest(appUrl, shop, "/app/review", {
      ...form,
      features: "Archival paper\n\n  Printed in Maine  \nFits a standard frame",
      useCases: "Beach house\nGift",
      seoKeywords: "tide chart\nposter\ncoastal print\nmaine\nwall art",
    });
    expect(saved.body).toContain("Draft saved.");
    const row = await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(row.features).toEqual(["Archival paper", "Printed in Maine", "Fits a standard frame"]);
    expect(row.useCases).toEqual(["Beach house", "Gift"]);
    expect(row.keywords).toEqual(["tide chart", "poster", "coastal print", "maine", "wall art"]);
    expect(row.note).toBe("Edited by the merchant");
  });
});
