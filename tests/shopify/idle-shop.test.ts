// GIVEN a shop nobody has opened for over an hour (its offline token has expired) WHEN Shopify
// refuses to refresh that token (after uninstall, or once the refresh token itself has expired)
// THEN webhooks are still answered and processed, and the admin falls back to token exchange.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const appUrl = inject("appUrl");
const { waitUntil } = withWorker();

/** Installed, then idle: the offline token expired a minute ago; the refresh token is still stored. */
async function idleShop() {
  const shop = `idle-${randomUUID().slice(0, 8)}.myshopify.com`;
  const accessToken = `shpat_${randomUUID()}`;
  const refreshToken = `shprt_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken, expiresInSec: -60, refreshToken });
  return { shop, accessToken, refreshToken };
}

/** Every delivery attempt of the shop's webhooks on a topic, as the emulator recorded them. */
async function attempts(shop: string, topic: string) {
  const log = await control.webhookLog({ shop, topic });
  return log.attempts.map((attempt) => attempt.status);
}

describe("an idle shop that is still installed", () => {
  it("a new product still gets its draft: the webhook is queued and the worker refreshes the token once", async () => {
    const { shop } = await idleShop();
    const before = (await control.stats(shop)).tokenRefreshes;

    const product = await control.createProduct(shop, { title: "Dormant Lantern", vendor: "Northwind" });

    // Session storage hides the expired session from the webhook path; intake must not take that
    // for "not installed" and drop the delivery.
    const draft = await waitUntil(() =>
      prisma.contentVersion.findFirst({
        where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
      }),
    );
    expect(draft.descriptionHtml).toContain("<p>");
    expect(await attempts(shop, "products/create")).toEqual([200]);
    expect((await control.stats(shop)).tokenRefreshes - before).toBe(1);
  });
});

describe("an idle shop whose token refresh Shopify refuses", () => {
  it("app/uninstalled answers 200 on its first delivery and removes the shop's sessions", async () => {
    const { shop } = await idleShop();
    await control.uninstall(shop);

    const record = await waitUntil(async () => {
      const row = await prisma.shop.findUnique({ where: { domain: shop } });
      return row?.uninstalledAt ? row : null;
    });
    expect(record.uninstalledAt).toBeInstanceOf(Date);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await attempts(shop, "app/uninstalled")).toEqual([200]);
  });

  it("customers/redact and shop/redact answer 200 and erase, even with a dead session left behind", async () => {
    const { shop, accessToken, refreshToken } = await idleShop();
    await control.uninstall(shop);
    await waitUntil(async () => (await prisma.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt);
    // A session the uninstall never removed (before this fix every app/uninstalled delivery failed).
    await prisma.session.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        accessToken,
        expires: new Date(Date.now() - 60_000),
        refreshToken,
        refreshTokenExpires: new Date(Date.now() + 90 * 24 * 3600 * 1000),
      },
    });
    const before = (await control.stats(shop)).tokenRefreshes;

    await control.triggerWebhook(shop, "customers/redact", {
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 778, email: "bo@example.com", phone: null },
      orders_to_redact: [],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );
    await control.triggerWebhook(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({ where: { shopDomain: shop, topic: "SHOP_REDACT", status: "completed" } }),
    );

    expect(await attempts(shop, "customers/redact")).toEqual([200]);
    expect(await attempts(shop, "shop/redact")).toEqual([200]);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    // The webhook path never asked Shopify for a token.
    expect((await control.stats(shop)).tokenRefreshes - before).toBe(0);
  });

  it("the admin falls back to token exchange when the refresh token has expired", async () => {
    const { shop, accessToken, refreshToken } = await idleShop();
    // The refresh token outlived its 90 days.
    await control.registerToken(shop, { accessToken, expiresIn: -60, refreshToken, refreshTokenExpiresIn: 0 });
    const exchangesBefore = (await control.stats(shop)).tokenExchanges;

    const response = await adminRequest(appUrl, shop, "/app/review");

    expect(response.status).toBe(200);
    // One exchange per loader of the page (the layout's and the review queue's run side by side).
    expect((await control.stats(shop)).tokenExchanges - exchangesBefore).toBeGreaterThanOrEqual(1);
    const [session] = await sessionStorage.findSessionsByShop(shop);
    expect(session?.expires!.getTime()).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    expect(session?.accessToken).toMatch(/^shpat_/);
    expect(session?.accessToken).not.toBe(accessToken);
  });
});
