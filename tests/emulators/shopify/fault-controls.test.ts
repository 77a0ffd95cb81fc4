// The controls the fault suite (tests/faults) drives: a throttle storm, per-product write counts
// and the webhook delivery summary.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  SHOP,
  startTestEmulator,
  startWebhookReceiver,
  TOKEN,
  type AnyJson,
  type TestEmulator,
  type WebhookReceiver,
} from "./test-helpers";

let t: TestEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  t = await startTestEmulator({
    webhookSubscriptions: [{ topics: ["products/create", "products/update"], uri: `${receiver.url}/webhooks` }],
  });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

const storm = (body: unknown) =>
  fetch(`${t.control.baseUrl}/_emulator/shops/${SHOP}/throttle-storm`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("throttle storm", () => {
  it("answers THROTTLED inside 200 and a share of 429 with Retry-After, then recovers", async () => {
    expect((await storm({ seconds: 0.6, http429Share: 0.5, retryAfterSeconds: 2 })).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${t.control.baseUrl}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
      answers.push({
        status: res.status,
        retryAfter: res.headers.get("retry-after"),
        body: (await res.json()) as AnyJson,
      });
    }
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
    for (const answer of answers) {
      if (answer.status === 429) expect(answer.retryAfter).toBe("2.0");
      else {
        expect(answer.body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
        expect(answer.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
      }
    }
    expect((await t.control.stats(SHOP)).throttled).toBeGreaterThanOrEqual(4);

    await new Promise((resolve) => setTimeout(resolve, 700));
    const after = await t.gql("{ shop { name } }");
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.shop.name).toBeTruthy();
  });

  it("refuses a storm without a duration", async () => {
    expect((await storm({})).status).toBe(400);
  });
});

describe("what the fault suite counts", () => {
  it("counts writes per product by operation", async () => {
    const product = await t.control.createProduct(SHOP, { title: "Counted" }, { silent: true });
    const update = `mutation($product: ProductUpdateInput!) { productUpdate(product: $product) { userErrors { message } } }`;
    await t.gql(update, { product: { id: product.id, descriptionHtml: "<p>One</p>" } });
    await t.gql(update, { product: { id: product.id, descriptionHtml: "<p>Two</p>" } });
    const rows = (await (await fetch(`${t.control.baseUrl}/_emulator/shops/${SHOP}/product-writes`)).json()) as Array<{
      id: string;
      counts: Record<string, number>;
    }>;
    expect(rows.find((row) => row.id === product.id)?.counts).toEqual({ productUpdate: 2 });
  });

  it("summarises deliveries: a 503 is retried, and the summary shows both attempts", async () => {
    receiver.failWith(503);
    await t.control.createProduct(SHOP, { title: "Redelivered" });
    await t.control.waitForWebhooks();
    const summary = (await (
      await fetch(`${t.control.baseUrl}/_emulator/webhooks/summary?shop=${SHOP}&topic=products/create`)
    ).json()) as { deliveries: number; attempts: number; retried: number; byStatus: Record<string, number> };
    expect(summary).toMatchObject({ deliveries: 1, attempts: 2, retried: 1, byStatus: { "503": 1, "200": 1 } });
  });
});
