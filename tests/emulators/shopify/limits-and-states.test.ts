// Shopify's input and page-size limits, and the shop states and faults that refuse a request before
// it runs: a frozen or locked shop, an HTTP 429 with Retry-After, and a drained cost bucket.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SHOP, startTestEmulator, TOKEN, type TestEmulator } from "./test-helpers";

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control.reset();
  await t.control.createShop({ shop: SHOP, accessToken: TOKEN, locales: [{ locale: "en", primary: true }] });
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Product/${i + 1}`);

describe("connection page size", () => {
  // "You can retrieve up to a maximum of 250 resources."
  // https://shopify.dev/docs/api/usage/pagination-graphql
  it("refuses first or last over 250, and serves 250", async () => {
    await t.control.createProducts(SHOP, { count: 3 });
    for (const arg of ["first", "last"]) {
      const { body } = await t.gql(`{ products(${arg}: 251) { nodes { id } } }`);
      expect(body.data).toBeNull();
      expect(body.errors[0]).toMatchObject({
        message: `The maximum number of records you can request with \`${arg}\` is 250.`,
        path: ["products"],
        extensions: { code: "BAD_REQUEST", argumentName: arg, maximum: 250, requested: 251 },
      });
    }
    const ok = await t.gql("query($n: Int) { products(first: $n) { nodes { id } } }", { n: 250 });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.products.nodes).toHaveLength(3);
  });
});

describe("input array size", () => {
  // "Input arguments that accept an array have a maximum size of 250 for all APIs. Requests return
  // an error if an input array exceeds 250 items." https://shopify.dev/docs/api/usage/limits#input-limits
  // and https://shopify.dev/changelog/graphql-input-objects-limited-to-250-items (its example is
  // `nodes(ids: [...251 ids])`).
  it("refuses an input array over 250, in a variable or a literal, with MAX_INPUT_SIZE_EXCEEDED", async () => {
    const viaVariable = await t.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ids(251) });
    expect(viaVariable.body.data).toBeUndefined();
    expect(viaVariable.body.errors).toEqual([
      expect.objectContaining({
        message: "The input array size of 251 is greater than the maximum allowed of 250.",
        path: ["nodes", "ids"],
        extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
      }),
    ]);
    const literal = await t.gql(`{ nodes(ids: ${JSON.stringify(ids(300))}) { id } }`);
    expect(literal.body.errors[0].extensions.code).toBe("MAX_INPUT_SIZE_EXCEEDED");
    expect(literal.body.errors[0].message).toContain("300");
    // Nested inside an input object (productUpdate's tags), it is refused too, and nothing is written.
    const product = await t.control.createProduct(SHOP, { title: "Mug" }, { silent: true });
    const tags = Array.from({ length: 251 }, (_, i) => `tag-${i}`);
    const nested = await t.gql(
      "mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id } userErrors { message } } }",
      { p: { id: product.id, tags } },
    );
    expect(nested.body.errors[0]).toMatchObject({
      path: ["productUpdate", "product", "tags"],
      extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
    });
    expect((await t.control.getProduct(SHOP, product.id)).tags).toEqual([]);
    // 250 is allowed.
    const atLimit = await t.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ids(250) });
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.data.nodes).toHaveLength(250);
  });
});

describe("shop states", () => {
  // https://shopify.dev/docs/api/usage/response-codes: "402 Payment Required — The shop is frozen.
  // The shop owner will need to pay the outstanding balance to unfreeze the shop." and "423 Locked —
  // The shop isn't available." The body is what Shopify sends a frozen shop's clients:
  // `402{"errors":"Unavailable Shop"}` (https://github.com/Shopify/shopify-cli/issues/1770).
  it("answers 402 for a frozen shop and 423 for a locked one, charging nothing, until it is active again", async () => {
    const before = (await t.control.getShop(SHOP)).throttleStatus.currentlyAvailable;
    for (const [state, status] of [
      ["frozen", 402],
      ["locked", 423],
    ] as const) {
      expect((await t.control.setShopState(SHOP, state)).state).toBe(state);
      const res = await t.gql("{ shop { name } }");
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ errors: "Unavailable Shop" });
      expect((await t.control.getShop(SHOP)).state).toBe(state);
    }
    expect((await t.control.getShop(SHOP)).throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(before);
    expect((await t.control.stats(SHOP)).shopUnavailable).toBe(2);
    await t.control.setShopState(SHOP, "active");
    const res = await t.gql("{ shop { name } }");
    expect(res.status).toBe(200);
    expect(res.body.data.shop.name).toBe("emulator-test");
  });

  it("rejects an unknown state", async () => {
    await expect(t.control.setShopState(SHOP, "closed" as "frozen")).rejects.toMatchObject({ status: 400 });
  });
});

describe("429 and the cost bucket", () => {
  // The REST Admin API answers 429 Too Many Requests with Retry-After
  // (https://shopify.dev/docs/api/admin-rest/usage/rate-limits); GraphQL clients see it too
  // (see bucket.ts). The fault answers the next n requests that way.
  it("answers 429 with Retry-After for the next n requests", async () => {
    await t.control.setFaults({ shop: SHOP, http429Next: 1, retryAfterSeconds: 3 });
    const res = await fetch(`${t.emu.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3.0");
    expect(await res.json()).toEqual({
      errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
    });
    expect((await t.gql("{ shop { name } }")).status).toBe(200);
  });

  // "If a query's requested cost exceeds the available points, the request is THROTTLED"
  // https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits
  it("drains the bucket on demand, so the next costly query is THROTTLED", async () => {
    const drained = await t.control.drainBucket(SHOP);
    expect(drained.currentlyAvailable).toBe(0);
    const { body } = await t.gql("{ products(first: 50) { nodes { id title } } }");
    expect(body.errors[0].extensions.code).toBe("THROTTLED");
    expect(body.extensions?.cost?.throttleStatus.currentlyAvailable).toBeLessThan(50);
  });
});
