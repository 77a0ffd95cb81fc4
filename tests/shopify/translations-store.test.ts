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
import { shopifyTranslations } from "~/integrations/shopify/shopify-translations.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import type { TranslatableResource } from "~/services/ports/translations";
import { emulatorControl } from "../emulators/shopify/control-client";
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
});
