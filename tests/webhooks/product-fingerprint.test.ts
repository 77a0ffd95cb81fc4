// The echo guard and the 0-token re-run rest on one equality: the fingerprints the app computes
// from a products/* webhook equal the ones it computes from the Admin GraphQL read of the same
// product. Checked with a recorded-shape products/create payload (tests/fixtures/shopify-webhooks,
// shaped like the example under https://shopify.dev/docs/api/webhooks?reference=toml, topic
// products/create) sent through the app's real intake, against the app's real Admin read.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis, redis } from "~/lib/redis.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { shopifyStore } from "~/integrations/shopify/shopify-store.server";
import { descriptionFingerprint, factsFingerprint } from "~/services/content/product-fingerprint";
import { emulatorControl } from "../emulators/shopify/control-client";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";
import { sendWebhook } from "../support/webhooks";

const appUrl = inject("appUrl");
const shopifyUrl = inject("shopifyUrl");
const control = emulatorControl(shopifyUrl);
const queues = queueInspector();

type Payload = Record<string, unknown> & {
  title: string;
  body_html: string;
  vendor: string;
  product_type: string;
  tags: string;
  options: Array<{ name: string; values: string[] }>;
  variants: Array<Record<string, unknown> & { title: string; sku: string | null; price: string; option1: string }>;
};

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/shopify-webhooks/products-create.json", import.meta.url), "utf8"),
) as Payload;

const shop = `fingerprint-${randomUUID().slice(0, 8)}.myshopify.com`;
const accessToken = `shpat_${randomUUID()}`;
const store = shopifyStore(
  new AdminClient({
    shop,
    origin: shopifyUrl,
    token: { get: async () => accessToken, invalidate: () => undefined },
    bucket: redisCostBucket(redis),
  }),
);

beforeAll(() => seedShop(control, prisma, { shop, accessToken }));
afterAll(async () => {
  await queues.close();
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

/** The fingerprints the app's webhook intake queued for a delivery of `payload`. */
async function intakeFingerprints(payload: unknown) {
  const webhookId = randomUUID();
  const response = await sendWebhook(appUrl, { topic: "products/create", shop, payload, webhookId });
  expect(response.status).toBe(200);
  const [job] = await queues.jobs((candidate) => candidate.id === webhookId);
  const data = job?.data as { productId: string; factsHash: string; descriptionHash: string };
  return { productId: data.productId, factsHash: data.factsHash, descriptionHash: data.descriptionHash };
}

/** The fingerprints the app computes from its Admin GraphQL read (as a bulk run does). */
async function adminFingerprints(productId: string) {
  const facts = await store.product(productId);
  if (!facts) throw new Error(`no product ${productId}`);
  return {
    productId,
    factsHash: factsFingerprint(facts),
    descriptionHash: descriptionFingerprint(facts.descriptionHtml),
  };
}

/** The emulator's own products/create delivery for a product, as the app received it. */
async function deliveredPayload(productId: string) {
  const log = await control.webhookLog({ shop, topic: "products/create" });
  const delivery = log.deliveries.find(
    (d) => (d.payload as { admin_graphql_api_id?: string }).admin_graphql_api_id === productId,
  );
  if (!delivery) throw new Error(`no products/create delivery for ${productId}`);
  return delivery.payload as Payload;
}

const typeOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const shapeOf = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typeOf(v)]));

describe("product fingerprints: webhook and Admin read agree", () => {
  it("for the recorded-shape products/create payload and the same product read over the Admin API", async () => {
    // GIVEN the merchant creates the fixture's product in the admin
    const product = await control.createProduct(shop, {
      title: fixture.title,
      descriptionHtml: fixture.body_html,
      vendor: fixture.vendor,
      productType: fixture.product_type,
      tags: fixture.tags,
      options: fixture.options.map((option) => ({ name: option.name, values: option.values })),
      variants: fixture.variants.map((variant) => ({
        title: variant.title,
        sku: variant.sku,
        price: variant.price,
        options: [variant.option1],
      })),
    });
    // WHEN Shopify delivers products/create for it (the fixture, with this product's ids)
    const fromWebhook = await intakeFingerprints({
      ...fixture,
      id: product.legacyResourceId,
      admin_graphql_api_id: product.id,
    });
    // THEN the app fingerprints it exactly as it fingerprints its own Admin read of the product
    expect(fromWebhook).toEqual(await adminFingerprints(product.id));
    // … and the emulator's own delivery has the fixture's keys and value types, and the same prints.
    const delivered = await deliveredPayload(product.id);
    const { variants: fixtureVariants, ...fixtureTop } = fixture;
    const { variants: deliveredVariants, ...deliveredTop } = delivered;
    const nullable = (shape: Record<string, string>, keys: string[]) =>
      Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, keys.includes(k) ? "nullable" : v]));
    // Fields whose null-ness depends on the product (a sku, an inventory item) are compared as "nullable".
    const loose = ["sku", "inventory_item_id", "created_at", "published_at", "image_id", "compare_at_price"];
    expect(nullable(shapeOf(deliveredTop), loose)).toEqual(nullable(shapeOf(fixtureTop), loose));
    expect(nullable(shapeOf(deliveredVariants[0] ?? {}), loose)).toEqual(
      nullable(shapeOf(fixtureVariants[0] ?? {}), loose),
    );
    expect(await intakeFingerprints(delivered)).toEqual(fromWebhook);
  });

  it("for a product whose options have values no variant uses (productCreate makes one variant)", async () => {
    // productCreate with productOptions creates only the first combination as a variant
    // (https://shopify.dev/docs/api/admin-graphql/latest/mutations/productCreate); the Admin API's
    // optionValues still lists Medium and Large, with hasVariants false, while the webhook's options
    // list only the values a variant has.
    const created = await control.graphql(
      accessToken,
      `mutation($product: ProductCreateInput!) { productCreate(product: $product) { product { id } userErrors { message } } }`,
      {
        product: {
          title: "Linen Shirt",
          descriptionHtml: "<p>Breathable linen & cotton<br/>blend",
          vendor: "Acme",
          tags: ["linen", "summer"],
          productOptions: [{ name: "Size", values: [{ name: "Small" }, { name: "Medium" }, { name: "Large" }] }],
        },
      },
    );
    const productId = (created.body.data as { productCreate: { product: { id: string } } }).productCreate.product.id;
    const delivered = await deliveredPayload(productId);
    expect(delivered.options).toMatchObject([{ name: "Size", values: ["Small"] }]);
    expect(delivered.body_html).toBe("<p>Breathable linen &amp; cotton<br>blend</p>");
    expect(await intakeFingerprints(delivered)).toEqual(await adminFingerprints(productId));
  });
});
