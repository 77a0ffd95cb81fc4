// Webhook delivery: subscriptions from shopify.app.toml, retries with a stable webhook id,
// redelivery, pause/resume, compliance payloads.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAppToml } from "./app-config";
import { hmacOf, SHOP, emulatorWithReceiver } from "./test-helpers";

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

const env = emulatorWithReceiver({
  emulator: () => {
    const dir = mkdtempSync(join(tmpdir(), "shopify-emulator-"));
    writeFileSync(join(dir, "shopify.app.toml"), TOML);
    return {
      tomlPath: join(dir, "shopify.app.toml"),
      webhookRetry: { attempts: 3, baseDelayMs: 20 },
    };
  },
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
    const p = await env.t.control.createProduct(SHOP, { title: "Subscribed?" }); // products/create: not subscribed
    await env.t.control.updateProduct(SHOP, p.id, { title: "Yes" });
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received.map((r) => [r.path, r.headers["x-shopify-topic"]])).toEqual([
      ["/webhooks/products/update", "products/update"],
    ]);
  });

  it("gives new shops the toml's access scopes", async () => {
    const shop = await env.t.control.getShop(SHOP);
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
    env.receiver.failWith(500, 503);
    const p = await env.t.control.createProduct(SHOP, { title: "Retry me" }, { silent: true });
    await env.t.control.updateProduct(SHOP, p.id, { title: "Retried" });
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);
    const ids = new Set(env.receiver.received.map((r) => r.headers["x-shopify-webhook-id"]));
    expect(ids.size).toBe(1);
    expect(new Set(env.receiver.received.map((r) => r.rawBody)).size).toBe(1);
    for (const r of env.receiver.received) expect(r.headers["x-shopify-hmac-sha256"]).toBe(hmacOf(r.rawBody));

    const log = await env.t.control.webhookLog({ shop: SHOP, topic: "products/update" });
    expect(log.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    const stats = await env.t.control.stats(SHOP);
    expect(stats.webhooks).toEqual({ delivered: 1, failed: 0, attempts: 3 });
  });

  it("gives up after the configured attempts and counts the failure", async () => {
    env.receiver.failWith(500, 500, 500);
    await env.t.control.triggerWebhook(SHOP, "shop/redact");
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received).toHaveLength(3);
    const stats = await env.t.control.stats(SHOP);
    expect(stats.webhooks).toMatchObject({ delivered: 0, failed: 1 });
  });

  it("redelivers a delivered webhook with the same id (for dedupe tests)", async () => {
    const { webhookIds } = await env.t.control.triggerWebhook(SHOP, "app/uninstalled");
    await env.t.control.waitForWebhooks();
    await env.t.control.redeliverWebhook(webhookIds[0] as string);
    await env.t.control.waitForWebhooks();
    expect(env.receiver.received).toHaveLength(2);
    expect(env.receiver.received[0]?.headers["x-shopify-webhook-id"]).toBe(webhookIds[0]);
    expect(env.receiver.received[1]?.headers["x-shopify-webhook-id"]).toBe(webhookIds[0]);
    expect(env.receiver.received[1]?.rawBody).toBe(env.receiver.received[0]?.rawBody);
    const log = await env.t.control.webhookLog({ webhookId: webhookIds[0] });
    expect(log.attempts.map((a) => a.redelivery)).toEqual([false, true]);
  });

  it("holds deliveries while paused", async () => {
    await env.t.control.pauseWebhooks();
    await env.t.control.triggerWebhook(SHOP, "app/uninstalled");
    await new Promise((r) => setTimeout(r, 50));
    expect(env.receiver.received).toHaveLength(0);
    expect((await env.t.control.webhookLog()).pending).toBe(1);
    await env.t.control.resumeWebhooks();
    await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "app/uninstalled");
  });
});

describe("payloads", () => {
  it("sends Shopify's documented compliance payloads", async () => {
    await env.t.control.triggerWebhook(SHOP, "customers/data_request");
    await env.t.control.triggerWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 7, email: "a@b.c", phone: null },
      orders_to_redact: [11],
    });
    await env.t.control.waitForWebhooks();
    const [dataRequest, redact] = env.receiver.received.map((r) => JSON.parse(r.rawBody));
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
    expect(env.receiver.received.every((r) => r.path === "/webhooks/compliance")).toBe(true);
  });

  it("uninstalling revokes tokens and sends app/uninstalled with the shop payload", async () => {
    await env.t.control.uninstall(SHOP);
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "app/uninstalled");
    expect(JSON.parse(hook.rawBody)).toMatchObject({ myshopify_domain: SHOP, domain: SHOP });
    expect((await env.t.gql("{ shop { name } }")).status).toBe(401);
  });

  it("applies include_fields", async () => {
    await env.t.control.setWebhookSubscriptions([
      { topics: ["products/update"], uri: "/webhooks/slim", includeFields: ["id", "title", "variants.sku"] },
    ]);
    const p = await env.t.control.createProduct(SHOP, { title: "Slim", variants: [{ sku: "S-1" }] }, { silent: true });
    await env.t.control.updateProduct(SHOP, p.id, { title: "Slimmer" });
    const hook = await env.receiver.waitFor((w) => w.path === "/webhooks/slim");
    expect(JSON.parse(hook.rawBody)).toEqual({ id: p.legacyResourceId, title: "Slimmer", variants: [{ sku: "S-1" }] });
  });

  it("supports subscriptions registered through the Admin API", async () => {
    const create = await env.t.gql(
      `mutation($uri: String!) { webhookSubscriptionCreate(topic: PRODUCTS_CREATE, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { field message } } }`,
      { uri: `${env.receiver.url}/webhooks/api` },
    );
    const sub = create.body.data.webhookSubscriptionCreate.webhookSubscription;
    expect(sub).toMatchObject({ topic: "PRODUCTS_CREATE", uri: `${env.receiver.url}/webhooks/api` });
    const list = await env.t.gql(
      "{ webhookSubscriptions(first: 10, topics: [PRODUCTS_CREATE]) { nodes { id topic } } }",
    );
    expect(list.body.data.webhookSubscriptions.nodes).toEqual([{ id: sub.id, topic: "PRODUCTS_CREATE" }]);
    await env.t.control.createProduct(SHOP, { title: "Registered" });
    const hook = await env.receiver.waitFor((w) => w.path === "/webhooks/api");
    expect(JSON.parse(hook.rawBody).title).toBe("Registered");
    const del = await env.t.gql(
      "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId } }",
      { id: sub.id },
    );
    expect(del.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBe(sub.id);
  });
});
