// A shop Shopify has frozen (402, unpaid) or locked (423): the app stops spending on it, says so on
// the home page, and picks up again once Shopify serves the shop (docs/decisions/014).
// Status codes: https://shopify.dev/docs/api/usage/response-codes
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();

async function newShop() {
  const shop = `frozen-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  return shop;
}

const tokensSpent = async (shop: string) => {
  const { _sum } = await prisma.llmUsage.aggregate({
    where: { shopDomain: shop },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (_sum.promptTokens ?? 0) + (_sum.completionTokens ?? 0);
};

/** Each new product is one product.created job; the ones of these shops fail. */
const failedRuns = (shop: string, count: number) =>
  waitUntil(async () => {
    const runs = await prisma.jobRun.findMany({
      where: { shopDomain: shop, status: "FAILED" },
      orderBy: { startedAt: "asc" },
    });
    return runs.length >= count ? runs : null;
  });

/** The home page's loader, as App Bridge calls it (single-fetch data request). */
const homeData = async (shop: string) => {
  const response = await adminRequest(appUrl, shop, "/app?index");
  expect(response.status).toBe(200);
  return response.body;
};

describe("a shop Shopify has frozen", () => {
  it("spends 0 tokens on a product webhook, fails the job with the reason, and shows the state", async () => {
    const shop = await newShop();
    await control.setShopState(shop, "frozen");

    await control.createProduct(shop, { title: "Frozen Lantern", vendor: "Northwind" });
    const runs = await failedRuns(shop, 1);
    expect(runs.map((run) => run.name)).toEqual(["product.created"]);
    for (const run of runs) {
      expect(run.errorCode).toBe("SHOP_UNAVAILABLE");
      expect(run.error).toBe(
        "Shopify has frozen this store until its outstanding bill is paid. Storewise has paused its work for the store.",
      );
      // Failed once, for good: a frozen shop is not retried like an outage.
      expect(run.attempts).toBeLessThanOrEqual(1);
    }
    expect(await tokensSpent(shop)).toBe(0);
    const record = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(record.unavailableState).toBe("frozen");
    expect(record.unavailableSince).not.toBeNull();

    // The next job does not even ask Shopify: the recorded state fails it before any call.
    const refusedBefore = (await control.stats(shop)).shopUnavailable;
    const second = await control.createProduct(shop, { title: "Frozen Kettle", vendor: "Northwind" });
    expect((await failedRuns(shop, 2)).every((run) => run.errorCode === "SHOP_UNAVAILABLE")).toBe(true);
    expect((await control.stats(shop)).shopUnavailable).toBe(refusedBefore);
    expect(await tokensSpent(shop)).toBe(0);
    expect(
      await prisma.productContent.count({ where: { shopDomain: shop, productId: second.id, liveVersionId: null } }),
    ).toBe(1);

    // The home page says what happened.
    const frozenHome = await homeData(shop);
    expect(frozenHome).toContain("shopState");
    expect(frozenHome).toContain("frozen");

    // Paid: the home page's live call finds the shop served again and clears the state; new work runs.
    await control.setShopState(shop, "active");
    const thawedHome = await homeData(shop);
    expect(thawedHome).not.toContain('"frozen"');
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).unavailableState).toBeNull();
    await control.createProduct(shop, { title: "Thawed Teapot", vendor: "Northwind" });
    await waitUntil(async () => ((await tokensSpent(shop)) > 0 ? true : null));
  });
});

describe("a shop Shopify has locked", () => {
  it("records the lock from the home page's call and fails the shop's jobs without an LLM call", async () => {
    const shop = await newShop();
    await control.setShopState(shop, "locked");
    const home = await homeData(shop);
    expect(home).toContain("locked");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).unavailableState).toBe("locked");

    const refusedBefore = (await control.stats(shop)).shopUnavailable;
    await control.createProduct(shop, { title: "Locked Ladle", vendor: "Northwind" });
    for (const run of await failedRuns(shop, 1)) {
      expect(run.errorCode).toBe("SHOP_UNAVAILABLE");
      expect(run.error).toContain("Shopify has locked this store");
    }
    expect((await control.stats(shop)).shopUnavailable).toBe(refusedBefore);
    expect(await tokensSpent(shop)).toBe(0);
  });
});
