// The insights report as a merchant uses it: the first visit (no orders yet) shows the empty state
// and starts the 60-day history import; orders then arrive through the real ingest (emulator
// orders → signed webhooks → the worker's order.upserted → rollups), and the report shows them:
// KPI cards with signed deltas, the net sales chart with its table, top products by title, country
// and currency. Changing the range and the comparison updates the URL and the figures; the CSV
// download equals the table on the page.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Frame } from "playwright-core";
import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { DIGEST_PATTERN, digestSchedulerId } from "~/jobs/digest-schedule.server";
import { loadSalesReport } from "~/services/insights/load-sales-report.server";
import { appFrame, ARTIFACTS, merchantPage, toast, waitForTitle } from "./browser";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { deliveriesFinished } from "../support/job-runs";
import { TEST_REDIS_URL } from "../support/test-env";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "insights", name: "Insights Test Shop", waitMs: 40_000 });
const { appUrl, shopifyUrl, handle, shop, control } = suite;
const llm = new LlmEmulatorControl(inject("llmUrl"));

const DAY = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY + 0).toISOString();
const today = () => dayOf(Date.now());

async function openInsights(query = "") {
  const page = await merchantPage(suite.browser, shopifyUrl);
  await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/insights${query}`);
  const app = await appFrame(page, appUrl);
  await waitForTitle(page, "Insights");
  return { page, app };
}

const kpi = (app: Frame, id: string) => app.locator(`span[data-metric="${id}"]`).innerText();
const money = (cents: number | null | undefined) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format((cents ?? 0) / 100);

async function createProduct(title: string) {
  const product = await control.createProduct(shop, { title });
  await suite.waitFor(() => prisma.productContent.findFirst({ where: { shopDomain: shop, title } }));
  return product;
}

describe("the insights report", () => {
  it("shows the empty state on the first visit and starts the history import once", async () => {
    const { page, app } = await openInsights();
    await app.getByText("No orders yet").waitFor();
    await app.getByText("History covers the last 60 days", { exact: false }).waitFor();
    await expect(app.getByText("Importing your order history").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-empty.png"), fullPage: true });
    const backfill = await suite.waitFor(() =>
      prisma.orderBackfill.findFirst({ where: { shopDomain: shop, status: "completed" } }),
    );
    // The recorded window is the last 60 days.
    expect(Math.round((backfill.windowEnd.getTime() - backfill.windowStart.getTime()) / DAY)).toBe(60);
    // The banner goes once the import is done (the page polls while it runs).
    await app.getByText("Importing your order history").waitFor({ state: "hidden", timeout: 20_000 });
    await page.close();
  });

  it("reports seeded orders; range and comparison change the URL and the figures; the CSV equals the table", async () => {
    const throw_ = await createProduct("Linen Throw");
    const table = await createProduct("Oak Side Table");
    const base = { totalTax: "0.00", totalShipping: "0.00" };
    // 40 days ago (the previous period of the last 30): Ada's first order.
    await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(40),
      createdAt: daysAgo(40),
      customer: { email: "ada@example.com" },
      lineItems: [{ title: "Oak Side Table", productId: table.id, quantity: 1, price: "180.00" }],
    });
    // 20 days ago: 3 throws from Canada.
    await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(20),
      createdAt: daysAgo(20),
      customer: { email: "cy@example.com" },
      shippingAddress: { countryCode: "CA", country: "Canada" },
      lineItems: [{ title: "Linen Throw", productId: throw_.id, quantity: 3, price: "45.00" }],
    });
    // 5 days ago: Bo's table with a 20.00 discount, from the US.
    await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(5),
      createdAt: daysAgo(5),
      customer: { email: "bo@example.com" },
      shippingAddress: { countryCode: "US", country: "United States" },
      discountCodes: [{ code: "TWENTY", amount: "20.00" }],
      lineItems: [{ title: "Oak Side Table", productId: table.id, quantity: 1, price: "180.00" }],
    });
    // 2 days ago: Ada returns for 2 throws, paid in GBP from the UK; one is refunded today.
    const ada = await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(2),
      createdAt: daysAgo(2),
      customer: { email: "ada@example.com" },
      shippingAddress: { countryCode: "GB", country: "United Kingdom" },
      presentmentCurrency: "GBP",
      presentmentRate: 0.8,
      lineItems: [{ title: "Linen Throw", productId: throw_.id, quantity: 2, price: "45.00" }],
    });
    await suite.waitFor(() => deliveriesFinished(control, shop));
    await control.refundOrder(shop, ada.id, { lines: [{ index: 0, quantity: 1 }] });
    await suite.waitFor(() => deliveriesFinished(control, shop));

    // Last 30 days (the default): gross 135 + 180 + 90 = 405.00, discounts 20.00, refunds 45.00.
    const { page, app } = await openInsights();
    await app.getByText("Net sales over time").waitFor();
    await expect(kpi(app, "gross_sales")).resolves.toBe("$405.00");
    await expect(kpi(app, "discounts")).resolves.toBe("$20.00");
    await expect(kpi(app, "refunds")).resolves.toBe("$45.00");
    await expect(kpi(app, "net_sales")).resolves.toBe("$340.00");
    await expect(kpi(app, "orders")).resolves.toBe("3");
    await expect(kpi(app, "units")).resolves.toBe("6");
    // Previous 30 days: Ada's 180.00 order only, so net sales went from 180.00 to 340.00 (+88.9%).
    const netCard = app.locator('[data-kpi="net_sales"]');
    await expect(netCard.innerText()).resolves.toMatch(/\+88\.9%\s*up vs previous period[\s\S]*Previous: \$180\.00/);
    await app.getByText("Refunds are counted on the day they were made.", { exact: false }).waitFor();
    await app.getByText("(Shopify allows older orders only with read_all_orders)", { exact: false }).waitFor();
    // Top products by their titles; the throw leads by units (3 + 2 − 1 refunded = 4).
    const byUnits = app.getByRole("region", { name: "Top products by units sold" });
    await expect(byUnits.locator("tbody tr").first().innerText()).resolves.toMatch(/Linen Throw\s+\$180\.00\s+4/);
    const byCountry = app.getByRole("region", { name: "Sales by country" });
    await expect(byCountry.innerText()).resolves.toMatch(/United States\s+1\s+\$180\.00\s+\$160\.00/);
    const byCurrency = app.getByRole("region", { name: "Sales by currency paid" });
    await expect(byCurrency.innerText()).resolves.toMatch(/GBP\s+1\s+\$90\.00\s+\$45\.00/);
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-report-30-days.png"), fullPage: true });

    // Last 7 days: only Bo's and Ada's recent orders.
    await app.getByLabel("Date range").selectOption("last7");
    await app.waitForURL(/range=last7/);
    await expect.poll(() => kpi(app, "orders")).toBe("2");
    await expect(kpi(app, "net_sales")).resolves.toBe("$205.00");
    await expect(kpi(app, "new_customers")).resolves.toBe("1");
    await expect(kpi(app, "returning_customer_orders")).resolves.toBe("1");
    await expect(kpi(app, "repeat_purchase_rate")).resolves.toBe("50.0%");

    // Comparison off: no deltas, no previous line.
    await app.getByLabel("Compare to").selectOption("none");
    await app.waitForURL(/comparison=none/);
    await expect.poll(() => app.getByText("Previous:", { exact: false }).count()).toBe(0);
    await expect(app.locator('[data-series="previous"]').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-report-7-days-no-comparison.png"), fullPage: true });

    // The table behind the chart, then the CSV: the same days and figures.
    await app.getByRole("button", { name: "Show sales over time as a table" }).click();
    const rows = await app.locator('[data-testid="sales-table"] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(7);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      app.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    await toast(page, "Sales CSV downloaded").waitFor();
    expect(download.suggestedFilename()).toBe(
      `storewise-sales-${handle}-${dayOf(Date.now() - 6 * DAY)}-to-${today()}-by-day.csv`,
    );
    const csv = (await readFile(await download.path(), "utf8"))
      .trimEnd()
      .split("\r\n")
      .map((l) => l.split(","));
    const csvRows = csv.slice(1);
    expect(csvRows.every((r) => r[0] === "current")).toBe(true);
    expect(csvRows).toHaveLength(rows.length);
    // Each table cell, unformatted, equals the CSV's cell (money and counts; "—" is an empty cell).
    const unformat = (cell: string) => (cell === "—" ? "" : cell.replace(/[$,%]/g, ""));
    rows.forEach((row, i) => {
      const cells = row.split("\t").slice(1).map(unformat);
      const csvCells = csvRows[i]!.slice(2).map((c, j) => (j === 9 && c !== "" ? (Number(c) * 100).toFixed(1) : c));
      expect(cells).toEqual(csvCells);
    });
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-table.png"), fullPage: true });

    // And the page's figures are the metrics layer's.
    const report = await loadSalesReport({
      db: prisma,
      shop,
      range: { start: dayOf(Date.now() - 6 * DAY), end: today() },
      comparison: "none",
      granularity: "day",
    });
    await expect(kpi(app, "net_sales")).resolves.toBe(money(report.metrics.find((m) => m.id === "net_sales")?.value));
    await page.close();
  });

  it("writes a summary from the figures only, and leaves out a sentence whose figure is wrong", async () => {
    // Runs after the seeded orders above: last 30 days, net sales $340.00 against $180.00.
    const { page, app } = await openInsights("?range=last30");
    const card = app.getByRole("region", { name: "Summary" });
    await card.getByRole("button", { name: "Write a summary" }).click();
    await card.getByText("Net sales was $340.00, against $180.00 in the previous period (+88.9%).").waitFor();
    await card.getByText("Generated from your numbers only", { exact: false }).waitFor();
    await expect(card.getByText("left out", { exact: false }).count()).resolves.toBe(0);
    // The model saw computed figures only: no buyer's email, no order, no product title.
    const sent = (await llm.chats()).filter((c) => c.schemaName === "insights_summary").at(-1);
    const prompt = (sent?.messages ?? []).map((m) => m.text).join("\n");
    expect(prompt).toContain('"id":"net_sales"');
    expect(prompt).not.toMatch(/example\.com|Linen Throw|Oak Side Table|#\d{4}/);

    // A model that gets one figure wrong: that sentence is left out and counted, the other stays.
    await llm.addOverride({
      match: '"id":"net_sales"',
      times: 1,
      reply: {
        sentences: [
          { text: "Net sales reached $430.00 this month.", metricIds: ["net_sales"] },
          { text: "You took 3 orders.", metricIds: ["orders"] },
        ],
      },
    });
    await card.getByRole("button", { name: "Write again" }).click();
    await card.getByText("You took 3 orders.").waitFor();
    await card.getByText("1 sentence was left out because a figure did not match.", { exact: false }).waitFor();
    await expect(card.getByText("$430.00", { exact: false }).count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-summary.png"), fullPage: true });
    await llm.clearOverrides();
    await page.close();
  });

  it("reports a custom range from the URL, and says so when the dates cannot be used", async () => {
    // Only the throws of 20 days ago: 3 × 45.00.
    const day = dayOf(Date.now() - 20 * DAY);
    const { page, app } = await openInsights(`?range=custom&start=${day}&end=${day}&comparison=none`);
    await app.getByText("Net sales over time").waitFor();
    await expect(kpi(app, "orders")).resolves.toBe("1");
    await expect(kpi(app, "net_sales")).resolves.toBe("$135.00");
    await page.close();

    const refused = await openInsights("?range=custom&start=2020-01-01&end=2026-11-30");
    await refused.app.getByText("Net sales over time").waitFor();
    await refused.page.screenshot({ path: path.join(ARTIFACTS, "insights-range-refused.png"), fullPage: true });
    await refused.app.getByText("Those dates could not be used").waitFor();
    // The last 30 days instead.
    await expect(kpi(refused.app, "orders")).resolves.toBe("3");
    await refused.page.screenshot({ path: path.join(ARTIFACTS, "insights-range-refused.png"), fullPage: true });
    await refused.page.close();
  });

  it("keeps weekly digests with verified recommendations, and shows sales against copy and translations", async () => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue("shop", { connection, prefix: QUEUE_PREFIX });
    // The first insights visit (above) made the shop's weekly scheduler: Mondays 06:00 UTC.
    const scheduler = await queue.getJobScheduler(digestSchedulerId(shop));
    expect(scheduler?.pattern).toBe(DIGEST_PATTERN);
    expect(scheduler?.next).toBeGreaterThan(Date.now());

    const throwContent = await prisma.productContent.findFirstOrThrow({
      where: { shopDomain: shop, title: "Linen Throw" },
    });
    const tableContent = await prisma.productContent.findFirstOrThrow({
      where: { shopDomain: shop, title: "Oak Side Table" },
    });
    // 3 days ago: a French-speaking buyer in France takes a throw; one in Canada, a table.
    const base = { totalTax: "0.00", totalShipping: "0.00" };
    await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(3),
      createdAt: daysAgo(3),
      customerLocale: "fr",
      shippingAddress: { countryCode: "FR", country: "France" },
      lineItems: [{ title: "Linen Throw", productId: throwContent.productId, quantity: 1, price: "45.00" }],
    });
    await control.createOrder(shop, {
      ...base,
      processedAt: daysAgo(3),
      createdAt: daysAgo(3),
      customerLocale: "fr-CA",
      shippingAddress: { countryCode: "CA", country: "Canada" },
      lineItems: [{ title: "Oak Side Table", productId: tableContent.productId, quantity: 1, price: "180.00" }],
    });
    await suite.waitFor(() => deliveriesFinished(control, shop));
    // The app's own records the digest reads (fixtures of what the other capabilities write):
    // the throw's copy went live 12 days ago and was translated into French after; the table has
    // no French translation; two shoppers asked the chat about the throw this week.
    const throwVersion = await prisma.contentVersion.findFirstOrThrow({
      where: { productContentId: throwContent.id },
      orderBy: { version: "desc" },
    });
    await prisma.contentVersion.update({
      where: { id: throwVersion.id },
      data: { status: "LIVE", publishedAt: new Date(daysAgo(12)) },
    });
    await prisma.translationEntry.create({
      data: {
        shopDomain: shop,
        resourceId: throwContent.productId,
        kind: "PRODUCT",
        key: "body_html",
        locale: "fr",
        sourceDigest: "digest",
        valueHash: "hash",
        status: "TRANSLATED",
      },
    });
    for (const [i, question] of [
      "Is the linen throw machine washable?",
      "Does the Linen Throw come in grey?",
    ].entries()) {
      await prisma.supportDialog.create({
        data: {
          id: `${"d".repeat(31)}${i}`,
          shopDomain: shop,
          visitorKey: `visitor:${i}`,
          createdAt: new Date(daysAgo(2)),
          messages: { create: [{ role: "user", text: question, createdAt: new Date(daysAgo(2)) }] },
        },
      });
    }
    // An earlier week's digest, as the weekly job kept it.
    await prisma.insightsDigest.create({
      data: {
        shopDomain: shop,
        periodStart: new Date(`${dayOf(Date.now() - 14 * DAY)}T00:00:00Z`),
        periodEnd: new Date(`${dayOf(Date.now() - 8 * DAY)}T00:00:00Z`),
        trigger: "scheduled",
        sentences: [{ text: "Net sales was $0.00.", metricIds: ["net_sales"] }],
        recommendations: [],
        generatedAt: new Date(daysAgo(7)),
      },
    });

    // The scheduler's own next job, run now (promoted) instead of next Monday: the worker writes
    // the last complete week's digest.
    const next = (await queue.getDelayed()).find(
      (job) => job.name === "insights.weekly-digest" && job.data.shop === shop,
    );
    expect(next, "the scheduler's pending job").toBeDefined();
    await next!.promote();
    const scheduled = await suite.waitFor(() =>
      prisma.insightsDigest.findFirst({
        where: { shopDomain: shop, trigger: "scheduled", periodEnd: new Date(`${dayOf(Date.now() - DAY)}T00:00:00Z`) },
      }),
    );
    // The week (7 days to yesterday): Bo's table (160.00 net), Ada's throws (90.00; refunded
    // today, so not this week), and the two French-speaking buyers' 45.00 + 180.00.
    // The week before had no orders: nothing to compare with.
    expect(scheduled.sentences).toEqual([
      { text: "Net sales was $475.00.", metricIds: ["net_sales"] },
      { text: "Orders was 4.", metricIds: ["orders"] },
      { text: "Average order value was $118.75.", metricIds: ["average_order_value"] },
    ]);
    // The model saw figures and product titles only: no buyer, order or chat message.
    const sent = (await llm.chats()).filter((c) => c.schemaName === "insights_recommendations").at(-1);
    const prompt = (sent?.messages ?? []).map((m) => m.text).join("\n");
    expect(prompt).toContain("Oak Side Table");
    expect(prompt).not.toMatch(/example\.com|machine washable|come in grey|#\d{4}/);

    const { page, app } = await openInsights();
    const digests = app.getByRole("region", { name: "Weekly digests" });
    const latest = digests.getByTestId("latest-digest");
    await latest.getByText("Net sales was $475.00", { exact: false }).waitFor();
    // The table sells to French-speaking buyers (Canada) with no French translation.
    await expect(latest.locator('[data-recommendation="translate"]').innerText()).resolves.toMatch(
      /Add the French translation of Oak Side Table: sales to french-speaking buyers came to \$180\.00\./,
    );
    await expect(latest.locator('[data-recommendation="chat-interest"]').innerText()).resolves.toMatch(
      /Shoppers asked the chat about Linen Throw in 2 conversations/,
    );
    await expect(latest.getByText("Written by the weekly job", { exact: false }).count()).resolves.toBe(1);
    await digests.getByRole("button", { name: /^Week of / }).click();
    await digests.getByText("Net sales was $0.00.").waitFor();

    // The cross-capability cards.
    const copyCard = app.getByRole("region", { name: "Sales before and after new copy" });
    // Published 12 days ago: 11 whole days each side; before holds the 3 throws of 20 days ago
    // (135.00), after the throws of 2 and 3 days ago (90.00 + 45.00).
    await expect(copyCard.locator('[data-metric="copy_products_compared"]').innerText()).resolves.toBe("1");
    await expect(copyCard.locator('[data-metric="copy_sales_before"]').innerText()).resolves.toBe("$135.00");
    await expect(copyCard.locator('[data-metric="copy_sales_after"]').innerText()).resolves.toBe("$135.00");
    await copyCard.getByText("not proof the copy caused it", { exact: false }).waitFor();
    await copyCard.getByText("Seasonality", { exact: false }).waitFor();
    await copyCard.getByText("Small samples", { exact: false }).waitFor();
    const coverage = app.getByRole("region", { name: "Translation coverage of sales by market" });
    await expect(coverage.innerText()).resolves.toMatch(
      /France\s+French\s+\$45\.00\s+\$45\.00\s+\$0\.00\s+\$0\.00\s+100\.0%/,
    );
    await expect(coverage.innerText()).resolves.toMatch(
      /Canada\s+French\s+\$180\.00\s+\$0\.00\s+\$0\.00\s+\$180\.00\s+0\.0%/,
    );
    // 45.00 of the 225.00 sold in French is translated.
    await expect(coverage.locator('[data-metric="translated_sales_share"]').innerText()).resolves.toBe("20.0%");
    // No order of this shop carried a chat's cart attribute (tests/e2e/support-admin.test.ts has one that does).
    const chatCard = app.getByRole("region", { name: "Orders after a support chat" });
    await expect(chatCard.locator('[data-metric="chat_attributed_orders"]').innerText()).resolves.toBe("0");
    await chatCard.getByText("No order in this period followed a support chat.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "insights-digest-and-cross-capability.png"), fullPage: true });
    // The page scrolls inside the app's frame: each section on its own, too.
    await digests.screenshot({ path: path.join(ARTIFACTS, "insights-digests.png") });
    await app
      .getByRole("region", { name: "Sales and your Storewise work" })
      .screenshot({ path: path.join(ARTIFACTS, "insights-cross-capability.png") });

    // On demand: the same week written again, replacing its row (a digest per week).
    await llm.addOverride({
      match: "Candidates:",
      times: 1,
      reply: {
        recommendations: [
          {
            ref: "r1",
            text: "Translate Oak Side Table: it sold $810.00 to French buyers.",
            metricIds: ["r1.language_sales"],
          },
        ],
      },
    });
    await digests.getByRole("button", { name: "Write a digest of the last 7 days" }).click();
    await latest.getByText("Written on request", { exact: false }).waitFor();
    await latest.getByText("1 sentence was left out because a figure did not match.", { exact: false }).waitFor();
    await expect(latest.getByText("$810.00", { exact: false }).count()).resolves.toBe(0);
    // The week had things to suggest; none passed the check, and the page says so.
    await latest.getByText("No recommendation could be checked against your figures", { exact: false }).waitFor();
    await expect(prisma.insightsDigest.count({ where: { shopDomain: shop } })).resolves.toBe(2);
    await digests.screenshot({ path: path.join(ARTIFACTS, "insights-digest-on-demand.png") });
    await llm.clearOverrides();
    await page.close();
    await queue.close();
    connection.disconnect();
  });
});
