// Webhook delivery: subscriptions from shopify.app.toml, retries with a stable webhook id,
// redelivery, pause/resume, compliance payloads.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseAppToml } from "./app-config";
import {
  hmacOf,
  SHOP,
  startTestEmulator,
  startWebhookReceiver,
  TOKEN,
  type TestEmulator,
  type WebhookReceiver,
} from "./test-helpers";

const TOML = `
client_id = "test-api-key"
name = "storewise"
application_url = "https://example.com"
embedded = true

[access_scopes]
scopes = "read_products,write_products,read_translations,write_translations,read_locales"

[webhooks]
api_version = "2026-10"

  [[webhooks.subscriptions]]
  topics = [ "app/uninstalled", "app/scopes_update" ]
  uri = "/webhooks/app"

  [[webhooks.subscriptions]]
  topics = [ "products/update" ]
  uri = "/webhooks/products/update"

  [[webhooks.subscriptions]]
  compliance_topics = [ "customers/data_request", "customers/redact", "shop/redact" ]
  uri = "/webhooks/compliance"
`;

let t: TestEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const dir = mkdtempSync(join(tmpdir(), "shopify-emulator-"));
  writeFileSync(join(dir, "shopify.app.toml"), TOML);
  t = await startTestEmulator({
    appUrl: receiver.url,
    tomlPath: join(dir, "shopify.app.toml"),
    webhookRetry: { attempts: 3, baseDelayMs: 20 },
  });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});
beforeEach(async () => {
  await t.control.reset();
  await t.control.createShop({ shop: SHOP, accessToken: TOKEN });
  receiver.received.length = 0;
});

describe("shopify.app.toml", () => {
  it("parses topics, compliance topics, scopes and API version", () => {
    const config = parseAppToml(TOML);
    expect(config.apiVersion).toBe("2026-10");
    expect(config.scopes).toContain("write_translations");
    expect(config.subscriptions).toEqual([
      { topics: ["app/uninstalled", "app/scopes_update"], uri: "/webhooks/app", includeFields: undefined },
      { topics: ["products/update"], uri: "/webhooks/products/update", includeFields: undefined },
      {
        topics: ["customers/data_request", "customers/redact", "shop/redact"],
        uri: "/webhooks/compliance",
        includeFields: undefined,
      },
    ]);
  });

  it("only delivers subscribed topics, to URIs resolved against the app URL", async () => {
    const p = await t.control.createProduct(SHOP, { title: "Subscribed?" }); // products/create: not subscribed
    await t.control.updateProduct(SHOP, p.id, { title: "Yes" });
    await t.control.waitForWebhooks();
    expect(receiver.received.map((r) => [r.path, r.headers["x-shopify-topic"]])).toEqual([
      ["/webhooks/products/update", "products/update"],
    ]);
  });

  it("gives new shops the toml's access scopes", async () => {
    const shop = await t.control.getShop(SHOP);
    expect(shop.scopes).toEqual([
      "read_products",
      "write_products",
      "read_translations",
      "write_translations",
      "read_locales",
    ]);
  });
});

describe("retries and redelivery", () => {
  it("retries a failed delivery with backoff and the same X-Shopify-Webhook-Id", async () => {
    receiver.failWith(500, 503);
    const p = await t.control.createProduct(SHOP, { title: "Retry me" }, { silent: true });
    await t.control.updateProduct(SHOP, p.id, { title: "Retried" });
    await t.control.waitForWebhooks();
    expect(receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);
    const ids = new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"]));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.rawBody)).size).toBe(1);
    for (const r of receiver.received) expect(r.headers["x-shopify-hmac-sha256"]).toBe(hmacOf(r.rawBody));

    const log = await t.control.webhookLog({ shop: SHOP, topic: "products/update" });
    expect(log.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    const stats = await t.control.stats(SHOP);
    expect(stats.webhooks).toEqual({ delivered: 1, failed: 0, attempts: 3 });
  });

  it("gives up after the configured attempts and counts the failure", async () => {
    receiver.failWith(500, 500, 500);
    await t.control.triggerWebhook(SHOP, "shop/redact");
    await t.control.waitForWebhooks();
    expect(receiver.received).toHaveLength(3);
    const stats = await t.control.stats(SHOP);
    expect(stats.webhooks).toMatchObject({ delivered: 0, failed: 1 });
  });

  it("redelivers a delivered webhook with the same id (for dedupe tests)", async () => {
    const { webhookIds } = await t.control.triggerWebhook(SHOP, "app/uninstalled");
    await t.control.waitForWebhooks();
    await t.control.redeliverWebhook(webhookIds[0] as string);
    await t.control.waitForWebhooks();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.headers["x-shopify-webhook-id"]).toBe(webhookIds[0]);
    expect(receiver.received[1]?.headers["x-shopify-webhook-id"]).toBe(webhookIds[0]);
    expect(receiver.received[1]?.rawBody).toBe(receiver.received[0]?.rawBody);
    const log = await t.control.webhookLog({ webhookId: webhookIds[0] });
    expect(log.attempts.map((a) => a.redelivery)).toEqual([false, true]);
  });

  it("holds deliveries while paused", async () => {
    await t.control.pauseWebhooks();
    await t.control.triggerWebhook(SHOP, "app/uninstalled");
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    expect((await t.control.webhookLog()).pending).toBe(1);
    await t.control.resumeWebhooks();
    await receiver.waitFor((w) => w.headers["x-shopify-topic"] === "app/uninstalled");
  });
});

describe("payloads", () => {
  it("sends Shopify's documented compliance payloads", async () => {
    await t.control.triggerWebhook(SHOP, "customers/data_request");
    await t.control.triggerWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 7, email: "a@b.c", phone: null },
      orders_to_redact: [11],
    });
    await t.control.waitForWebhooks();
    const [dataRequest, redact] = receiver.received.map((r) => JSON.parse(r.rawBody));
    expect(dataRequest).toMatchObject({
      shop_domain: SHOP,
      shop_id: expect.any(Number),
      customer: { id: expect.any(Number), email: expect.any(String), phone: expect.any(String) },
      orders_requested: [],
      data_request: { id: expect.any(Number) },
    });
    expect(redact).toEqual({
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 7, email: "a@b.c", phone: null },
      orders_to_redact: [11],
    });
    expect(receiver.received.every((r) => r.path === "/webhooks/compliance")).toBe(true);
  });

  it("uninstalling revokes tokens and sends app/uninstalled with the shop payload", async () => {
    await t.control.uninstall(SHOP);
    const hook = await receiver.waitFor((w) => w.headers["x-shopify-topic"] === "app/uninstalled");
    expect(JSON.parse(hook.rawBody)).toMatchObject({ myshopify_domain: SHOP, domain: SHOP });
    expect((await t.gql("{ shop { name } }")).status).toBe(401);
  });

  it("applies include_fields", async () => {
    await t.control.setWebhookSubscriptions([
      { topics: ["products/update"], uri: "/webhooks/slim", includeFields: ["id", "title", "variants.sku"] },
    ]);
    const p = await t.control.createProduct(SHOP, { title: "Slim", variants: [{ sku: "S-1" }] }, { silent: true });
    await t.control.updateProduct(SHOP, p.id, { title: "Slimmer" });
    const hook = await receiver.waitFor((w) => w.path === "/webhooks/slim");
    expect(JSON.parse(hook.rawBody)).toEqual({ id: p.legacyResourceId, title: "Slimmer", variants: [{ sku: "S-1" }] });
  });

  it("supports subscriptions registered through the Admin API", async () => {
    const create = await t.gql(
      `mutation($uri: String!) { webhookSubscriptionCreate(topic: PRODUCTS_CREATE, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { field message } } }`,
      { uri: `${receiver.url}/webhooks/api` },
    );
    const sub = create.body.data.webhookSubscriptionCreate.webhookSubscription;
    expect(sub).toMatchObject({ topic: "PRODUCTS_CREATE", uri: `${receiver.url}/webhooks/api` });
    const list = await t.gql("{ webhookSubscriptions(first: 10, topics: [PRODUCTS_CREATE]) { nodes { id topic } } }");
    expect(list.body.data.webhookSubscriptions.nodes).toEqual([{ id: sub.id, topic: "PRODUCTS_CREATE" }]);
    await t.control.createProduct(SHOP, { title: "Registered" });
    const hook = await receiver.waitFor((w) => w.path === "/webhooks/api");
    expect(JSON.parse(hook.rawBody).title).toBe("Registered");
    const del = await t.gql(
      "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId } }",
      { id: sub.id },
    );
    expect(del.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBe(sub.id);
  });
});
