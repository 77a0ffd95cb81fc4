// Unit tests for the cost calculator and the leaky bucket, without HTTP.
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { LeakyBucket } from "./bucket";
import { actualQueryCost, requestedQueryCost, type CostContext } from "./cost";
import { loadAdminSchema } from "./schema";

const { schema } = loadAdminSchema("2026-10");

function costOf(query: string, variables: Record<string, unknown> = {}, data?: Record<string, unknown>) {
  const doc = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const ctx: CostContext = { schema, fragments, variables };
  const requested = requestedQueryCost(ctx, op);
  return { requested, actual: data === undefined ? undefined : actualQueryCost(ctx, op, data, requested) };
}

describe("requested cost", () => {
  it("follows Shopify's rules for scalars, objects and connections", () => {
    expect(costOf("{ shop { name } }").requested).toBe(1);
    expect(costOf("{ shop { name plan { displayName } } }").requested).toBe(2);
    expect(costOf('{ product(id: "gid://shopify/Product/1") { title } }').requested).toBe(1);
    expect(costOf("{ products(first: 10) { nodes { id title } } }").requested).toBe(12);
    expect(costOf("{ products(last: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }").requested).toBe(
      12,
    );
    // edges.node and nodes are the same objects: counted once (the dearer selection).
    expect(costOf("{ products(first: 10) { edges { node { id } } nodes { id seo { title } } } }").requested).toBe(22);
    expect(costOf("{ products(first: 10) { nodes { variants(first: 5) { nodes { id } } } } }").requested).toBe(
      2 + 10 * (1 + 2 + 5),
    );
  });

  it("counts one object per id for nodes(ids:)", () => {
    const q = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { seo { title } } } }";
    expect(costOf(q, { ids: ["a", "b", "c"] }).requested).toBe(3 * 2);
    expect(costOf(q, { ids: ["a", "b", "c"] }, { nodes: [{ id: "a", seo: { title: null } }, null, null] }).actual).toBe(
      2,
    );
  });

  it("counts fragments, and the dearest branch of an abstract type", () => {
    const q = `
      query { products(first: 2) { nodes { ...P } } }
      fragment P on Product { media(first: 3) { nodes { alt ... on MediaImage { image { url } } ... on Video { sources { url } originalSource { url } } } } }`;
    // node 1 + media (2 + 3 × (1 + max(image 1, sources 1 + originalSource 1)))
    expect(costOf(q).requested).toBe(2 + 2 * (1 + 2 + 3 * (1 + 2)));
  });

  it("honours @skip / @include and variables", () => {
    const q =
      "query($n: Int!, $withSeo: Boolean!) { products(first: $n) { nodes { id seo @include(if: $withSeo) { title } } } }";
    expect(costOf(q, { n: 5, withSeo: false }).requested).toBe(7);
    expect(costOf(q, { n: 5, withSeo: true }).requested).toBe(12);
  });

  it("charges mutations 10 plus dynamic complexity and connections in the payload", () => {
    expect(
      costOf(
        'mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId userErrors { field } } }',
      ).requested,
    ).toBe(10);
    const mf = (n: number) =>
      Array.from({ length: n }, (_, i) => `{ namespace: "a", key: "k${i}", type: "json", value: "1" }`).join(",");
    expect(
      costOf(
        `mutation { productUpdate(product: { id: "gid://shopify/Product/1", metafields: [${mf(10)}] }) { product { id } } }`,
      ).requested,
    ).toBe(14);
    expect(
      costOf(
        'mutation { productUpdate(product: { id: "gid://shopify/Product/1" }) { product { variants(first: 10) { nodes { id } } } } }',
      ).requested,
    ).toBe(22);
    expect(
      costOf(
        'mutation { a: tagsAdd(id: "gid://shopify/Product/1", tags: ["x"]) { node { id } } b: tagsAdd(id: "gid://shopify/Product/1", tags: ["y"]) { node { id } } }',
      ).requested,
    ).toBe(20);
  });
});

describe("actual cost", () => {
  it("counts the nodes really returned and nothing for nulls, never above requested", () => {
    const q = '{ products(first: 10) { nodes { id seo { title } } } product(id: "x") { id } }';
    const data = {
      products: {
        nodes: [
          { id: "1", seo: { title: null } },
          { id: "2", seo: { title: "t" } },
        ],
      },
      product: null,
    };
    expect(costOf(q, {}, data)).toEqual({ requested: 2 + 10 * 2 + 1, actual: 2 + 2 * 2 });
  });
});

describe("leaky bucket", () => {
  it("takes requested points, refunds, and restores continuously up to the maximum", () => {
    let now = 0;
    const bucket = new LeakyBucket(100, 50, () => now);
    expect(bucket.tryTake(60)).toBe(true);
    expect(bucket.tryTake(60)).toBe(false); // 40 available
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 40, restoreRate: 50 });
    now += 500; // +25
    expect(bucket.currentlyAvailable()).toBe(65);
    bucket.refund(10);
    expect(bucket.currentlyAvailable()).toBe(75);
    now += 10_000;
    expect(bucket.currentlyAvailable()).toBe(100);
    now += 10;
    expect(bucket.tryTake(100)).toBe(true);
    now += 30; // 1.5 points: reported floored
    expect(bucket.currentlyAvailable()).toBe(1);
  });
});
