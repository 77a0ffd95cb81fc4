// GIVEN a store with products (one translated into French by the store) and policies WHEN the app
// indexes them through its Admin client, and product webhooks arrive THEN the chat answers a
// product's price and a named policy straight from the store's words (source "catalog" /
// "policy"), in the shopper's language when the store translated the product; subtler product
// questions reach the model with the product's facts as a passage; and an edited or deleted
// product's passage follows within one webhook (issue 10 §3.1, §3.3).
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { shopifyStore } from "~/integrations/shopify/shopify-store.server";
import { indexStoreContent } from "~/services/support/index-store-content.server";
import { adminClientFor } from "~/shopify.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { proxyPost } from "../support/app-proxy";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const appUrl = inject("appUrl");
const llm = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker();

async function bilingualShop(prefix: string) {
  const shop = `${prefix}-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, {
    shop,
    accessToken: `shpat_${randomUUID()}`,
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: true },
    ],
  });
  return shop;
}

const linenShirt = {
  title: "Linen Shirt",
  descriptionHtml: "<p>Pure Belgian linen. Machine wash at 30°C, hang to dry.</p><script>alert(1)</script>",
  vendor: "Acme",
  productType: "Shirts",
  options: [{ name: "Size", values: ["S", "M", "L"] }],
  variants: [
    { title: "S", price: "49.00", options: ["S"] },
    { title: "M", price: "49.00", options: ["M"] },
    { title: "L", price: "54.00", options: ["L"] },
  ],
};

async function ask(shop: string, message: string, locale = "en") {
  const reply = await proxyPost(appUrl, "chat", { shop }, { message, locale });
  expect(reply.status).toBe(200);
  return reply.body as { answer: string; source: string; action: string };
}

describe("catalog passages", () => {
  it("indexes products with the store's translations and answers price, options and policies directly", async () => {
    const shop = await bilingualShop("chat-catalog");
    const product = await control.createProduct(shop, linenShirt, { silent: true });
    await control.createProduct(
      shop,
      { title: "Wool Beanie", variants: [{ title: "Default", price: "19.00" }] },
      {
        silent: true,
      },
    );
    await control.setPolicy(shop, "SHIPPING_POLICY", {
      body: "<p>We ship worldwide within 2 business days. Orders over 80 EUR ship free.</p>",
    });
    const store = shopifyStore(adminClientFor(shop, { maxWaitMs: 5_000 }));
    // The store's own French translation, registered as the translation pipeline would.
    const resource = await store.translatableResource(product.id, ["fr"]);
    const digest = (key: string) => resource!.source.find((field) => field.key === key)!.digest;
    expect(
      await store.registerTranslations(product.id, [
        { key: "title", locale: "fr", value: "Chemise en lin", sourceDigest: digest("title") },
        {
          key: "body_html",
          locale: "fr",
          value: "<p>Pur lin belge. Lavage en machine à 30°C, séchage à l'air.</p>",
          sourceDigest: digest("body_html"),
        },
      ]),
    ).toMatchObject({ status: "registered" });

    expect(await indexStoreContent({ db: prisma, shop, store })).toEqual({ policies: 1, pages: 0, products: 2 });
    const passages = await prisma.supportPassage.findMany({
      where: { shopDomain: shop, kind: "product", sourceId: product.id },
      orderBy: { locale: "asc" },
    });
    expect(passages.map((passage) => [passage.locale, passage.title])).toEqual([
      ["", "Linen Shirt"],
      ["fr", "Chemise en lin"],
    ]);
    // Plain text: the merchant's markup (and script) is gone; the facts a shopper asks about are in.
    expect(passages[0]!.body).toContain("Price: 49.00");
    expect(passages[0]!.body).toContain("Size: S, M, L.");
    expect(passages[0]!.body).toContain("Machine wash at 30°C");
    expect(passages[0]!.body).not.toContain("alert");

    const chatsBefore = (await llm.chats()).length;
    const price = await ask(shop, "How much is the Linen Shirt?");
    expect(price).toMatchObject({ source: "catalog", action: "answer" });
    expect(price.answer).toContain("Linen Shirt");
    expect(price.answer).toMatch(/49\.00.*54\.00/);
    const sizes = await ask(shop, "Which sizes does the Linen Shirt come in?");
    expect(sizes).toMatchObject({ source: "catalog" });
    expect(sizes.answer).toContain("S, M, L");
    // A French shopper gets the store's French passage.
    const french = await ask(shop, "Combien coûte la Chemise en lin ?", "fr");
    expect(french).toMatchObject({ source: "catalog" });
    expect(french.answer).toContain("Chemise en lin");
    const policy = await ask(shop, "What is your shipping policy?");
    expect(policy).toMatchObject({ source: "policy", action: "answer" });
    expect(policy.answer).toContain("We ship worldwide within 2 business days.");
    // None of these needed the model.
    expect((await llm.chats()).length).toBe(chatsBefore);

    // A subtler product question goes to the model, with the product's facts as a passage.
    const care = await ask(shop, "What temperature can I wash the Linen Shirt at?");
    expect(care).toMatchObject({ source: "llm", action: "answer" });
    expect(care.answer).toContain("30°C");
    const sent = (await llm.chats()).filter((chat) => chat.schemaName === "support_reply").at(-1);
    // The product asked about is the first passage.
    expect(sent?.messages[0]?.text).toContain("[P1] Linen Shirt: Price: 49.00");
  });

  it("follows products/create, products/update and products/delete", async () => {
    const shop = await bilingualShop("chat-catalog-hooks");
    const product = await control.createProduct(shop, linenShirt);
    const passageBody = async () =>
      (await prisma.supportPassage.findFirst({ where: { shopDomain: shop, kind: "product", sourceId: product.id } }))
        ?.body;
    expect(await waitUntil(passageBody)).toContain("Machine wash at 30°C");

    await control.updateProduct(shop, product.id, { descriptionHtml: "<p>Hand wash only, cold water.</p>" });
    expect(
      await waitUntil(async () => ((await passageBody())?.includes("Hand wash only") ? passageBody() : null)),
    ).not.toContain("30°C");
    const answer = await ask(shop, "How should I wash the Linen Shirt?");
    expect(answer.answer).not.toContain("30°C");

    await control.deleteProduct(shop, product.id);
    await waitUntil(async () =>
      (await prisma.supportPassage.count({ where: { shopDomain: shop, kind: "product" } })) === 0 ? true : null,
    );
    const gone = await ask(shop, "How much is the Linen Shirt?");
    expect(gone.source).not.toBe("catalog");
  });
});
