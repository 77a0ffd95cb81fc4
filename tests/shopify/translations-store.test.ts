// The translations port over the Admin GraphQL API (translatableResource, translationsRegister,
// translationsRemove), against the emulator over HTTP. What the translation pipeline rests on:
// digests come from the store, a refusal names the write it is about, and nothing is written when
// any write is refused.
// https://shopify.dev/docs/api/admin-graphql/latest/mutations/translationsRegister
// https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslationErrorCode
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { parse, validate } from "graphql";

import { firstEstimate } from "~/integrations/shopify/admin-client.server";
import {
  MAX_ALIASES_PER_REQUEST,
  registerBatchDocument,
  shopifyTranslations,
} from "~/integrations/shopify/shopify-translations.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import type { TranslatableResource } from "~/services/ports/translations";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminSchema } from "../support/admin-schema";
import { seedShop } from "../support/seed";

const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
const shop = `translations-${randomUUID().slice(0, 8)}.myshopify.com`;
const accessToken = `shpat_${randomUUID()}`;
const store = shopifyTranslations(
  new AdminClient({
    shop,
    origin: shopifyUrl,
    token: { get: async () => accessToken, invalidate: () => undefined },
    bucket: redisCostBucket(redis),
  }),
);

beforeAll(() =>
  seedShop(control, prisma, {
    shop,
    accessToken,
    locales: [
      { locale: "en", primary: true, published: true },
      { locale: "fr", published: true },
      { locale: "de", published: true },
      { locale: "es", published: false },
      { locale: "it", published: true },
      { locale: "nl", published: true },
      { locale: "ja", published: true },
    ],
  }),
);
afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

async function linenShirt() {
  return control.createProduct(shop, {
    title: "Linen Shirt",
    descriptionHtml: "<p>Breathable linen &amp; a relaxed fit</p>",
    productType: "Shirts",
  });
}

function sourceOf(resource: TranslatableResource | null, key: string) {
  const field = resource?.source.find((candidate) => candidate.key === key);
  if (!field) throw new Error(`no source field ${key}`);
  return field;
}

describe("the Shopify translations store", () => {
  it("reads each source field with the digest Shopify gives it, and the translations of every locale asked for", async () => {
    const product = await linenShirt();
    const before = await store.translatableResource(product.id, ["fr", "de"]);
    const title = sourceOf(before, "title");
    expect(title).toMatchObject({ value: "Linen Shirt", locale: "en", format: "text" });
    expect(title.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(sourceOf(before, "body_html").format).toBe("html");
    expect(before?.translations).toEqual([]);

    const result = await store.registerTranslations(product.id, [
      { key: "title", locale: "fr", value: "Chemise en lin", sourceDigest: title.digest },
      { key: "title", locale: "de", value: "Leinenhemd", sourceDigest: title.digest },
    ]);
    expect(result).toEqual({ status: "registered", count: 2 });

    const after = await store.translatableResource(product.id, ["fr", "de"]);
    expect(after?.translations.map(({ key, locale, value, outdated }) => ({ key, locale, value, outdated }))).toEqual([
      { key: "title", locale: "fr", value: "Chemise en lin", outdated: false },
      { key: "title", locale: "de", value: "Leinenhemd", outdated: false },
    ]);
  });

  it("a source changed after it was read is refused as source-changed for that key, and nothing of the request is written", async () => {
    const product = await linenShirt();
    const read = await store.translatableResource(product.id, ["fr"]);
    await control.updateProduct(shop, product.id, { title: "Linen Shirt, Relaxed" });

    const result = await store.registerTranslations(product.id, [
      { key: "product_type", locale: "fr", value: "Chemises", sourceDigest: sourceOf(read, "product_type").digest },
      { key: "title", locale: "fr", value: "Chemise en lin", sourceDigest: sourceOf(read, "title").digest },
    ]);
    expect(result).toEqual({
      status: "rejected",
      rejections: [
        { key: "title", locale: "fr", reason: "source-changed", message: "Translatable content hash is invalid" },
      ],
    });
    expect((await store.translatableResource(product.id, ["fr"]))?.translations).toEqual([]);
  });

  it("an unpublished locale is refused as locale-not-enabled, naming the write", async () => {
    const product = await linenShirt();
    const read = await store.translatableResource(product.id, ["es"]);
    const result = await store.registerTranslations(product.id, [
      { key: "title", locale: "es", value: "Camisa de lino", sourceDigest: sourceOf(read, "title").digest },
    ]);
    expect(result).toMatchObject({
      status: "rejected",
      rejections: [{ key: "title", locale: "es", reason: "locale-not-enabled" }],
    });
  });

  it("a deleted product reads as gone and its registration answers resource-gone, not an error", async () => {
    const product = await linenShirt();
    const read = await store.translatableResource(product.id, ["fr"]);
    await control.deleteProduct(shop, product.id);

    expect(await store.translatableResource(product.id, ["fr"])).toBeNull();
    const result = await store.registerTranslations(product.id, [
      { key: "title", locale: "fr", value: "Chemise en lin", sourceDigest: sourceOf(read, "title").digest },
    ]);
    expect(result).toEqual({ status: "resource-gone" });
  });

  it("removes the translations of the keys and locales named, and keeps the rest", async () => {
    const product = await linenShirt();
    const read = await store.translatableResource(product.id, ["fr", "de"]);
    const digest = sourceOf(read, "title").digest;
    await store.registerTranslations(product.id, [
      { key: "title", locale: "fr", value: "Chemise en lin", sourceDigest: digest },
      { key: "title", locale: "de", value: "Leinenhemd", sourceDigest: digest },
    ]);

    await store.removeTranslations(product.id, ["title"], ["fr"]);
    const after = await store.translatableResource(product.id, ["fr", "de"]);
    expect(after?.translations.map((translation) => translation.locale)).toEqual(["de"]);
  });

  it("a product brings its options, option values, images and the app's copy metafields as nested resources, each with its own digests and translations, in one request", async () => {
    const product = await control.createProduct(shop, {
      title: "Linen Shirt",
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [{ options: ["S"] }, { options: ["M"] }],
      images: [{ url: "https://cdn.example/front.jpg", altText: "Front of the shirt" }],
      metafields: [
        { namespace: "storewise", key: "short_description", type: "multi_line_text_field", value: "Cool linen." },
        { namespace: "storewise", key: "features", type: "list.single_line_text_field", value: '["Linen"]' },
        { namespace: "storewise", key: "copy_version", type: "single_line_text_field", value: "v1" },
        { namespace: "custom", key: "care", type: "single_line_text_field", value: "Hand wash" },
      ],
    });
    const before = await control.stats(shop);
    const read = await store.translatableResource(product.id, ["fr", "de"]);
    expect((await control.stats(shop)).requests - before.requests).toBe(1);
    expect(read?.kind).toBe("product");
    const nested = read?.nested ?? [];
    // Not the copy version marker nor another app's metafield; and each digest is Shopify's own.
    expect(
      nested.map((resource) => [resource.kind, resource.source.map((field) => `${field.key}=${field.value}`)]),
    ).toEqual([
      ["product-option", ["name=Size"]],
      ["product-option-value", ["name=S"]],
      ["product-option-value", ["name=M"]],
      ["image", ["alt=Front of the shirt"]],
      ["metafield", ["value=Cool linen."]],
      ["metafield", ['value=["Linen"]']],
    ]);
    const stored = await control.getProduct(shop, product.id);
    const size = nested[0];
    if (!size) throw new Error("no option");
    expect(size.resourceId).toBe(stored.options[0]?.id);
    const digest = sourceOf(size, "name").digest;
    expect(digest).toBe((await control.translations(shop, size.resourceId)).translatableContent[0]?.digest);

    expect(
      await store.registerTranslations(size.resourceId, [
        { key: "name", locale: "fr", value: "Taille", sourceDigest: digest },
        { key: "name", locale: "de", value: "Größe", sourceDigest: digest },
      ]),
    ).toEqual({ status: "registered", count: 2 });
    const after = await store.translatableResource(product.id, ["fr", "de"]);
    expect(after?.nested[0]?.translations.map(({ locale, value }) => ({ locale, value }))).toEqual([
      { locale: "fr", value: "Taille" },
      { locale: "de", value: "Größe" },
    ]);
  });

  it("a product without options has no placeholder option to translate", async () => {
    const product = await linenShirt();
    const read = await store.translatableResource(product.id, ["fr"]);
    expect(read?.nested).toEqual([]);
  });

  it("reads the translations of more than four locales, top-level and nested, by asking again only for those", async () => {
    const product = await control.createProduct(shop, {
      title: "Linen Shirt",
      options: [{ name: "Size", values: ["S"] }],
    });
    const locales = ["fr", "de", "it", "nl", "ja"];
    const read = await store.translatableResource(product.id, locales);
    const title = sourceOf(read, "title").digest;
    const option = read?.nested[0];
    if (!option) throw new Error("no option");
    await store.registerTranslations(
      product.id,
      locales.map((locale) => ({ key: "title", locale, value: `Shirt ${locale}`, sourceDigest: title })),
    );
    await store.registerTranslations(
      option.resourceId,
      locales.map((locale) => ({
        key: "name",
        locale,
        value: `Size ${locale}`,
        sourceDigest: sourceOf(option, "name").digest,
      })),
    );
    const before = await control.stats(shop);
    const after = await store.translatableResource(product.id, locales);
    expect((await control.stats(shop)).requests - before.requests).toBe(2);
    expect(after?.translations.map((translation) => translation.locale)).toEqual(locales);
    expect(after?.nested[0]?.translations.map((translation) => translation.value)).toEqual(
      locales.map((locale) => `Size ${locale}`),
    );
    expect(after?.nested[0]?.source).toEqual(option.source);
  });

  it("a collection, a page and a policy are read with their kind and registered and read back like a product", async () => {
    const collection = await control.createCollection(shop, {
      title: "Summer",
      descriptionHtml: "<p>Light & bright</p>",
    });
    const page = await control.createPage(shop, { title: "About us", body: "<p>Since 1999</p>" });
    const policy = await control.setPolicy(shop, "SHIPPING_POLICY", { body: "<p>Ships in 2 days</p>" });
    for (const [resource, kind, key, value] of [
      [collection, "collection", "body_html", "<p>Léger et lumineux</p>"],
      [page, "page", "title", "À propos"],
      [policy, "policy", "body", "<p>Expédié en 2 jours</p>"],
    ] as const) {
      const read = await store.translatableResource(resource.resourceId, ["fr"]);
      expect(read).toMatchObject({ resourceId: resource.resourceId, kind, translations: [], nested: [] });
      const result = await store.registerTranslations(resource.resourceId, [
        { key, locale: "fr", value, sourceDigest: sourceOf(read, key).digest },
      ]);
      expect(result).toEqual({ status: "registered", count: 1 });
      const back = await store.translatableResource(resource.resourceId, ["fr"]);
      expect(back?.translations).toMatchObject([{ key, locale: "fr", value, outdated: false }]);
      const held = await control.translations(shop, resource.resourceId);
      expect(held.translations).toMatchObject([{ key, locale: "fr", value, sourceDigest: sourceOf(read, key).digest }]);
    }
  });

  it("a page edited after it was read is refused as source-changed", async () => {
    const page = await control.createPage(shop, { title: "Contact", body: "<p>Write to us</p>" });
    const read = await store.translatableResource(page.resourceId, ["fr"]);
    await control.updatePage(shop, page.resourceId, { body: "<p>Write or call us</p>" });
    const result = await store.registerTranslations(page.resourceId, [
      {
        key: "body_html",
        locale: "fr",
        value: "<p>Écrivez-nous</p>",
        sourceDigest: sourceOf(read, "body_html").digest,
      },
    ]);
    expect(result).toMatchObject({
      status: "rejected",
      rejections: [{ key: "body_html", locale: "fr", reason: "source-changed" }],
    });
  });

  it("a translated handle another collection uses is refused as handle-taken", async () => {
    const taken = `sale-${randomUUID().slice(0, 6)}`;
    await control.createCollection(shop, { title: "Sale", handle: taken });
    const other = await control.createCollection(shop, { title: "Promotions" });
    const read = await store.translatableResource(other.resourceId, ["fr"]);
    const result = await store.registerTranslations(other.resourceId, [
      { key: "handle", locale: "fr", value: taken, sourceDigest: sourceOf(read, "handle").digest },
    ]);
    expect(result).toEqual({
      status: "rejected",
      rejections: [
        {
          key: "handle",
          locale: "fr",
          reason: "handle-taken",
          message: "The handle is already taken for this resource",
        },
      ],
    });
  });

  it("a locale unpublished since the read is refused as locale-not-enabled", async () => {
    const policy = await control.setPolicy(shop, "PRIVACY_POLICY", { body: "<p>We keep little.</p>" });
    const read = await store.translatableResource(policy.resourceId, ["nl"]);
    await control.setLocale(shop, "nl", false, { silent: true });
    try {
      const result = await store.registerTranslations(policy.resourceId, [
        { key: "body", locale: "nl", value: "<p>Wij bewaren weinig.</p>", sourceDigest: sourceOf(read, "body").digest },
      ]);
      expect(result).toMatchObject({
        status: "rejected",
        rejections: [{ key: "body", locale: "nl", reason: "locale-not-enabled" }],
      });
    } finally {
      await control.setLocale(shop, "nl", true, { silent: true });
    }
  });

  it("lists the ids of every resource of a kind, 250 a page, through more than 250", async () => {
    const bulkShop = `translations-list-${randomUUID().slice(0, 8)}.myshopify.com`;
    const bulkToken = `shpat_${randomUUID()}`;
    await control.createShop({ shop: bulkShop, accessToken: bulkToken });
    const { ids } = await control.createProducts(bulkShop, { count: 260 });
    await control.createPage(bulkShop, { title: "About us" });
    const bulkStore = shopifyTranslations(
      new AdminClient({
        shop: bulkShop,
        origin: shopifyUrl,
        token: { get: async () => bulkToken, invalidate: () => undefined },
        bucket: redisCostBucket(redis),
      }),
    );
    const first = await bulkStore.listTranslatableResources("product");
    expect(first.ids).toHaveLength(250);
    expect(first.next).not.toBeNull();
    const second = await bulkStore.listTranslatableResources("product", { after: first.next });
    expect(second).toEqual({ ids: ids.slice(250), next: null });
    expect([...first.ids, ...second.ids]).toEqual(ids);
    expect((await bulkStore.listTranslatableResources("page")).ids).toHaveLength(1);
    expect(await bulkStore.listTranslatableResources("other")).toEqual({ ids: [], next: null });
  });
});

describe("registering a product and its nested resources in one request", () => {
  it("the batch document validates against Shopify's real Admin schema, and the client reserves 10 points an alias", () => {
    for (const count of [1, 7, MAX_ALIASES_PER_REQUEST]) {
      const document = registerBatchDocument(count);
      expect(validate(adminSchema(), parse(document)).map((error) => error.message)).toEqual([]);
      expect(firstEstimate(document)).toBe(10 * count);
    }
  });

  it("one request registers every resource; a refused resource is answered on its own and the others are stored", async () => {
    const product = await control.createProduct(shop, {
      title: "Linen Shirt",
      options: [{ name: "Size", values: ["S", "M"] }],
    });
    const read = await store.translatableResource(product.id, ["fr", "de"]);
    const [size, small, medium] = read?.nested ?? [];
    if (!size || !small || !medium) throw new Error("no nested resources");
    const write = (resource: TranslatableResource, key: string, locale: string, value: string) => ({
      key,
      locale,
      value,
      sourceDigest: sourceOf(resource, key).digest,
    });
    const before = await control.stats(shop);
    const results = await store.registerTranslationBatch([
      {
        resourceId: product.id,
        writes: [write(read!, "title", "fr", "Chemise en lin"), write(read!, "title", "de", "Leinenhemd")],
      },
      { resourceId: size.resourceId, writes: [write(size, "name", "fr", "Taille")] },
      // es is not published: this resource alone is refused, naming the write.
      { resourceId: small.resourceId, writes: [write(small, "name", "es", "P")] },
      { resourceId: medium.resourceId, writes: [] },
    ]);
    const after = await control.stats(shop);
    expect(after.requests - before.requests).toBe(1);
    expect(results).toEqual([
      { status: "registered", count: 2 },
      { status: "registered", count: 1 },
      {
        status: "rejected",
        rejections: [
          { key: "name", locale: "es", reason: "locale-not-enabled", message: "Locale is not enabled for this shop" },
        ],
      },
      { status: "registered", count: 0 },
    ]);
    const stored = await store.translatableResource(product.id, ["fr", "de"]);
    expect(stored?.translations.map(({ locale, value }) => `${locale}:${value}`).sort()).toEqual([
      "de:Leinenhemd",
      "fr:Chemise en lin",
    ]);
    expect(stored?.nested[0]?.translations.map((t) => t.value)).toEqual(["Taille"]);
  });
});
