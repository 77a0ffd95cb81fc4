import path from "node:path";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { appFrame, ARTIFACTS, merchantPage } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "bulk", name: "Bulk Run Shop", plan: "plus", waitMs: 30_000 });
const { appUrl, shopifyUrl, control, handle, shop, waitFor } = suite;
const llmControl = new LlmEmulatorControl(inject("llmUrl"));

afterAll(() => llmControl.clearFaults());

async function openBulkRuns() {
  const page = await merchantPage(suite.browser, shopifyUrl);
  await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app/bulk-runs`);
  const app = await appFrame(page, appUrl);
  await app.getByRole("heading", { name: "Write copy for existing products" }).waitFor();
  return { page, app };
}

describe("bulk runs", () => {
  it("writes copy for the catalog with live progress, lists a failure, and retries it", async () => {
    await control.createProducts(shop, {
      count: 40,
      silent: true,
      template: { descriptionHtml: "", title: "Trail Mug {i}" },
    });
    const broken = await control.createProduct(
      shop,
      { title: "Broken Reply Lamp [[emulator:invalid-json]]", descriptionHtml: "" },
      { silent: true },
    );
    // A slower model makes the run long enough to watch.
    await llmControl.setFaults({ latencyMs: 600 });

    const { page, app } = await openBulkRuns();
    await app.getByLabel("Products").selectOption("ALL");
    await app.getByRole("button", { name: "Start bulk run" }).click();
    // A catalog-wide run is confirmed in an App Bridge modal, which says how many products it covers.
    const confirm = page.getByRole("dialog", { name: "Write copy for the whole catalog?" });
    await confirm.waitFor();
    await page
      .frameLocator('[data-testid="shopify-modal-content"]')
      .getByText(/write copy for all 41 products in the catalog/)
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "bulk-run-confirm.png"), fullPage: true });
    await confirm.getByRole("button", { name: "Start bulk run" }).click();
    await app.getByText("Bulk run started: reading the catalog.").waitFor();
    // The ETA shows as soon as the products are queued, before the first is written.
    await app.getByText(/^ETA: about \d+ (s|min)$/).waitFor({ timeout: 30_000 });

    // The page refreshes itself: the count moves without a reload.
    await app.getByText(/^[1-9]\d* of 41 processed$/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, "bulk-run-progress.png"), fullPage: true });

    await app.getByText("41 of 41 processed").waitFor({ timeout: 60_000 });
    await app.getByText("Failed: 1").waitFor();
    await app.getByText(broken.title).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "bulk-run-failed-item.png"), fullPage: true });
    expect(await prisma.contentVersion.count({ where: { productContent: { shopDomain: shop } } })).toBe(40);

    // The home page points at the failure instead of listing it among the failed jobs.
    const home = await merchantPage(suite.browser, shopifyUrl);
    await home.goto(`${shopifyUrl}/store/${handle}/apps/storewise/app`);
    const homeApp = await appFrame(home, appUrl);
    await homeApp.getByText("41 of 41 processed, 1 failed").waitFor();
    await expect(homeApp.getByRole("link", { name: "View bulk run" }).isVisible()).resolves.toBe(true);
    await home.screenshot({ path: path.join(ARTIFACTS, "bulk-run-home-banner.png"), fullPage: true });
    await home.close();

    await llmControl.clearFaults();
    await control.updateProduct(shop, broken.id, { title: "Repaired Lamp" }, { silent: true });
    await app.getByRole("button", { name: `Retry ${broken.title}` }).click();
    await app.getByText("Retrying 1 product.").waitFor();
    await app.getByText("Failed: 0").waitFor({ timeout: 30_000 });
    await app.getByText("Done: 41").waitFor();
    expect(await prisma.contentVersion.count({ where: { productContent: { shopDomain: shop } } })).toBe(41);
    await page.screenshot({ path: path.join(ARTIFACTS, "bulk-run-done.png"), fullPage: true });
    await page.close();
  });

  it("cancels a run from the page, and nothing more is written", async () => {
    await control.createProducts(shop, {
      count: 120,
      silent: true,
      template: { descriptionHtml: "", title: "Canvas Tote {i}", tags: ["tote"] },
    });
    await llmControl.setFaults({ latencyMs: 600 });
    const { page, app } = await openBulkRuns();
    await app.getByLabel("Products").selectOption("TAG");
    await app.getByRole("button", { name: "Start bulk run" }).click();
    await app.getByText("Enter the tag of the products to write copy for.").waitFor();
    await app.getByLabel("Tag").fill("tote");
    await app.getByRole("button", { name: "Start bulk run" }).click();
    await app.getByText(/^[1-9]\d* of 120 processed$/).waitFor({ timeout: 30_000 });

    await app.getByRole("button", { name: "Cancel run" }).click();
    await app.getByText(/^Bulk run canceled; \d+ products were not started\.$/).waitFor();
    await app.getByText("Canceled", { exact: true }).first().waitFor();
    // The first run is in the history, with what it wrote.
    const history = app.locator("table").last();
    await history.getByRole("cell", { name: "Whole catalog" }).waitFor();
    await expect(history.getByRole("row").filter({ hasText: "Whole catalog" }).textContent()).resolves.toContain("41");
    await page.screenshot({ path: path.join(ARTIFACTS, "bulk-run-canceled.png"), fullPage: true });

    const run = await prisma.bulkRun.findFirstOrThrow({
      where: { shopDomain: shop },
      orderBy: { createdAt: "desc" },
    });
    expect(run.status).toBe("CANCELED");
    // Every item's own job has finished (the canceled ones did nothing): nothing of the run is
    // left to write. Then only the products done before the cancel have copy.
    await waitFor(async () => {
      const items = await prisma.bulkRunItem.findMany({ where: { runId: run.id }, select: { id: true } });
      const finished = await prisma.jobRun.count({
        where: {
          jobId: { in: items.map((item) => `bulk-run-item-${item.id}`) },
          status: { in: ["COMPLETED", "FAILED"] },
        },
      });
      return items.length === 120 && finished === items.length;
    });
    const done = await prisma.bulkRunItem.count({ where: { runId: run.id, status: "DONE" } });
    const written = await prisma.contentVersion.count({
      where: { productContent: { shopDomain: shop, title: { startsWith: "Canvas Tote" } } },
    });
    expect(written).toBe(done);
    expect(written).toBeLessThan(120);
    await page.close();
  });
});
