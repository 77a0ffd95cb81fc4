// Bulk query operations: lifecycle, Shopify's validation of bulk queries and the JSONL format.
import { describe, expect, it } from "vitest";
import { SHOP, emulatorWithReceiver } from "./test-helpers";

const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } } }`;

async function runToCompletion(query: string) {
  const started = await env.t.gql(RUN, { q: query });
  expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.body.data.bulkOperationRunQuery.bulkOperation.id as string;
  for (let i = 0; i < 100; i++) {
    const { body } = await env.t.gql(POLL, { id });
    if (body.data.node.status === "COMPLETED" || body.data.node.status === "FAILED") return body.data.node;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("bulk operation did not finish");
}

const env = emulatorWithReceiver({
  emulator: () => ({
    webhookSubscriptions: [{ topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" }],
  }),
});

describe("bulkOperationRunQuery", () => {
  it("writes one JSONL line per node with nested connection nodes linked by __parentId", async () => {
    await env.t.control.createProduct(
      SHOP,
      {
        title: "A",
        options: [{ name: "Size", values: ["S", "M"] }],
        variants: [
          { sku: "A-S", options: ["S"] },
          { sku: "A-M", options: ["M"] },
        ],
      },
      { silent: true },
    );
    await env.t.control.createProduct(
      SHOP,
      { title: "B", metafields: [{ namespace: "custom", key: "k1", type: "single_line_text_field", value: "v" }] },
      { silent: true },
    );
    const op = await runToCompletion(`{
      products(query: "status:active") {
        edges { node {
          id title seo { title }
          variants { edges { node { id sku } } }
          metafields(first: 5) { nodes { id namespace key value } }
        } }
      }
    }`);
    expect(op).toMatchObject({
      status: "COMPLETED",
      errorCode: null,
      objectCount: "6",
      rootObjectCount: "2",
      partialDataUrl: null,
    });
    expect(Number(op.fileSize)).toBeGreaterThan(0);
    const lines = (await (await fetch(op.url)).text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const [a, b] = (await env.t.control.listProducts(SHOP)).map((p) => p.id);
    expect(lines).toEqual([
      { id: a, title: "A", seo: { title: null } },
      { id: expect.stringMatching(/ProductVariant/), sku: "A-S", __parentId: a },
      { id: expect.stringMatching(/ProductVariant/), sku: "A-M", __parentId: a },
      { id: b, title: "B", seo: { title: null } },
      { id: expect.stringMatching(/ProductVariant/), sku: null, __parentId: b },
      { id: expect.stringMatching(/Metafield/), namespace: "custom", key: "k1", value: "v", __parentId: b },
    ]);
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "bulk_operations/finish");
    expect(JSON.parse(hook.rawBody)).toMatchObject({
      admin_graphql_api_id: op.id,
      status: "completed",
      error_code: null,
      type: "query",
    });
  });

  it("returns no url when the query matched nothing", async () => {
    const op = await runToCompletion("{ products { edges { node { id } } } }");
    expect(op).toMatchObject({ status: "COMPLETED", objectCount: "0", url: null });
  });

  it("rejects bulk queries Shopify would reject", async () => {
    const errorFor = async (q: string) => (await env.t.gql(RUN, { q })).body.data.bulkOperationRunQuery;
    expect((await errorFor("{ shop { name } }")).userErrors).toEqual([
      { field: ["query"], message: "Bulk queries must contain at least one connection.", code: "INVALID" },
    ]);
    expect(
      (await errorFor("{ products { edges { node { title variants { edges { node { id } } } } } } }")).userErrors[0]
        .message,
    ).toMatch(/must select the 'id' field/);
    expect((await errorFor("{ products { edges { node { id nope } } } }")).userErrors[0].message).toMatch(
      /^Invalid bulk query/,
    );
    expect((await errorFor("{ products { edges { node { id nope } } } }")).bulkOperation).toBeNull();
  });

  it("exposes the latest operation via currentBulkOperation and can cancel", async () => {
    await env.t.control.createProducts(SHOP, { count: 3 });
    const started = await env.t.gql(RUN, { q: "{ products { edges { node { id } } } }" });
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
    const current = await env.t.gql("{ currentBulkOperation { id status } }");
    expect(current.body.data.currentBulkOperation.id).toBe(id);
    expect(["CREATED", "RUNNING"]).toContain(current.body.data.currentBulkOperation.status);
    const cancel = await env.t.gql(
      "mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }",
      { id },
    );
    expect(cancel.body.data.bulkOperationCancel.userErrors).toEqual([]);
    // Shopify answers CANCELING for a running operation and settles on CANCELED.
    expect(["CANCELING", "CANCELED"]).toContain(cancel.body.data.bulkOperationCancel.bulkOperation.status);
    await expect.poll(async () => (await env.t.gql(POLL, { id })).body.data.node.status).toBe("CANCELED");
    const after = await env.t.gql(POLL, { id });
    expect(after.body.data.node).toMatchObject({ status: "CANCELED", url: null });
    const again = await env.t.gql("mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }", {
      id,
    });
    expect(again.body.data.bulkOperationCancel.userErrors[0].message).toMatch(/cannot be canceled/);
  });
});
