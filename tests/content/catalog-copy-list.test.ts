// The product copy list over the real emulator: every product of the catalog joined with the app's
// copy records, searched by title, filtered by copy status, description and collection, and paged
// by cursor both ways.
import { randomUUID } from "node:crypto";

import type { ContentStatus } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { shopifyCatalog } from "~/integrations/shopify/shopify-catalog.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import { PAGE_SIZE } from "~/services/content/catalog-copy";
import { listCatalogCopy, type CatalogCopyQuery } from "~/services/content/list-catalog-copy.server";
import type { CatalogStore } from "~/services/ports/catalog";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";

const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
const shop = `catalog-${randomUUID().slice(0, 8)}.myshopify.com`;
let store: CatalogStore;
const ids: Record<string, string> = {};

const WINTER = [{ title: "Winter" }];
const FILLERS = 30;

/** A copy record as the pipeline leaves it, with its versions (number → status). */
async function record(
  title: string,
  status: ContentStatus,
  versions: Array<{ version: number; status: "DRAFT" | "LIVE" | "SUPERSEDED"; publishedAt?: Date }>,
  skippedReason: string | null = null,
) {
  const created = await prisma.productContent.create({
    data: { shopDomain: shop, productId: ids[title]!, title, status, skippedReason },
  });
  let liveVersionId: string | null = null;
  for (const version of versions) {
    const row = await prisma.contentVersion.create({
      data: {
        productContentId: created.id,
        version: version.version,
        status: version.status,
        descriptionHtml: `<p>${title} v${version.version}</p>`,
        shortDescription: title,
        features: [],
        useCases: [],
        keywords: [],
        metaTitle: title,
        metaDescription: title,
        factsHash: "facts",
        publishedAt: version.publishedAt ?? null,
      },
    });
    if (version.status === "LIVE") liveVersionId = row.id;
  }
  if (liveVersionId) await prisma.productContent.update({ where: { id: created.id }, data: { liveVersionId } });
}

const query = (overrides: Partial<CatalogCopyQuery> = {}): CatalogCopyQuery => ({
  search: "",
  status: "all",
  hasDescription: null,
  collectionId: null,
  after: null,
  before: null,
  ...overrides,
});

const list = (overrides: Partial<CatalogCopyQuery> = {}) =>
  listCatalogCopy({ db: prisma, store, shop, query: query(overrides) });

const titles = (page: { rows: Array<{ title: string }> }) => page.rows.map((row) => row.title);

beforeAll(async () => {
  const accessToken = `shpat_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken });
  const products: Array<{ title: string; descriptionHtml?: string; collections?: typeof WINTER }> = [
    { title: "Alpine Wool Socks", descriptionHtml: "<p>Warm.</p>", collections: WINTER },
    { title: "Birch Cutting Board" },
    { title: "Cedar Candle", descriptionHtml: "<p>Smoky.</p>" },
    { title: "Driftwood Lamp", descriptionHtml: "<p>Bright.</p>" },
    { title: "Ember Mug", descriptionHtml: "<p>Glazed.</p>" },
    { title: "Fjord Rain Jacket", descriptionHtml: "<p>Dry.</p>", collections: WINTER },
    ...Array.from({ length: FILLERS }, (_, index) => ({
      title: `Zephyr Tee ${String(index + 1).padStart(2, "0")}`,
      descriptionHtml: "<p>Soft.</p>",
    })),
  ];
  // Silent: no products/create webhooks, so only the records below exist in the app.
  for (const product of products) {
    const created = await control.createProduct(shop, product, { silent: true });
    ids[product.title] = created.id;
  }
  await record("Alpine Wool Socks", "LIVE", [{ version: 1, status: "LIVE", publishedAt: new Date("2026-11-02") }]);
  await record("Cedar Candle", "LIVE", [
    { version: 1, status: "LIVE", publishedAt: new Date("2026-11-01") },
    { version: 2, status: "DRAFT" },
  ]);
  await record("Driftwood Lamp", "SKIPPED", [], "Its vendor is excluded in settings.");
  await record("Ember Mug", "FAILED", [], "deleted");
  await record("Fjord Rain Jacket", "PAUSED", [], "The monthly token cap is reached.");
  const admin = new AdminClient({
    shop,
    origin: shopifyUrl,
    token: { get: async () => accessToken, invalidate: () => undefined },
    bucket: redisCostBucket(redis),
  });
  store = shopifyCatalog(admin);
});

afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

describe("the product copy list", () => {
  it("lists every product of the catalog in title order, each with its copy status, a page at a time", async () => {
    const first = await list();
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.previous).toBeNull();
    expect(first.rows.slice(0, 6).map((row) => [row.title, row.state])).toEqual([
      ["Alpine Wool Socks", { kind: "live" }],
      ["Birch Cutting Board", { kind: "none" }],
      ["Cedar Candle", { kind: "draft", version: 2 }],
      ["Driftwood Lamp", { kind: "skipped", reason: "Its vendor is excluded in settings." }],
      ["Ember Mug", { kind: "failed", reason: "deleted" }],
      ["Fjord Rain Jacket", { kind: "paused", reason: "The monthly token cap is reached." }],
    ]);
    expect(first.rows[0]).toMatchObject({
      hasDescription: true,
      live: { version: 1, publishedAt: new Date("2026-11-02") },
      adminUrl: `shopify://admin/products/${ids["Alpine Wool Socks"]!.replace("gid://shopify/Product/", "")}`,
    });
    expect(first.rows[1]).toMatchObject({ hasDescription: false, productContentId: null, live: null });
    expect(first.rows[2]?.live).toEqual({ version: 1, publishedAt: new Date("2026-11-01") });

    const second = await list({ after: first.next });
    expect(titles(second)).toEqual(
      Array.from({ length: 36 - PAGE_SIZE }, (_, index) => `Zephyr Tee ${String(index + 20).padStart(2, "0")}`),
    );
    expect(second.next).toBeNull();
    const back = await list({ before: second.previous });
    expect(titles(back)).toEqual(titles(first));
    expect(back.previous).toBeNull();
    expect(back.next).toBe(first.next);
  });

  it("searches titles in Shopify, word by word, whatever the case", async () => {
    expect(titles(await list({ search: "rain JACKET" }))).toEqual(["Fjord Rain Jacket"]);
    expect(titles(await list({ search: 'jacket "socks' }))).toEqual([]);
    expect(titles(await list({ search: "candle", status: "draft" }))).toEqual(["Cedar Candle"]);
  });

  it("filters by the copy status the app knows, reading that page's products in one nodes query", async () => {
    const before = (await control.stats(shop)).operations.nodes ?? 0;
    const drafts = await list({ status: "draft" });
    expect(drafts.rows.map((row) => [row.title, row.state, row.live?.version])).toEqual([
      ["Cedar Candle", { kind: "draft", version: 2 }, 1],
    ]);
    expect((await control.stats(shop)).operations.nodes).toBe(before + 1);
    expect(titles(await list({ status: "live" }))).toEqual(["Alpine Wool Socks", "Cedar Candle"]);
    expect(titles(await list({ status: "skipped" }))).toEqual(["Driftwood Lamp"]);
    expect(titles(await list({ status: "failed" }))).toEqual(["Ember Mug"]);
    expect(titles(await list({ status: "paused" }))).toEqual(["Fjord Rain Jacket"]);
  });

  it("lists products with no copy yet from the catalog, filling the page past products with copy", async () => {
    const none = await list({ status: "none" });
    expect(none.rows).toHaveLength(PAGE_SIZE);
    expect(none.rows.every((row) => row.state.kind === "none")).toBe(true);
    expect(none.rows[0]?.title).toBe("Birch Cutting Board");
    const rest = await list({ status: "none", after: none.next });
    expect(rest.rows).toHaveLength(FILLERS + 1 - PAGE_SIZE);
    expect(rest.next).toBeNull();
    expect(titles(await list({ status: "none", before: rest.previous }))).toEqual(titles(none));
  });

  it("filters by description and by collection, alone and with a copy status", async () => {
    expect(titles(await list({ hasDescription: false }))).toEqual(["Birch Cutting Board"]);
    expect(titles(await list({ status: "none", hasDescription: false }))).toEqual(["Birch Cutting Board"]);
    expect(titles(await list({ status: "live", hasDescription: false }))).toEqual([]);
    const winter = (await store.collections()).find((collection) => collection.title === "Winter")!;
    expect(titles(await list({ collectionId: winter.id }))).toEqual(["Alpine Wool Socks", "Fjord Rain Jacket"]);
    expect(titles(await list({ collectionId: winter.id, status: "live" }))).toEqual(["Alpine Wool Socks"]);
    expect(titles(await list({ collectionId: winter.id, status: "none" }))).toEqual([]);
  });

  it("starts at the first page when a cursor belongs to another filter", async () => {
    const none = await list({ status: "none" });
    expect(titles(await list({ status: "live", after: none.next }))).toEqual(["Alpine Wool Socks", "Cedar Candle"]);
  });
});
