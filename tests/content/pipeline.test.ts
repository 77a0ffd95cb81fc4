import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import type { ShopifyStore } from "~/integrations/shopify/shopify-store.server";
import { getQueue } from "~/jobs/queues.server";
import { resumePausedProducts } from "~/services/content/resume-paused-products.server";
import { approveVersions } from "~/services/content/review-versions.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { deliveriesFinished, deliveryRun } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker();

async function newShop(settings: { contentMode?: "REVIEW" | "AUTO_PUBLISH" } = {}) {
  const shop = `copy-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  if (settings.contentMode) {
    await prisma.shopSettings.updateMany({
      where: { shop: { domain: shop } },
      data: { contentMode: settings.contentMode },
    });
  }
  return shop;
}

const content = (shop: string, productId: string) =>
  prisma.productContent.findUnique({
    where: { shopDomain_productId: { shopDomain: shop, productId } },
    include: { versions: true },
  });

/** The shop's store stats once the job of every webhook it was sent has finished. */
async function settled(shop: string) {
  await waitUntil(() => deliveriesFinished(control, shop));
  return control.stats(shop);
}

/** Tokens the shop has been billed for, from the app's own usage ledger. */
async function tokensSpent(shop: string) {
  const { _sum } = await prisma.llmUsage.aggregate({
    where: { shopDomain: shop },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (_sum.promptTokens ?? 0) + (_sum.completionTokens ?? 0);
}

describe("new products get SEO copy", () => {
  it("drafts copy for review by default, without writing to the store", async () => {
    const shop = await newShop();
    const product = await control.createProduct(shop, {
      title: "Alpine Merino Beanie",
      vendor: "Northwind",
      productType: "Hats",
      tags: ["wool"],
    });
    const record = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.status === "DRAFT" ? row : null;
    });
    expect(record.versions).toHaveLength(1);
    const [draft] = record.versions;
    expect(draft?.status).toBe("DRAFT");
    expect(draft?.metaTitle.length).toBeLessThanOrEqual(70);
    expect(draft?.metaDescription.length).toBeLessThanOrEqual(160);
    expect(draft?.keywords.length).toBeGreaterThanOrEqual(5);
    expect(draft?.keywords.length).toBeLessThanOrEqual(8);
    expect((await settled(shop)).operations.productUpdate ?? 0).toBe(0);
  });

  it("auto-publishes description, SEO and metafields in one productUpdate, and ignores its own echo", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    const product = await control.createProduct(shop, {
      title: "Trailhead Canvas Backpack",
      vendor: "Northwind",
      productType: "Bags",
    });
    const record = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.status === "LIVE" ? row : null;
    });
    const live = record.versions.find((version) => version.id === record.liveVersionId);
    expect(live?.status).toBe("LIVE");

    const stats = await settled(shop);
    expect(stats.operations.productUpdate).toBe(1);
    expect(stats.operations.metafieldsSet ?? 0).toBe(0);
    const stored = await control.getProduct(shop, product.id);
    expect(stored.descriptionHtml).toBe(live?.descriptionHtml);
    expect(stored.seo).toEqual({ title: live?.metaTitle, description: live?.metaDescription });
    const metafields = Object.fromEntries(
      stored.metafields.filter((field) => field.namespace === "storewise").map((field) => [field.key, field.value]),
    );
    expect(JSON.parse(metafields.keywords ?? "[]")).toEqual(live?.keywords);
    expect(JSON.parse(metafields.features ?? "[]")).toEqual(live?.features);
    expect(metafields.short_description).toBe(live?.shortDescription);
    // The products/update echo of that write was delivered and did nothing.
    const echoes = await control.webhookLog({ shop, topic: "products/update" });
    expect(echoes.deliveries.length).toBeGreaterThanOrEqual(1);
    expect((await content(shop, product.id))?.versions).toHaveLength(1);
  });

  it("spends 0 tokens on a product whose facts did not change", async () => {
    const shop = await newShop();
    const product = await control.createProduct(shop, {
      title: "Cedar Wick Candle",
      vendor: "Kiln & Co",
      productType: "Home",
    });
    await waitUntil(async () => (await content(shop, product.id))?.status === "DRAFT");
    await settled(shop);
    const before = { calls: (await llmControl.stats()).chatCompletions, tokens: await tokensSpent(shop) };
    expect(before.tokens).toBeGreaterThan(0);
    // The same product delivered again under a new webhook id (a replay, or a bulk run).
    const [delivery] = (await control.webhookLog({ shop, topic: "products/create" })).deliveries;
    const {
      webhookIds: [replayId],
    } = await control.triggerWebhook(shop, "products/create", delivery?.payload);

    // The replay's own job ran to the end, found the facts unchanged, and billed nothing.
    const run = await waitUntil(() => deliveryRun(replayId ?? ""));
    expect(run.status).toBe("COMPLETED");
    const job = await getQueue("content").getJob(run.jobId);
    expect(job?.returnvalue).toEqual({ outcome: "unchanged" });
    expect(await tokensSpent(shop)).toBe(before.tokens);
    expect((await llmControl.stats()).chatCompletions).toBe(before.calls);
    expect((await content(shop, product.id))?.versions).toHaveLength(1);
  });

  it("leaves an existing description alone unless overwriting is on", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    const product = await control.createProduct(shop, {
      title: "Field Notes Journal",
      descriptionHtml: "<p>Written by the merchant.</p>",
    });
    const record = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.status === "SKIPPED" ? row : null;
    });
    expect(record.skippedReason).toMatch(/already has a description/);
    expect(record.versions).toHaveLength(0);
    expect((await control.getProduct(shop, product.id)).descriptionHtml).toBe("<p>Written by the merchant.</p>");
  });
});

describe("a merchant editing a product's facts", () => {
  it("regenerates when the shop asked for that, even though the description is still ours", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { regenerateOnEdit: true } });
    const product = await control.createProduct(shop, { title: "Field Lantern", vendor: "Northwind" });
    await waitUntil(async () => (await content(shop, product.id))?.status === "LIVE");
    await settled(shop);

    // Only the title changes; the description Storewise wrote stays as it is.
    await control.updateProduct(shop, product.id, { title: "Field Lantern Pro" });

    const record = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.versions.length === 2 && row.status === "LIVE" ? row : null;
    });
    expect(record.title).toBe("Field Lantern Pro");
    const stats = await settled(shop);
    // Two publishes (create, edit) and no loop on their echoes.
    expect(stats.operations.productUpdate).toBe(2);
  });
});

describe("the monthly token cap", () => {
  it("pauses generation without losing the product, and resumes once the cap is raised", async () => {
    const shop = await newShop();
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { monthlyTokenCap: 1_000 } });
    await prisma.llmUsage.create({
      data: { shopDomain: shop, task: "content", model: "gpt-4o-mini", promptTokens: 900, completionTokens: 200 },
    });
    const before = await llmControl.stats();
    const product = await control.createProduct(shop, { title: "Capped Cedar Candle", vendor: "Kiln & Co" });
    const record = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.status === "PAUSED" ? row : null;
    });
    expect(record.skippedReason).toMatch(/token cap is used up/);
    expect((await llmControl.stats()).chatCompletions - before.chatCompletions).toBe(0);
    await expect(resumePausedProducts({ db: prisma, shop })).rejects.toThrow(/still reached/);

    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { monthlyTokenCap: 1_000_000 } });
    expect((await resumePausedProducts({ db: prisma, shop })).resumed).toBe(1);
    const resumed = await waitUntil(async () => {
      const row = await content(shop, product.id);
      return row?.status === "DRAFT" ? row : null;
    });
    expect(resumed.versions).toHaveLength(1);
  });
});

describe("bad input gets a clear recorded failure", () => {
  it("a product deleted before its job runs", async () => {
    const shop = await newShop();
    const product = await control.createProduct(shop, { title: "Short-lived Scarf" }, { silent: true });
    await control.deleteProduct(shop, product.id, { silent: true });
    await control.triggerWebhook(shop, "products/create", {
      id: Number(product.id.split("/").pop()),
      admin_graphql_api_id: product.id,
      title: "Short-lived Scarf",
      body_html: "",
    });
    const run = await waitUntil(() => prisma.jobRun.findFirst({ where: { shopDomain: shop, status: "FAILED" } }));
    expect(run.errorCode).toBe("RESOURCE_NOT_FOUND");
    expect(run.error).toBe("The product was deleted before its copy could be written.");
    expect((await content(shop, product.id))?.status).toBe("FAILED");
  });

  it("an LLM reply that fails the schema", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    const product = await control.createProduct(shop, { title: "Broken Reply Mug [[emulator:invalid-json]]" });
    const run = await waitUntil(() => prisma.jobRun.findFirst({ where: { shopDomain: shop, status: "FAILED" } }));
    expect(run.errorCode).toBe("LLM_INVALID_OUTPUT");
    expect((await content(shop, product.id))?.versions ?? []).toHaveLength(0);
    expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(0);
  });
});

describe("the job audit", () => {
  it("records every completed job, the echo's included", async () => {
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    await control.createProduct(shop, { title: "Audited Tumbler", vendor: "Northwind" });
    const runs = await waitUntil(async () => {
      // The content queue's jobs (the published product's translation job runs on its own queue).
      const rows = await prisma.jobRun.findMany({
        where: { shopDomain: shop, queue: "content" },
        orderBy: { name: "asc" },
      });
      return rows.length === 2 && rows.every((row) => row.status === "COMPLETED") ? rows : null;
    });
    expect(runs.map((run) => run.name)).toEqual(["product.created", "product.updated"]);
    expect(runs.every((run) => run.finishedAt !== null && run.error === null)).toBe(true);
  });
});

describe("Shopify rejecting the write (userErrors)", () => {
  it("records the rejection with Shopify's message and keeps the draft for another try", async () => {
    const shop = await newShop();
    const product = await control.createProduct(shop, { title: "Vanishing Candle", vendor: "Northwind" });
    const draft = await waitUntil(() =>
      prisma.contentVersion.findFirst({ where: { status: "DRAFT", productContent: { shopDomain: shop } } }),
    );
    // The merchant deletes the product while its draft waits for review; approving it then gets
    // productUpdate's userErrors in an HTTP 200.
    await control.deleteProduct(shop, product.id, { silent: true });
    await approveVersions({ db: prisma, shop, versionIds: [draft.id] });

    const failed = await waitUntil(() =>
      prisma.jobRun.findFirst({ where: { shopDomain: shop, name: "content.publish-version", status: "FAILED" } }),
    );
    expect(failed.errorCode).toBe("ADMIN_API_USER_ERRORS");
    expect(failed.error).toBe("Shopify rejected the change: Product does not exist");
    expect((await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");
    expect((await content(shop, product.id))?.liveVersionId).toBeNull();
  });
});

describe("a retried job", () => {
  it("publishes the draft an earlier attempt wrote but could not publish, without a new LLM call", async () => {
    const { handleProductChange } = await import("~/services/content/handle-product-change.server");
    const { shopifyStore } = await import("~/integrations/shopify/shopify-store.server");
    const { adminClientFor } = await import("~/shopify.server");
    const { llm } = await import("~/integrations/llm/llm.server");
    const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
    const product = await control.createProduct(shop, { title: "Interrupted Lantern" }, { silent: true });
    // What the first attempt left behind: the record and its draft, nothing published.
    const record = await prisma.productContent.create({
      data: {
        shopDomain: shop,
        productId: product.id,
        title: "Interrupted Lantern",
        status: "DRAFT",
        factsHash: "facts-1",
      },
    });
    const draft = await prisma.contentVersion.create({
      data: {
        productContentId: record.id,
        version: 1,
        descriptionHtml: "<p>A lantern for long evenings.</p>",
        shortDescription: "A lantern for long evenings.",
        features: ["Warm light"],
        useCases: ["Camping"],
        keywords: ["lantern"],
        metaTitle: "Interrupted Lantern",
        metaDescription: "A lantern for long evenings, written before the interruption.",
        factsHash: "facts-1",
      },
    });
    const before = await llmControl.stats();
    const outcome = await handleProductChange({
      db: prisma,
      store: shopifyStore(adminClientFor(shop)),
      llm: llm(),
      shop,
      change: { kind: "created", productId: product.id, factsHash: "facts-1", descriptionHash: "x" },
    });
    expect(outcome).toEqual({ outcome: "published", versionId: draft.id });
    expect((await llmControl.stats()).chatCompletions - before.chatCompletions).toBe(0);
    expect((await control.getProduct(shop, product.id)).descriptionHtml).toBe("<p>A lantern for long evenings.</p>");
    expect((await control.stats(shop)).operations.productUpdate).toBe(1);
  });

  describe("after an attempt died in the middle of publishing", () => {
    async function interrupted(title: string, claimedAgoMs: number) {
      const { shopifyStore } = await import("~/integrations/shopify/shopify-store.server");
      const { adminClientFor } = await import("~/shopify.server");
      const shop = await newShop({ contentMode: "AUTO_PUBLISH" });
      const product = await control.createProduct(shop, { title }, { silent: true });
      const record = await prisma.productContent.create({
        data: { shopDomain: shop, productId: product.id, title, status: "DRAFT", factsHash: "facts-1" },
      });
      const version = await prisma.contentVersion.create({
        data: {
          productContentId: record.id,
          version: 1,
          status: "PUBLISHING",
          claimedAt: new Date(Date.now() - claimedAgoMs),
          descriptionHtml: `<p>${title}, described.</p>`,
          shortDescription: `${title}, described.`,
          features: ["Sturdy"],
          useCases: ["Everyday"],
          keywords: ["gear"],
          metaTitle: title,
          metaDescription: `${title}, described for search.`,
          factsHash: "facts-1",
        },
      });
      const retry = () => handleProductChangeOnce(shop, product.id, shopifyStore(adminClientFor(shop)));
      return { shop, product, version, retry };
    }

    async function handleProductChangeOnce(shop: string, productId: string, store: ShopifyStore) {
      const { handleProductChange } = await import("~/services/content/handle-product-change.server");
      const { llm } = await import("~/integrations/llm/llm.server");
      return handleProductChange({
        db: prisma,
        store,
        llm: llm(),
        shop,
        change: { kind: "created", productId, factsHash: "facts-1", descriptionHash: "x" },
      });
    }

    it("makes the write the dead attempt never made", async () => {
      const { shop, product, version, retry } = await interrupted("Unwritten Kettle", 120_000);
      expect(await retry()).toEqual({ outcome: "published", versionId: version.id });
      expect((await control.getProduct(shop, product.id)).descriptionHtml).toBe("<p>Unwritten Kettle, described.</p>");
      expect((await control.stats(shop)).operations.productUpdate).toBe(1);
      expect((await prisma.contentVersion.findUniqueOrThrow({ where: { id: version.id } })).status).toBe("LIVE");
    });

    it("records, without writing again, the write the dead attempt made", async () => {
      const { shop, product, version, retry } = await interrupted("Written Kettle", 120_000);
      // The dead attempt's productUpdate reached Shopify: the product carries its version marker.
      await control.updateProduct(
        shop,
        product.id,
        {
          descriptionHtml: "<p>Written Kettle, described.</p>",
          metafields: [
            {
              namespace: "storewise",
              key: "copy_version",
              type: "single_line_text_field",
              value: `${version.productContentId}:1`,
            },
          ],
        },
        { silent: true },
      );
      const before = (await control.stats(shop)).operations.productUpdate ?? 0;

      expect(await retry()).toEqual({ outcome: "published", versionId: version.id });

      expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(before);
      const record = await prisma.productContent.findUniqueOrThrow({ where: { id: version.productContentId } });
      expect(record).toMatchObject({ status: "LIVE", liveVersionId: version.id });
    });

    it("leaves a claim that is still fresh to the job holding it, and comes back later", async () => {
      const { shop, version, retry } = await interrupted("Busy Kettle", 0);
      await expect(retry()).rejects.toMatchObject({ code: "CONTENT_BEING_PUBLISHED", retryable: true });
      expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(0);
      expect((await prisma.contentVersion.findUniqueOrThrow({ where: { id: version.id } })).status).toBe("PUBLISHING");
    });
  });
});
