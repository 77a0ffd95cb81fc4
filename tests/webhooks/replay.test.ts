// Shopify's HMAC signs the body only: X-Shopify-Topic and X-Shopify-Shop-Domain can be rewritten
// on a captured delivery. These tests replay correctly signed bodies under other topics and shops.
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";
import { samplePayload, sendWebhook } from "../support/webhooks";
import { withWorker } from "../support/worker-suite";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const queues = queueInspector();
afterAll(() => queues.close());
const { waitUntil } = withWorker();

async function installedShop(prefix: string) {
  const shop = `${prefix}-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  await prisma.productContent.create({
    data: { shopDomain: shop, productId: "gid://shopify/Product/1", title: "Kept" },
  });
  return shop;
}

/** Everything of the shop a wipe would remove, to compare before and after. */
async function footprint(shop: string) {
  return {
    shop: await prisma.shop.findUnique({ where: { domain: shop }, include: { settings: true } }),
    sessions: await prisma.session.count({ where: { shop } }),
    content: await prisma.productContent.count({ where: { shopDomain: shop } }),
    compliance: await prisma.complianceRequest.count({ where: { shopDomain: shop } }),
  };
}

async function queued(webhookId: string) {
  return queues.jobs((job) => job.id === webhookId);
}

describe("a signed body replayed under another shop or topic", () => {
  it("refuses another shop's shop/redact body sent for the victim shop, and nothing of the victim changes", async () => {
    const attacker = await installedShop("attacker");
    const victim = await installedShop("victim");
    // The victim has uninstalled and waits for its own shop/redact: only its own body may erase it.
    await prisma.shop.update({ where: { domain: victim }, data: { uninstalledAt: new Date() } });
    await prisma.session.deleteMany({ where: { shop: victim } });
    const before = await footprint(victim);

    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "shop/redact",
      shop: victim,
      payload: samplePayload("shop/redact", attacker),
      webhookId,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/shop_domain/);
    expect(await queued(webhookId)).toHaveLength(0);
    expect(await footprint(victim)).toEqual(before);
  });

  it.each([
    ["products/update", "shop/redact"],
    ["orders/create", "shop/redact"],
    ["app/uninstalled", "shop/redact"],
    ["customers/redact", "shop/redact"],
    ["customers/data_request", "shop/redact"],
    ["shop/redact", "app/uninstalled"],
    ["customers/redact", "app/uninstalled"],
    ["products/update", "app/uninstalled"],
    ["shop/redact", "customers/redact"],
    ["shop/redact", "products/update"],
    ["app/uninstalled", "products/update"],
    ["orders/create", "products/update"],
    ["customers/redact", "products/create"],
  ])("refuses the shop's own %s body re-sent as %s, and nothing changes", async (signedAs, sentAs) => {
    const shop = await installedShop("cross");
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
    const before = await footprint(shop);
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: sentAs,
      shop,
      payload: samplePayload(signedAs, shop),
      webhookId,
    });
    expect(response.status).toBe(400);
    expect(await queued(webhookId)).toHaveLength(0);
    expect(await footprint(shop)).toEqual(before);
  });

  it("refuses an app/uninstalled body of one shop sent for another", async () => {
    const attacker = await installedShop("attacker");
    const victim = await installedShop("victim");
    const before = await footprint(victim);
    const response = await sendWebhook(appUrl, {
      topic: "app/uninstalled",
      shop: victim,
      payload: samplePayload("app/uninstalled", attacker),
    });
    expect(response.status).toBe(400);
    expect(await footprint(victim)).toEqual(before);
  });
});

describe("app/uninstalled for a shop that is still installed", () => {
  it("is not believed when the store still accepts the app's token (a captured body, replayed)", async () => {
    const shop = await installedShop("replayed-uninstall");
    const before = await footprint(shop);
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "app/uninstalled",
      shop,
      payload: samplePayload("app/uninstalled", shop),
      webhookId,
    });
    // The body is the shop's own and correctly signed: intake cannot tell; the worker asks the store.
    expect(response.status).toBe(200);
    await waitUntil(() => prisma.jobRun.findFirst({ where: { jobId: webhookId, status: "COMPLETED" } }));
    expect(await footprint(shop)).toEqual(before);
  });
});

describe("shop/redact for a shop that is still installed", () => {
  it("is refused at intake with its own, correctly signed body, and nothing is erased", async () => {
    const shop = await installedShop("installed");
    const before = await footprint(shop);
    const webhookId = randomUUID();
    const response = await sendWebhook(appUrl, {
      topic: "shop/redact",
      shop,
      payload: samplePayload("shop/redact", shop),
      webhookId,
    });
    expect(response.status).toBe(409);
    expect(await queued(webhookId)).toHaveLength(0);
    expect(await footprint(shop)).toEqual(before);
  });

  it("is skipped by the worker when the shop reinstalled after the webhook was queued", async () => {
    const shop = await installedShop("reinstalled");
    const before = await footprint(shop);
    const jobId = randomUUID();
    await enqueue("compliance.shop-redact", { shop, webhookId: jobId }, { jobId });
    await waitUntil(() => prisma.jobRun.findFirst({ where: { jobId, status: "COMPLETED" } }));
    expect(await footprint(shop)).toEqual(before);
  });
});

describe("deliveries for a shop the app has no record of", () => {
  it.each(["shop/redact", "customers/redact", "app/uninstalled", "products/create"])(
    "acknowledges %s with 200 and queues nothing",
    async (topic) => {
      const shop = `unknown-${randomUUID().slice(0, 8)}.myshopify.com`;
      const webhookId = randomUUID();
      const response = await sendWebhook(appUrl, { topic, shop, payload: samplePayload(topic, shop), webhookId });
      expect(response.status).toBe(200);
      expect(await queued(webhookId)).toHaveLength(0);
      expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    },
  );
});

describe("products/update deliveries out of order", () => {
  it("does not regenerate copy from a delivery older than one already processed", async () => {
    const shop = await installedShop("stale");
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { regenerateOnEdit: true } });
    const product = await control.createProduct(
      shop,
      { title: "Harbor Rain Jacket", vendor: "Northwind" },
      { silent: true },
    );
    const body = (title: string, updatedAt: string) => ({
      ...(samplePayload("products/update", shop) as object),
      id: Number(product.id.split("/").pop()),
      admin_graphql_api_id: product.id,
      title,
      body_html: "",
      updated_at: updatedAt,
    });
    const productContent = () =>
      prisma.productContent.findUnique({
        where: { shopDomain_productId: { shopDomain: shop, productId: product.id } },
        include: { versions: true },
      });

    const newer = await sendWebhook(appUrl, {
      topic: "products/update",
      shop,
      payload: body("Harbor Rain Jacket", "2026-03-01T12:00:00-05:00"),
    });
    expect(newer.status).toBe(200);
    const drafted = await waitUntil(async () => {
      const row = await productContent();
      return row?.versions.length === 1 && row.factsHash ? row : null;
    });

    // An earlier edit, delivered late (or a captured body replayed): other facts, older updated_at.
    const webhookId = randomUUID();
    const older = await sendWebhook(appUrl, {
      topic: "products/update",
      shop,
      payload: body("Harbor Rain Jacket (old title)", "2026-03-01T11:00:00-05:00"),
      webhookId,
    });
    expect(older.status).toBe(200);
    await waitUntil(async () => (await queued(webhookId)).find((job) => job.finishedOn));
    const after = await productContent();
    expect(after?.versions).toHaveLength(1);
    expect(after?.factsHash).toBe(drafted.factsHash);
  });
});
