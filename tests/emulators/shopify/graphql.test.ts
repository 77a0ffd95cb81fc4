// The GraphQL endpoint's protocol behaviour: auth, validation against the real schema, cost,
// the leaky bucket, injected faults, access scopes and Relay pagination.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SHOP, startTestEmulator, TOKEN, type TestEmulator, type AnyJson } from "./test-helpers";

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control.reset();
  await t.control.createShop({
    shop: SHOP,
    accessToken: TOKEN,
    locales: [{ locale: "en", primary: true }, { locale: "fr" }],
  });
});

const post = (path: string, init: RequestInit) => fetch(`${t.emu.url}${path}`, init);

describe("authentication and routing", () => {
  it("answers 401 with Shopify's body for a missing or unknown token", async () => {
    for (const headers of [{}, { "X-Shopify-Access-Token": "shpat_nope" }] as Array<Record<string, string>>) {
      const res = await post("/admin/api/2026-10/graphql.json", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("answers 401 once a registered token has expired", async () => {
    await t.control.registerToken(SHOP, { accessToken: "shpat_short", expiresIn: 0 });
    const { status } = await t.gql("{ shop { name } }", undefined, "shpat_short");
    expect(status).toBe(401);
  });

  it("answers 404 for an API version it has no schema for", async () => {
    const res = await post("/admin/api/2019-01/graphql.json", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: "Not Found" });
  });

  it("scopes a token to its own shop", async () => {
    await t.control.createShop({ shop: "other.myshopify.com", accessToken: "shpat_other" });
    await t.control.createProduct("other.myshopify.com", { title: "Other shop product" }, { silent: true });
    const mine = await t.gql("{ productsCount { count } }");
    const theirs = await t.gql("{ productsCount { count } }", undefined, "shpat_other");
    expect(mine.body.data?.productsCount.count).toBe(0);
    expect(theirs.body.data?.productsCount.count).toBe(1);
    const shop = await t.gql("{ shop { myshopifyDomain } }", undefined, "shpat_other");
    expect(shop.body.data?.shop.myshopifyDomain).toBe("other.myshopify.com");
  });
});

describe("validation against the real 2026-10 schema", () => {
  it("rejects unknown fields with Shopify-shaped errors and no data", async () => {
    const { status, body } = await t.gql("{ products(first: 1) { nodes { id notAField } } }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'notAField' doesn't exist on type 'Product'",
        locations: [{ line: 1, column: 35 }],
        extensions: { code: "undefinedField", typeName: "Product", fieldName: "notAField" },
      },
    ]);
  });

  it("rejects missing required arguments and syntax errors", async () => {
    const missing = await t.gql("{ product { id } }");
    expect(missing.body.errors[0].extensions.code).toBe("missingRequiredArguments");
    expect(missing.body.errors[0].message).toBe("Field 'product' is missing required arguments: id");
    const syntax = await t.gql("{ shop { name }");
    expect(syntax.body.errors[0].extensions.code).toBe("PARSE_ERROR");
    expect(syntax.body.errors[0].locations).toHaveLength(1);
    const stats = await t.control.stats(SHOP);
    expect(stats.validationErrors).toBe(2);
  });

  it("reports invalid variables", async () => {
    const { body } = await t.gql("query($n: Int!) { products(first: $n) { nodes { id } } }", { n: "ten" });
    expect(body.errors[0].extensions.code).toBe("INVALID_VARIABLE");
  });
});

describe("query cost", () => {
  it("charges Shopify's documented costs for a known query", async () => {
    await t.control.createProducts(SHOP, { count: 3 });
    const { body } = await t.gql("{ products(first: 10) { nodes { id title } } }");
    // connection 2 + 10 × (node object 1); only 3 products exist, so actual = 2 + 3.
    expect(body.extensions?.cost?.requestedQueryCost).toBe(12);
    expect(body.extensions?.cost?.actualQueryCost).toBe(5);
    expect(body.extensions?.cost?.throttleStatus).toEqual({
      maximumAvailable: 2000,
      currentlyAvailable: 1995,
      restoreRate: 100,
    });
  });

  it("multiplies nested connections and counts nested objects", async () => {
    const { body } = await t.gql(
      "{ shop { name } products(first: 10) { edges { cursor node { title seo { title } variants(first: 5) { nodes { price } } } } pageInfo { hasNextPage } } }",
    );
    // shop 1 + 2 + 10 × (1 + seo 1 + (2 + 5 × 1)) = 1 + 2 + 90
    expect(body.extensions?.cost?.requestedQueryCost).toBe(93);
  });

  it("uses variables for connection sizes and caches per variable shape", async () => {
    const q = "query($n: Int!) { products(first: $n) { nodes { id } } }";
    expect((await t.gql(q, { n: 50 })).body.extensions?.cost?.requestedQueryCost).toBe(52);
    expect((await t.gql(q, { n: 5 })).body.extensions?.cost?.requestedQueryCost).toBe(7);
    expect((await t.gql(q, { n: 50 })).body.extensions?.cost?.requestedQueryCost).toBe(52);
  });

  it("charges 10 for a simple mutation, plus dynamic complexity for metafields", async () => {
    const created = await t.control.createProduct(SHOP, { title: "Costed" }, { silent: true });
    const q =
      "mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id title } userErrors { field message } } }";
    const simple = await t.gql(q, { p: { id: created.id, title: "A" } });
    expect(simple.body.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    const withMetafields = await t.gql(q, {
      p: {
        id: created.id,
        metafields: [1, 2, 3, 4, 5].map((i) => ({
          namespace: "custom",
          key: `k${i}`,
          type: "single_line_text_field",
          value: "v",
        })),
      },
    });
    // 10 + 5 × 0.4
    expect(withMetafields.body.extensions?.cost?.requestedQueryCost).toBe(12);
  });

  it("rejects queries above 1000 points with MAX_COST_EXCEEDED before touching the bucket", async () => {
    const { body } = await t.gql("{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }");
    expect(body.errors[0].extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 63252, maxCost: 1000 });
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 63252, actualQueryCost: null });
    expect(body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(2000);
  });
});

describe("leaky bucket", () => {
  it("answers THROTTLED inside HTTP 200 once drained, then restores at the configured rate", async () => {
    await t.control.createShop({ shop: SHOP, restoreRate: 50, bucketSize: 100 });
    await t.control.createProducts(SHOP, { count: 20 }); // so actual cost = requested (no refund)
    const q = "{ products(first: 20) { nodes { id } } }"; // 22 points
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await t.gql(q));
    expect(answers.slice(0, 4).every((a) => !a.body.errors)).toBe(true);
    const throttled = answers[4] as (typeof answers)[number];
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 22,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: expect.any(Number), restoreRate: 50 },
        },
      },
    });
    const available = throttled.body.extensions?.cost?.throttleStatus.currentlyAvailable as number;
    expect(Number.isInteger(available)).toBe(true);
    expect(available).toBeLessThan(22);
    await new Promise((r) => setTimeout(r, 500)); // 50 pts/s × 0.5 s = 25 points back
    const after = await t.gql(q);
    expect(after.body.errors).toBeUndefined();
    const stats = await t.control.stats(SHOP);
    expect(stats.throttled).toBe(1);
    expect(stats.pointsSpent).toBe(5 * 22);
  });

  it("refunds requested − actual after execution", async () => {
    await t.control.createShop({ shop: SHOP, restoreRate: 0.001, bucketSize: 1000 });
    const { body } = await t.gql("{ products(first: 100) { nodes { id } } }");
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 102, actualQueryCost: 2 });
    expect(body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(998);
  });

  // "API rate limits", https://shopify.dev/docs/api/usage/limits#rate-limits (and
  // https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): the GraphQL Admin API's
  // bucket is 2,000 points restored at 100/s on Standard, 4,000 at 200/s on Advanced, 20,000 at
  // 1,000/s on Plus and 40,000 at 2,000/s on Enterprise (Commerce Components).
  it.each([
    ["standard", 2000, 100],
    ["advanced", 4000, 200],
    ["plus", 20000, 1000],
    ["enterprise", 40000, 2000],
  ] as const)("uses Shopify's %s plan limits: a %i-point bucket restoring %i points/s", async (plan, size, rate) => {
    const shop = `${plan}.myshopify.com`;
    await t.control.createShop({ shop, accessToken: `shpat_${plan}`, plan });
    // A new shop's bucket starts full: the first answer shows the whole bucket less its own cost.
    const { body } = await t.gql("{ shop { name } }", undefined, `shpat_${plan}`);
    expect(body.extensions?.cost?.throttleStatus).toEqual({
      maximumAvailable: size,
      currentlyAvailable: size - 1,
      restoreRate: rate,
    });
    // Drained, it refills at the plan's rate, and never above the bucket.
    await t.control.setBucket(shop, { currentlyAvailable: 0 });
    const drainedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refilled = (await t.gql("{ shop { name } }", undefined, `shpat_${plan}`)).body.extensions?.cost
      ?.throttleStatus.currentlyAvailable as number;
    const elapsedSeconds = (performance.now() - drainedAt) / 1000;
    expect(refilled).toBeGreaterThanOrEqual(Math.floor(rate * 0.3) - 2);
    expect(refilled).toBeLessThanOrEqual(Math.ceil(rate * elapsedSeconds));
    await t.control.setBucket(shop, { currentlyAvailable: size * 2 });
    expect(
      (await t.gql("{ shop { name } }", undefined, `shpat_${plan}`)).body.extensions?.cost?.throttleStatus,
    ).toMatchObject({ currentlyAvailable: size - 1 });
  });
});

describe("fault injection", () => {
  it("throttles the next n requests on demand", async () => {
    await t.control.setFaults({ shop: SHOP, throttleNext: 2 });
    expect((await t.gql("{ shop { name } }")).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    expect((await t.gql("{ shop { name } }")).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    expect((await t.gql("{ shop { name } }")).body.errors).toBeUndefined();
  });

  it("answers 5xx for the next n requests", async () => {
    await t.control.setFaults({ graphql5xx: 1, status: 502 });
    expect((await t.gql("{ shop { name } }")).status).toBe(502);
    expect((await t.gql("{ shop { name } }")).status).toBe(200);
  });
});

describe("execution", () => {
  // Strict mode (on in every test, benchmark and the sandbox): Shopify never answers "", 0, [] or
  // null for a field it has data for, so a field the emulator does not model fails the request and
  // names the field, instead of letting a test pass against empty data.
  it("strict mode fails an unmodelled field with an error naming it, at the root or nested", async () => {
    const root = await t.gql('{ collection(id: "gid://shopify/Collection/1") { id } }');
    expect(root.body.errors[0]).toMatchObject({
      message: "Emulator does not model QueryRoot.collection",
      extensions: { code: "EMULATOR_UNMODELLED", typeName: "QueryRoot", fieldName: "collection" },
    });
    const nonNull = await t.gql("{ publicApiVersions { handle } }");
    expect(nonNull.body.data).toBeNull();
    expect(nonNull.body.errors[0].message).toBe("Emulator does not model QueryRoot.publicApiVersions");
    const nested = await t.gql("{ shop { name billingAddress { city } } }");
    expect(nested.body.errors.map((e: AnyJson) => e.message)).toEqual(["Emulator does not model Shop.billingAddress"]);
    expect(nested.body.errors[0].path).toEqual(["shop", "billingAddress"]);
    // Modelled fields, including ones whose real value is null, answer normally.
    const modelled = await t.gql("{ shop { name description } }");
    expect(modelled.body.errors).toBeUndefined();
    expect(modelled.body.data.shop).toEqual({ name: "emulator-test", description: null });
  });

  // currentAppInstallation.app is the calling app: its apiKey is the app's client id
  // (https://shopify.dev/docs/api/admin-graphql/latest/objects/App), never "".
  it("reports the calling app's API key, and names translatable resource types it does not model", async () => {
    const app = await t.gql("{ currentAppInstallation { app { apiKey title } } }");
    expect(app.body.data.currentAppInstallation.app).toEqual({ apiKey: "test-api-key", title: "Storewise" });
    const [product] = (await t.control.createProducts(SHOP, { count: 1, silent: true })).ids;
    const nested = await t.gql(
      "query($id: ID!) { translatableResource(resourceId: $id) { nestedTranslatableResources(first: 5, resourceType: ARTICLE_IMAGE) { nodes { resourceId } } } }",
      { id: product },
    );
    expect(nested.body.errors[0].message).toBe(
      "Emulator does not model TranslatableResource.nestedTranslatableResources(resourceType ARTICLE_IMAGE)",
    );
    const blogs = await t.gql("{ translatableResources(resourceType: BLOG, first: 5) { nodes { resourceId } } }");
    expect(blogs.body.errors[0].message).toBe("Emulator does not model translatableResources(resourceType: BLOG)");
  });

  it("without strict mode, answers type-correct defaults for unmodelled fields", async () => {
    const lax = await startTestEmulator({ strict: false });
    try {
      const nested = await lax.gql("{ shop { billingAddress { city } } }");
      expect(nested.body.errors).toBeUndefined();
      const nullable = await lax.gql('{ collection(id: "gid://shopify/Collection/1") { id } }');
      expect(nullable.body).toMatchObject({ data: { collection: null } });
      expect(nullable.body.errors).toBeUndefined();
    } finally {
      await lax.close();
    }
  });

  it("denies fields outside the token's scopes like Shopify", async () => {
    await t.control.registerToken(SHOP, { accessToken: "shpat_products_only", scopes: ["read_products"] });
    const { body } = await t.gql("{ ordersCount { count } }", undefined, "shpat_products_only");
    expect(body.errors[0].message).toBe(
      "Access denied for ordersCount field. Required access: `read_orders` access scope or `read_marketplace_orders` access scope.",
    );
    expect(body.errors[0].extensions.code).toBe("ACCESS_DENIED");
  });

  it("counts operations per root field", async () => {
    await t.gql("{ shop { name } a: productsCount { count } b: productsCount { count } }");
    const stats = await t.control.stats(SHOP);
    expect(stats.operations).toEqual({ shop: 1, productsCount: 2 });
    expect(stats.requests).toBe(1);
  });
});

describe("Relay pagination and search", () => {
  beforeEach(async () => {
    await t.control.createProducts(SHOP, { count: 7, template: { title: "Widget {i}", tags: ["even-{i}"] } });
    await t.control.createProduct(
      SHOP,
      { title: "Blue Shirt", tags: ["sale", "summer"], status: "DRAFT", vendor: "Acme" },
      { silent: true },
    );
  });

  it("pages forwards and backwards with opaque cursors", async () => {
    const q =
      "query($after: String, $before: String, $first: Int, $last: Int) { products(first: $first, last: $last, after: $after, before: $before) { edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    const p1 = (await t.gql(q, { first: 3 })).body.data.products;
    expect(p1.edges.map((e: AnyJson) => e.node.title)).toEqual(["Widget 1", "Widget 2", "Widget 3"]);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = (await t.gql(q, { first: 3, after: p1.pageInfo.endCursor })).body.data.products;
    expect(p2.edges.map((e: AnyJson) => e.node.title)).toEqual(["Widget 4", "Widget 5", "Widget 6"]);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const p3 = (await t.gql(q, { first: 3, after: p2.pageInfo.endCursor })).body.data.products;
    expect(p3.edges.map((e: AnyJson) => e.node.title)).toEqual(["Widget 7", "Blue Shirt"]);
    expect(p3.pageInfo.hasNextPage).toBe(false);
    const back = (await t.gql(q, { last: 2, before: p2.pageInfo.startCursor })).body.data.products;
    expect(back.edges.map((e: AnyJson) => e.node.title)).toEqual(["Widget 2", "Widget 3"]);
  });

  it("requires first or last", async () => {
    const { body } = await t.gql("{ products { nodes { id } } }");
    expect(body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("supports Shopify's search syntax", async () => {
    const titles = async (query: string) =>
      (
        await t.gql("query($q: String) { products(first: 50, query: $q) { nodes { title } } }", { q: query })
      ).body.data.products.nodes.map((n: AnyJson) => n.title);
    expect(await titles("title:*shirt*")).toEqual(["Blue Shirt"]);
    expect(await titles("tag:sale")).toEqual(["Blue Shirt"]);
    expect(await titles("status:draft")).toEqual(["Blue Shirt"]);
    expect((await titles("status:active")).length).toBe(7);
    expect(await titles("widget 3")).toEqual(["Widget 3"]);
    expect(await titles("Widget*")).toHaveLength(7);
    expect(await titles("-tag:sale vendor:Acme")).toEqual([]);
    expect(await titles("tag:even-2 OR tag:even-5")).toEqual(["Widget 2", "Widget 5"]);
    expect((await titles(`updated_at:>${new Date(Date.now() - 60_000).toISOString()}`)).length).toBe(8);
    expect(await titles(`updated_at:>${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    const count = await t.gql('{ productsCount(query: "status:active") { count precision } }');
    expect(count.body.data.productsCount).toEqual({ count: 7, precision: "EXACT" });
  });

  it("sorts by sortKey and reverse", async () => {
    const { body } = await t.gql("{ products(first: 3, sortKey: TITLE, reverse: true) { nodes { title } } }");
    expect(body.data.products.nodes.map((n: AnyJson) => n.title)).toEqual(["Widget 7", "Widget 6", "Widget 5"]);
  });
});
