// The store's own content a support chat can answer from: the shop's policies
// (https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop#field-Shop.fields.shopPolicies)
// and its online-store pages (https://shopify.dev/docs/api/admin-graphql/latest/queries/pages),
// as the merchant wrote them, paged and filtered like the real API; fields and sort keys the
// emulator does not model fail instead of answering nothing.
import { describe, expect, it } from "vitest";

import { emulatorWithReceiver, SHOP, type AnyJson } from "./test-helpers";

// The app's scopes (shopify.app.toml): read_legal_policies for policies, read_content for pages.
const env = emulatorWithReceiver({ shop: { scopes: ["read_products", "read_legal_policies", "read_content"] } });

const PAGES = `query($first: Int!, $after: String, $query: String, $sortKey: PageSortKeys) {
  pages(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    nodes { id title handle body updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe("shop policies and online-store pages", () => {
  it("answers the policies the merchant wrote, with their type, title and HTML body", async () => {
    await env.t.control.setPolicy(SHOP, "REFUND_POLICY", { body: "<p>Returns within 30 days.</p>" });
    await env.t.control.setPolicy(SHOP, "SHIPPING_POLICY", { body: "<p>Ships in 2 days.</p>" });
    const { body } = await env.t.gql(`{ shop { shopPolicies { id type title body createdAt updatedAt } } }`);
    const policies = (body as AnyJson).data.shop.shopPolicies as Array<Record<string, string>>;
    expect(policies.map((p) => [p.type, p.body])).toEqual([
      ["REFUND_POLICY", "<p>Returns within 30 days.</p>"],
      ["SHIPPING_POLICY", "<p>Ships in 2 days.</p>"],
    ]);
    expect(policies[0]?.id).toMatch(/^gid:\/\/shopify\/ShopPolicy\/\d+$/);
    expect(policies[0]?.title).toBeTruthy();
  });

  it("pages the online store's pages with cursors, filters by title, and sorts by title", async () => {
    await env.t.control.createPage(SHOP, { title: "About us", body: "<p>Since 1999</p>" });
    await env.t.control.createPage(SHOP, { title: "Care guide", body: "<p>Wash cold</p>" });
    await env.t.control.createPage(SHOP, { title: "Contact", body: "<p>Write to us</p>" });
    const first = (await env.t.gql(PAGES, { first: 2 })).body as AnyJson;
    expect(first.data.pages.nodes.map((p: { title: string }) => p.title)).toEqual(["About us", "Care guide"]);
    expect(first.data.pages.nodes[0]).toMatchObject({ handle: "about-us", body: "<p>Since 1999</p>" });
    expect(first.data.pages.pageInfo.hasNextPage).toBe(true);
    const next = (await env.t.gql(PAGES, { first: 2, after: first.data.pages.pageInfo.endCursor })).body as AnyJson;
    expect(next.data.pages.nodes.map((p: { title: string }) => p.title)).toEqual(["Contact"]);

    const care = (await env.t.gql(PAGES, { first: 10, query: "title:care" })).body as AnyJson;
    expect(care.data.pages.nodes.map((p: { title: string }) => p.title)).toEqual(["Care guide"]);
    const reversed = (await env.t.gql(PAGES, { first: 10, sortKey: "TITLE" })).body as AnyJson;
    expect(reversed.data.pages.nodes.map((p: { title: string }) => p.title)).toEqual([
      "About us",
      "Care guide",
      "Contact",
    ]);
  });

  it("refuses what it does not model: publishing state and the PUBLISHED_AT sort", async () => {
    await env.t.control.createPage(SHOP, { title: "About us" });
    const unmodelled = (await env.t.gql(`{ pages(first: 5) { nodes { isPublished } } }`)).body as AnyJson;
    expect(unmodelled.errors?.[0]?.extensions?.code).toBe("EMULATOR_UNMODELLED");
    const sorted = (await env.t.gql(PAGES, { first: 5, sortKey: "PUBLISHED_AT" })).body as AnyJson;
    expect(sorted.errors?.[0]?.extensions?.code).toBe("EMULATOR_UNMODELLED");
    // A document the real schema rejects is refused before any resolver runs.
    const invalid = (await env.t.gql(`{ pages(first: 5) { nodes { bodyHtml } } }`)).body as AnyJson;
    expect(invalid.errors?.[0]?.message).toMatch(/bodyHtml/);
  });
});
