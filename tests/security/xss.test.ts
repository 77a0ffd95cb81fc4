import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { DESCRIPTION_TAGS } from "~/services/content/copy/schema";
import { editDraft } from "~/services/content/edit-draft.server";
import { listReviewQueue } from "~/services/content/list-review-queue.server";
import { productHistory } from "~/services/content/product-history.server";
import { approveVersions } from "~/services/content/review-versions.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";
import { UNSAFE, XSS_VECTORS } from "./xss-corpus";

const control = emulatorControl(inject("shopifyUrl"));
const llm = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker();

afterEach(() => llm.clearOverrides());

async function newShop(contentMode: "REVIEW" | "AUTO_PUBLISH") {
  const shop = `xss-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode } });
  return shop;
}

const filler =
  "<p>A soft merino beanie knitted for cold mornings on the trail, warm without bulk and easy to pack.</p>";

/** What a model talked into "adding some HTML" returns: every vector, in every field. */
const XSS_REPLY = {
  descriptionHtml: `${filler}${filler}${XSS_VECTORS.join("\n")}`,
  shortDescription: `<svg onload="alert(1)"></svg><a href="javascript:alert(2)">Warm</a> beanie for winter hikes`,
  features: [
    `<iframe src="javascript:alert(3)"></iframe>Soft merino`,
    `<b onmouseover="alert(4)">Warm</b> and light`,
    `<img src=x onerror=alert(5)>Machine washable`,
  ],
  useCases: [`<script>alert(6)</script>Winter hikes`, `<a href="//evil.example">Ski</a> trips`],
  seoKeywords: ["merino beanie", "<script>x</script>wool hat", "winter hat", "<style>*{}</style>hiking", "beanie"],
  metaTitle: `<script>alert(7)</script>Merino Beanie`,
  metaDescription: `<img src=x onerror="alert(8)"> A warm merino beanie for cold mornings on the trail.`,
};

const versionOf = (shop: string, productId: string) =>
  prisma.contentVersion.findFirst({
    where: { productContent: { shopDomain: shop, productId } },
    orderBy: { version: "desc" },
  });

/** Everything the store holds from Storewise's write: the description, SEO and our metafields. */
async function written(shop: string, productId: string) {
  const product = await control.getProduct(shop, productId);
  const metafields = product.metafields.filter((field) => field.namespace === "storewise");
  return {
    html: product.descriptionHtml,
    plain: [product.seo.title ?? "", product.seo.description ?? "", ...metafields.map((field) => field.value)],
  };
}

function expectSafe({ html, plain }: { html: string; plain: string[] }) {
  const everything = [html, ...plain].join("\n").toLowerCase();
  for (const fragment of UNSAFE) expect(everything, `written copy contains ${fragment}`).not.toContain(fragment);
  for (const [, name, attributes] of html.matchAll(/<\/?([a-z0-9-]+)([^>]*)>/gi)) {
    expect(DESCRIPTION_TAGS as readonly string[]).toContain(name!.toLowerCase());
    expect(attributes!.trim()).toMatch(/^\/?$/);
  }
  for (const text of plain) expect(text).not.toMatch(/[<>]/);
}

async function publishedOnce(shop: string, versionId: string, productId: string) {
  await waitUntil(
    async () => (await prisma.contentVersion.findUnique({ where: { id: versionId } }))?.status === "LIVE",
  );
  await control.waitForWebhooks(10_000);
  expect((await control.stats(shop)).operations.productUpdate).toBe(1);
  return written(shop, productId);
}

describe("AI output with unsafe markup, in auto-publish mode", () => {
  it("is cleaned, held for review with the reason, and written clean once approved", async () => {
    const shop = await newShop("AUTO_PUBLISH");
    const token = `xss-${randomUUID()}`;
    await llm.addOverride({ match: token, fields: XSS_REPLY });
    const product = await control.createProduct(shop, { title: `Merino Beanie ${token}`, vendor: "Northwind" });

    const draft = await waitUntil(async () => {
      const version = await versionOf(shop, product.id);
      return version?.status === "DRAFT" ? version : null;
    });
    expect(draft.reviewReason).toMatch(/^We removed unsafe markup from the AI's answer: <script>, /);
    expect(draft.reviewReason).toContain("onerror attribute");
    expect(draft.reviewReason).toMatch(/Check it before publishing\.$/);
    // The stored draft is already clean: approving it can only write what the merchant saw.
    expectSafe({
      html: draft.descriptionHtml,
      plain: [
        draft.metaTitle,
        draft.metaDescription,
        draft.shortDescription,
        ...draft.features,
        ...draft.useCases,
        ...draft.keywords,
      ],
    });
    expect(draft.metaTitle).toBe("Merino Beanie");
    await control.waitForWebhooks(10_000);
    expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(0);

    // The merchant sees why, on the review page and in the product's history.
    const { storeForRequest } = await import("~/composition.server");
    // Someone else put a script in the product's description: the review page's "Before" drops it.
    await control.updateProduct(
      shop,
      product.id,
      { descriptionHtml: `${filler}${XSS_VECTORS.join("")}` },
      { silent: true },
    );
    const [item] = await listReviewQueue({ db: prisma, store: storeForRequest(shop), shop });
    expect(item?.draft.reviewReason).toBe(draft.reviewReason);
    expect(item?.before.status).toBe("loaded");
    const before = item?.before.status === "loaded" ? item.before.html : "";
    expect(before).toContain("soft merino beanie");
    expectSafe({ html: before, plain: [] });
    expectSafe({ html: item?.draft.displayHtml ?? "", plain: [] });
    const history = await productHistory({ db: prisma, shop, productContentId: draft.productContentId });
    expect(history.versions[0]?.reviewReason).toBe(draft.reviewReason);

    await approveVersions({ db: prisma, shop, versionIds: [draft.id] });
    const stored = await publishedOnce(shop, draft.id, product.id);
    expectSafe(stored);
    expect(stored.html).toContain("soft merino beanie");
  });

  it("holds back web addresses that are not in the product's details, and keeps the ones that are", async () => {
    const shop = await newShop("AUTO_PUBLISH");
    const token = `url-${randomUUID()}`;
    await llm.addOverride({
      match: token,
      fields: {
        descriptionHtml: `${filler}${filler}<p>Care guide at northwind.example/care. Claim your prize at https://evil.example/win now.</p>`,
      },
    });
    const product = await control.createProduct(shop, {
      title: `Trail Beanie ${token}`,
      tags: ["northwind.example/care"],
    });
    const draft = await waitUntil(async () => {
      const version = await versionOf(shop, product.id);
      return version?.status === "DRAFT" ? version : null;
    });
    expect(draft.reviewReason).toBe(
      "We removed web addresses that are not in the product's details: https://evil.example/win. " +
        "It mentions web addresses taken from the product's details: northwind.example/care. Check it before publishing.",
    );
    expect(draft.descriptionHtml).not.toContain("evil.example");
    expect(draft.descriptionHtml).toContain("northwind.example/care");
    await control.waitForWebhooks(10_000);
    expect((await control.stats(shop)).operations.productUpdate ?? 0).toBe(0);
  });

  it("publishes clean output at once, with no reason", async () => {
    const shop = await newShop("AUTO_PUBLISH");
    const product = await control.createProduct(shop, { title: "Plain Wool Socks", vendor: "Northwind" });
    const live = await waitUntil(async () => {
      const version = await versionOf(shop, product.id);
      return version?.status === "LIVE" ? version : null;
    });
    expect(live.reviewReason).toBeNull();
  });
});

describe("a merchant's edit with unsafe markup", () => {
  it("is saved clean with the reason, and written clean", async () => {
    const shop = await newShop("REVIEW");
    const product = await control.createProduct(shop, { title: "Harbor Knit Scarf", vendor: "Saltwater" });
    const draft = await waitUntil(async () => {
      const version = await versionOf(shop, product.id);
      return version?.status === "DRAFT" ? version : null;
    });
    expect(draft.reviewReason).toBeNull();

    const result = await editDraft({
      db: prisma,
      shop,
      versionId: draft.id,
      form: {
        descriptionHtml: `${filler}${XSS_VECTORS.join("")}`,
        metaTitle: `<img src=x onerror=alert(1)>Harbor Knit Scarf`,
        metaDescription: `<script>alert(2)</script>A soft knit scarf for windy harbour walks, warm and light all day.`,
        shortDescription: `<a href="javascript:alert(3)">Soft</a> knit scarf for windy days`,
      },
    });
    expect(result.ok).toBe(true);
    const edited = await prisma.contentVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(edited.reviewReason).toMatch(/^We removed unsafe markup from your edit: <script>, /);
    expect(edited.metaTitle).toBe("Harbor Knit Scarf");
    expectSafe({
      html: edited.descriptionHtml,
      plain: [edited.metaTitle, edited.metaDescription, edited.shortDescription],
    });

    await approveVersions({ db: prisma, shop, versionIds: [draft.id] });
    expectSafe(await publishedOnce(shop, draft.id, product.id));
  });
});

describe("the write itself", () => {
  it("sanitises a stored version again, whatever its row holds", async () => {
    const shop = await newShop("REVIEW");
    const product = await control.createProduct(shop, { title: "Cedar Wick Candle", vendor: "Kiln & Co" });
    const draft = await waitUntil(async () => {
      const version = await versionOf(shop, product.id);
      return version?.status === "DRAFT" ? version : null;
    });
    // A row written before sanitising existed, or by a path that forgot it.
    await prisma.contentVersion.update({
      where: { id: draft.id },
      data: {
        descriptionHtml: XSS_REPLY.descriptionHtml,
        metaTitle: XSS_REPLY.metaTitle,
        metaDescription: XSS_REPLY.metaDescription,
        shortDescription: XSS_REPLY.shortDescription,
        features: XSS_REPLY.features,
        useCases: XSS_REPLY.useCases,
        keywords: XSS_REPLY.seoKeywords,
      },
    });
    await approveVersions({ db: prisma, shop, versionIds: [draft.id] });
    expectSafe(await publishedOnce(shop, draft.id, product.id));
  });
});
