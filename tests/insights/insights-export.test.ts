// The insights CSV export over real HTTP: the app started from build/, a session token as App
// Bridge sends it, orders recorded through the app's own ingest (ingestOrder → rollups), and the
// figures checked against loadSalesReport (the one metrics layer) and by hand.
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrderFacts } from "~/services/ports/orders";
import { mintSessionToken } from "../emulators/shopify/session-token";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
afterAll(() => prisma.$disconnect());

const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const facts = (id: number, at: string, over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  createdAt: at,
  updatedAt: at,
  processedAt: at,
  cancelledAt: null,
  test: false,
  financialStatus: "PAID",
  fulfillmentStatus: "UNFULFILLED",
  currencyCode: "USD",
  presentmentCurrencyCode: "USD",
  customerLocale: "en",
  subtotal: "1200.00",
  discounts: "0.00",
  shipping: "0.00",
  tax: "0.00",
  total: "1200.00",
  lines: [
    { productId: "gid://shopify/Product/1", variantId: null, title: "Sofa", sku: null, quantity: 1, total: "1200.00" },
  ],
  fulfillments: [],
  refunds: [],
  countryCode: "CA",
  ...over,
});

async function exportCsv(shop: string, query: string, token = true) {
  return fetch(new URL(`/app/insights/export?${query}`, appUrl), {
    redirect: "manual",
    headers: {
      ...(token
        ? { Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, secret: TEST_API_SECRET })}` }
        : {}),
      "User-Agent": BROWSER_UA,
    },
  });
}

const parse = (csv: string) =>
  csv
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));

describe("the insights CSV export", () => {
  it("GIVEN orders over two periods THEN the CSV has one row per day with the metrics layer's figures, previous period after", async () => {
    const shop = `export-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    // Current period 2026-11-08..2026-11-10; previous 2026-11-05..2026-11-07.
    await ingestOrder({ db: prisma, shop, facts: facts(1, "2026-11-08T10:00:00Z"), customerId: "1", emailHash: null });
    await ingestOrder({
      db: prisma,
      shop,
      facts: facts(2, "2026-11-10T10:00:00Z", { subtotal: "90.00", discounts: "10.00", total: "90.00" }),
      customerId: "1",
      emailHash: null,
    });
    await ingestOrder({
      db: prisma,
      shop,
      facts: facts(3, "2026-11-06T10:00:00Z", { subtotal: "50.00", total: "50.00" }),
      customerId: null,
      emailHash: null,
    });

    const response = await exportCsv(
      shop,
      "range=custom&start=2026-11-08&end=2026-11-10&comparison=previous-period&granularity=day",
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="storewise-sales-${shop.replace(".myshopify.com", "")}-2026-11-08-to-2026-11-10-by-day.csv"`,
    );
    const rows = parse(await response.text());
    expect(rows[0]).toEqual([
      "Period",
      "Period start",
      "Gross sales (USD)",
      "Discounts (USD)",
      "Refunds (USD)",
      "Net sales (USD)",
      "Orders",
      "Average order value (USD)",
      "Units sold",
      "New customers",
      "Returning customer orders",
      "Repeat-purchase rate",
    ]);
    // By hand: 1,200.00 on the 8th (a new customer), 100.00 gross − 10.00 on the 10th (returning).
    expect(rows.slice(1)).toEqual([
      ["current", "2026-11-08", "1200.00", "0.00", "0.00", "1200.00", "1", "1200.00", "1", "1", "0", "0.0000"],
      ["current", "2026-11-09", "0.00", "0.00", "0.00", "0.00", "0", "", "0", "0", "0", ""],
      ["current", "2026-11-10", "100.00", "10.00", "0.00", "90.00", "1", "90.00", "1", "0", "1", "1.0000"],
      ["previous", "2026-11-05", "0.00", "0.00", "0.00", "0.00", "0", "", "0", "0", "0", ""],
      ["previous", "2026-11-06", "50.00", "0.00", "0.00", "50.00", "1", "50.00", "1", "0", "0", ""],
      ["previous", "2026-11-07", "0.00", "0.00", "0.00", "0.00", "0", "", "0", "0", "0", ""],
    ]);
    // The same figures as the report the page reads (never a second definition).
    const report = await loadSalesReport({
      db: prisma,
      shop,
      range: { start: "2026-11-08", end: "2026-11-10" },
      comparison: "previous-period",
      granularity: "day",
    });
    const netColumn = rows.slice(1, 4).map((r) => Math.round(Number(r[5]) * 100));
    expect(netColumn).toEqual(report.series.map((p) => p.values.net_sales));

    // By week without a comparison: one bucket (the ISO week of Monday 2026-11-02 … the 9th starts another).
    const weekly = parse(
      await (
        await exportCsv(shop, "range=custom&start=2026-11-08&end=2026-11-10&comparison=none&granularity=week")
      ).text(),
    );
    expect(weekly.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual([
      ["current", "2026-11-02", "1200.00"],
      ["current", "2026-11-09", "90.00"],
    ]);
  });

  it("refuses a request without a session token, and a nonsense query falls back to the last 30 days", async () => {
    const shop = `export-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    const anonymous = await exportCsv(shop, "range=last7", false);
    expect(anonymous.status).not.toBe(200);
    expect(anonymous.headers.get("content-type") ?? "").not.toContain("text/csv");

    const fallback = await exportCsv(shop, "range=forever&start=yesterday&granularity=hour&comparison=maybe");
    expect(fallback.status).toBe(200);
    const rows = parse(await fallback.text());
    // 30 days by day, then the previous 30.
    expect(rows.filter((r) => r[0] === "current")).toHaveLength(30);
    expect(rows.filter((r) => r[0] === "previous")).toHaveLength(30);
    expect(rows.filter((r) => r[0] === "current").at(-1)?.[1]).toBe(new Date().toISOString().slice(0, 10));

    // A custom range longer than two years (which the report refuses) is answered for 30 days too.
    const tooLong = await exportCsv(shop, "range=custom&start=2020-01-01&end=2026-11-30&comparison=none");
    expect(tooLong.status).toBe(200);
    expect(parse(await tooLong.text()).filter((r) => r[0] === "current")).toHaveLength(30);
  });
});
