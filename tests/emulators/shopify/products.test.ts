// Product reads and writes, and the products/* webhooks they cause — including the "echo" of
// the app's own productUpdate, signed like Shopify signs it.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hmacOf, SHOP, emulatorWithReceiver } from "./test-helpers";

const UPDATE = `mutation Update($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product {
      id title descriptionHtml description
      seo { title description }
      metafields(first: 10, namespace: "storewise") { nodes { namespace key type value jsonValue } }
      metafield(namespace: "storewise", key: "bullets") { value }
    }
    userErrors { field message }
  }
}`;

const env = emulatorWithReceiver({
  emulator: () => ({
    webhookSubscriptions: [
      { topics: ["products/create", "products/update", "products/delete"], uri: "/webhooks/products" },
    ],
  }),
});

describe("productUpdate", () => {
  it("writes description, SEO and metafields in one call and echoes a signed products/update webhook", async () => {
    const product = await env.t.control.createProduct(
      SHOP,
      { title: "Linen Shirt", vendor: "Acme", tags: ["linen"] },
      { silent: true },
    );
    const { body } = await env.t.gql(UPDATE, {
      product: {
        id: product.id,
        descriptionHtml: "<p>Breathable <strong>linen</strong> shirt.</p>",
        seo: { title: "Linen Shirt | Acme", description: "A breathable linen shirt." },
        metafields: [
          {
            namespace: "storewise",
            key: "bullets",
            type: "list.single_line_text_field",
            value: JSON.stringify(["Breathable", "Relaxed fit"]),
          },
          { namespace: "storewise", key: "generated", type: "json", value: JSON.stringify({ model: "x", at: 1 }) },
        ],
      },
    });
    expect(body.data.productUpdate.userErrors).toEqual([]);
    const p = body.data.productUpdate.product;
    expect(p.descriptionHtml).toBe("<p>Breathable <strong>linen</strong> shirt.</p>");
    expect(p.description).toBe("Breathable linen shirt.");
    expect(p.seo).toEqual({ title: "Linen Shirt | Acme", description: "A breathable linen shirt." });
    expect(p.metafields.nodes).toEqual([
      {
        namespace: "storewise",
        key: "bullets",
        type: "list.single_line_text_field",
        value: '["Breathable","Relaxed fit"]',
        jsonValue: ["Breathable", "Relaxed fit"],
      },
      {
        namespace: "storewise",
        key: "generated",
        type: "json",
        value: '{"model":"x","at":1}',
        jsonValue: { model: "x", at: 1 },
      },
    ]);
    expect(p.metafield.value).toBe('["Breathable","Relaxed fit"]');

    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "products/update");
    expect(hook.path).toBe("/webhooks/products");
    expect(hook.headers["content-type"]).toBe("application/json");
    expect(hook.headers["x-shopify-hmac-sha256"]).toBe(hmacOf(hook.rawBody));
    expect(hook.headers["x-shopify-hmac-sha256"]).not.toBe(hmacOf(hook.rawBody, "wrong-secret"));
    expect(hook.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(hook.headers["x-shopify-api-version"]).toBe("2026-10");
    expect(hook.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(hook.headers["x-shopify-triggered-at"])))).toBe(false);
    const payload = JSON.parse(hook.rawBody);
    expect(payload).toMatchObject({
      id: product.legacyResourceId,
      admin_graphql_api_id: product.id,
      title: "Linen Shirt",
      body_html: "<p>Breathable <strong>linen</strong> shirt.</p>",
      vendor: "Acme",
      handle: "linen-shirt",
      tags: "linen",
      status: "active",
    });
    expect(payload.variants).toHaveLength(1);
    expect(payload.options[0]).toMatchObject({ name: "Title", values: ["Default Title"] });

    const state = await env.t.control.getProduct(SHOP, product.id);
    expect(state.history.at(-1)).toMatchObject({ source: "graphql", operation: "productUpdate" });
    expect(state.history.at(-1)?.fields).toEqual(
      expect.arrayContaining(["descriptionHtml", "seo", "metafield:storewise.bullets"]),
    );
  });

  it("stores descriptionHtml re-serialised, and every read, webhook and digest returns the stored form", async () => {
    // Shopify rewrites the HTML it stores: text is entity-escaped and tags are normalised, so the
    // value read back (and the translatable-content digest) differs from what was sent
    // (https://community.shopify.dev/t/how-we-can-generate-translatablecontentdigest-locally/18641:
    // "Saving $100 today & earning <5 %" is stored as "Saving $100 today &amp; earning &lt;5 %";
    // https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableContent).
    const product = await env.t.control.createProduct(SHOP, { title: "Mug" }, { silent: true });
    const sent = "<p>Saving $100 today & earning <5 % interest<br/><a href=/deals title='x'>deals</a><p>Second";
    const stored =
      '<p>Saving $100 today &amp; earning &lt;5 % interest<br><a href="/deals" title="x">deals</a></p><p>Second</p>';
    const { body } = await env.t.gql(UPDATE, { product: { id: product.id, descriptionHtml: sent } });
    expect(body.data.productUpdate.product.descriptionHtml).toBe(stored);
    expect(body.data.productUpdate.product.description).toBe(
      "Saving $100 today & earning <5 % interest\ndeals\nSecond",
    );
    const read = await env.t.gql(`query($id: ID!) { product(id: $id) { descriptionHtml } }`, { id: product.id });
    expect(read.body.data.product.descriptionHtml).toBe(stored);
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "products/update");
    expect(JSON.parse(hook.rawBody).body_html).toBe(stored);
    const content = await env.t.gql(
      `query($id: ID!) { translatableResource(resourceId: $id) { translatableContent { key value digest } } }`,
      { id: product.id },
    );
    const body_html = content.body.data.translatableResource.translatableContent.find(
      (c: { key: string }) => c.key === "body_html",
    );
    expect(body_html.value).toBe(stored);
    expect(body_html.digest).toBe(createHash("sha256").update(stored).digest("hex"));
    // Storing is idempotent: writing the stored form back changes nothing.
    const again = await env.t.gql(UPDATE, { product: { id: product.id, descriptionHtml: stored } });
    expect(again.body.data.productUpdate.product.descriptionHtml).toBe(stored);
    // A merchant's edit in the admin is stored the same way.
    const merchant = await env.t.control.updateProduct(
      SHOP,
      product.id,
      { descriptionHtml: "<b>Bold & new" },
      { silent: true },
    );
    expect(merchant.descriptionHtml).toBe("<b>Bold &amp; new</b>");
  });

  it("upserts metafields by namespace and key", async () => {
    const product = await env.t.control.createProduct(SHOP, { title: "Mug" }, { silent: true });
    const write = (value: string) =>
      env.t.gql(UPDATE, {
        product: {
          id: product.id,
          metafields: [{ namespace: "storewise", key: "bullets", type: "list.single_line_text_field", value }],
        },
      });
    await write('["a"]');
    await write('["b"]');
    const state = await env.t.control.getProduct(SHOP, product.id);
    expect(state.metafields.map((m) => [m.key, m.value])).toEqual([["bullets", '["b"]']]);
  });

  it("validates metafield types and values with userErrors", async () => {
    const product = await env.t.control.createProduct(SHOP, { title: "Mug" }, { silent: true });
    const { body } = await env.t.gql(UPDATE, {
      product: {
        id: product.id,
        title: "Should not apply",
        metafields: [
          { namespace: "storewise", key: "bullets", type: "list.single_line_text_field", value: "not json" },
          { namespace: "storewise", key: "list", type: "list.single_line_text_field", value: '{"a":1}' },
          { namespace: "storewise", key: "one", type: "single_line_text_field", value: "two\nlines" },
          { namespace: "storewise", key: "doc", type: "rich_text_field", value: '{"type":"paragraph"}' },
          { namespace: "storewise", key: "weird", type: "no_such_type", value: "v" },
          { namespace: "storewise", key: "notype", value: "v" },
        ],
      },
    });
    expect(body.data.productUpdate.product).toBeNull();
    expect(body.data.productUpdate.userErrors.map((e: { field: string[] }) => e.field)).toEqual([
      ["metafields", "0", "value"],
      ["metafields", "1", "value"],
      ["metafields", "2", "value"],
      ["metafields", "3", "value"],
      ["metafields", "4", "type"],
      ["metafields", "5", "type"],
    ]);
    expect(body.data.productUpdate.userErrors[0].message).toMatch(/invalid JSON/);
    // Nothing was written and no webhook fired.
    const state = await env.t.control.getProduct(SHOP, product.id);
    expect(state.title).toBe("Mug");
    expect(state.metafields).toEqual([]);
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received).toHaveLength(0);
  });

  it("answers 'Product does not exist' for an unknown id", async () => {
    const { body } = await env.t.gql(UPDATE, { product: { id: "gid://shopify/Product/999", title: "x" } });
    expect(body.data.productUpdate).toEqual({
      product: null,
      userErrors: [{ field: ["id"], message: "Product does not exist" }],
    });
  });
});

describe("productCreate / productDelete / reads", () => {
  it("creates a product with a unique handle and fires products/create", async () => {
    const q = `mutation($p: ProductCreateInput!) { productCreate(product: $p) { product { id handle title status tags vendor options { name values optionValues { name } } variants(first: 5) { nodes { title selectedOptions { name value } } } } userErrors { field message } } }`;
    const first = await env.t.gql(q, { p: { title: "Café Mug", tags: ["a, b", "c"], status: "DRAFT" } });
    const second = await env.t.gql(q, { p: { title: "Café Mug" } });
    expect(first.body.data.productCreate.product).toMatchObject({
      handle: "cafe-mug",
      status: "DRAFT",
      tags: ["a", "b", "c"],
    });
    expect(second.body.data.productCreate.product.handle).toBe("cafe-mug-1");
    expect(first.body.data.productCreate.product.variants.nodes).toEqual([
      { title: "Default Title", selectedOptions: [{ name: "Title", value: "Default Title" }] },
    ]);
    const blank = await env.t.gql(q, { p: { title: "" } });
    expect(blank.body.data.productCreate).toMatchObject({
      product: null,
      userErrors: [{ field: ["title"], message: "Title can't be blank" }],
    });
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "products/create");
    expect(JSON.parse(hook.rawBody).title).toBe("Café Mug");
  });

  it("deletes a product and fires products/delete", async () => {
    const product = await env.t.control.createProduct(SHOP, { title: "Gone" }, { silent: true });
    const q = `mutation($id: ID!) { productDelete(input: { id: $id }) { deletedProductId userErrors { field message } } }`;
    const { body } = await env.t.gql(q, { id: product.id });
    expect(body.data.productDelete).toEqual({ deletedProductId: product.id, userErrors: [] });
    const again = await env.t.gql(q, { id: product.id });
    expect(again.body.data.productDelete.userErrors[0].message).toBe("Product does not exist");
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "products/delete");
    expect(JSON.parse(hook.rawBody)).toEqual({ id: product.legacyResourceId });
  });

  it("serves product fields, media alt text and node lookups", async () => {
    const product = await env.t.control.createProduct(
      SHOP,
      {
        title: "Lamp",
        descriptionHtml: "<p>Warm&nbsp;light</p>",
        images: [{ url: "https://cdn.example/lamp.jpg", altText: "A lamp" }],
        variants: [{ sku: "L-1", price: "12.5" }],
        metafields: [{ namespace: "custom", key: "color", type: "single_line_text_field", value: "red" }],
      },
      { silent: true },
    );
    const { body } = await env.t.gql(
      `query($id: ID!) {
        product(id: $id) { legacyResourceId onlineStoreUrl featuredImage { altText url } media(first: 5) { nodes { alt mediaContentType ... on MediaImage { image { altText url } } } }
          variants(first: 5) { nodes { sku price } } metafield(namespace: "custom", key: "color") { value } description createdAt }
        node(id: $id) { __typename ... on Product { title } }
        nodes(ids: [$id, "gid://shopify/Product/1"]) { id }
      }`,
      { id: product.id },
    );
    expect(body.data.product).toMatchObject({
      legacyResourceId: String(product.legacyResourceId),
      onlineStoreUrl: `https://${SHOP}/products/lamp`,
      featuredImage: { altText: "A lamp", url: "https://cdn.example/lamp.jpg" },
      media: {
        nodes: [
          {
            alt: "A lamp",
            mediaContentType: "IMAGE",
            image: { altText: "A lamp", url: "https://cdn.example/lamp.jpg" },
          },
        ],
      },
      variants: { nodes: [{ sku: "L-1", price: "12.50" }] },
      metafield: { value: "red" },
      description: "Warm light",
    });
    expect(body.data.product.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.data.node).toEqual({ __typename: "Product", title: "Lamp" });
    expect(body.data.nodes).toEqual([{ id: product.id }, null]);
  });
});

describe("merchant edits through the control API", () => {
  it("fires products/update for a merchant edit and records the source", async () => {
    const product = await env.t.control.createProduct(SHOP, { title: "Chair" }, { silent: true });
    await env.t.control.updateProduct(SHOP, product.id, { title: "Oak Chair" });
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "products/update");
    expect(JSON.parse(hook.rawBody).title).toBe("Oak Chair");
    const state = await env.t.control.getProduct(SHOP, product.id);
    expect(state.history.at(-1)).toMatchObject({ source: "control", operation: "merchantEdit", fields: ["title"] });
  });

  it("creates many products quickly and silently", async () => {
    const started = Date.now();
    const { created, ids } = await env.t.control.createProducts(SHOP, { count: 2000, template: { vendor: "Bulk Co" } });
    expect(created).toBe(2000);
    expect(ids[0]).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(Date.now() - started).toBeLessThan(5000);
    const count = await env.t.gql("{ productsCount(query: \"vendor:'Bulk Co'\") { count } }");
    expect(count.body.data.productsCount.count).toBe(2000);
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received).toHaveLength(0);
  });
});

describe("orders", () => {
  it("serves orders created through the control API and fires orders/create and orders/updated", async () => {
    await env.t.control.setWebhookSubscriptions([
      { topics: ["orders/create", "orders/updated", "orders/fulfilled"], uri: "/webhooks/orders" },
    ]);
    const product = await env.t.control.createProduct(
      SHOP,
      { title: "Kettle", variants: [{ sku: "K-1", price: "40" }] },
      { silent: true },
    );
    const order = await env.t.control.createOrder(SHOP, {
      email: "ada@example.com",
      customer: { email: "ada@example.com", firstName: "Ada", lastName: "L" },
      lineItems: [{ productId: product.id, quantity: 2 }],
      totalTax: "8.00",
    });
    expect(order.name).toBe("#1001");
    expect(order.total_price).toBe("88.00");
    const created = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/create");
    expect(JSON.parse(created.rawBody)).toMatchObject({
      name: "#1001",
      email: "ada@example.com",
      financial_status: "paid",
      total_price: "88.00",
      currency: "USD",
    });

    await env.t.control.updateOrder(SHOP, order.id, {
      fulfillments: [{ trackingNumber: "1Z", trackingCompany: "UPS", trackingUrl: "https://ups.example/1Z" }],
    });
    await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/updated");
    await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/fulfilled");

    const { body } = await env.t.gql(`{
      orders(first: 5, query: "email:ada@example.com") { nodes {
        id name email displayFinancialStatus displayFulfillmentStatus currencyCode cancelledAt
        totalPriceSet { shopMoney { amount currencyCode } } subtotalPriceSet { shopMoney { amount } }
        customer { id } lineItems(first: 5) { nodes { title quantity sku originalUnitPriceSet { shopMoney { amount currencyCode } } product { id } } }
        fulfillments { status trackingInfo { number url company } }
      } }
      ordersCount { count }
    }`);
    expect(body.data.ordersCount.count).toBe(1);
    expect(body.data.orders.nodes[0]).toMatchObject({
      name: "#1001",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      totalPriceSet: { shopMoney: { amount: "88.00", currencyCode: "USD" } },
      subtotalPriceSet: { shopMoney: { amount: "80.00" } },
      lineItems: {
        nodes: [
          {
            title: "Kettle",
            quantity: 2,
            sku: "K-1",
            originalUnitPriceSet: { shopMoney: { amount: "40.00", currencyCode: "USD" } },
            product: { id: product.id },
          },
        ],
      },
      fulfillments: [
        { status: "SUCCESS", trackingInfo: [{ number: "1Z", url: "https://ups.example/1Z", company: "UPS" }] },
      ],
      cancelledAt: null,
    });
  });
});

describe("collections", () => {
  it("lists each collection once, and products filter by collection_id as on Shopify", async () => {
    await env.t.control.createProduct(SHOP, { title: "Sun Hat", collections: [{ title: "Summer" }] }, { silent: true });
    await env.t.control.createProduct(
      SHOP,
      { title: "Beach Towel", collections: [{ title: "Summer" }, { title: "Bath" }] },
      { silent: true },
    );
    await env.t.control.createProduct(SHOP, { title: "Wool Scarf" }, { silent: true });

    const { body } = await env.t.gql("{ collections(first: 10, sortKey: TITLE) { nodes { id title } } }");
    const collections = (body.data as { collections: { nodes: Array<{ id: string; title: string }> } }).collections
      .nodes;
    expect(collections.map((collection) => collection.title)).toEqual(["Bath", "Summer"]);

    const summerId = collections
      .find((collection) => collection.title === "Summer")!
      .id.split("/")
      .pop();
    const { body: filtered } = await env.t.gql(
      `{ products(first: 10, query: "collection_id:${summerId}") { nodes { title } } }`,
    );
    const titles = (filtered.data as { products: { nodes: Array<{ title: string }> } }).products.nodes;
    expect(titles.map((product) => product.title)).toEqual(["Sun Hat", "Beach Towel"]);
  });
});
