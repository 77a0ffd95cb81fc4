import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { loadBulkRuns } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { eventually } from "../support/eventually";
import { workerPerTest } from "../support/worker-suite";
import { seedShop } from "../support/seed";

// An LLM account out of credit answers 429 insufficient_quota (platform.openai.com/docs/guides/
// error-codes#api-errors). Unlike an outage, no wait clears it: the work fails at once with a
// clear reason instead of being rescheduled, and the admin home says what to do.
const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const appUrl = inject("appUrl");

const workers = workerPerTest({ cleanUp: () => llmControl.clearFaults() });

describe("an LLM account out of credit", () => {
  it("fails the work at once without retrying or rescheduling, and the admin home says so", async () => {
    // Reschedules would come back within a second if the quota were (wrongly) taken for an outage.
    await workers.start({ JOB_RESCHEDULE_BASE_MS: "200", JOB_RESCHEDULE_MAX_MS: "500" });
    const shop = `quota-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await control.createProducts(shop, {
      count: 4,
      silent: true,
      template: { descriptionHtml: "", title: "Broke {i}" },
    });
    await llmControl.setFaults({ insufficientQuota: true });
    const before = (await llmControl.stats()).requests;

    const { id: runId } = await startBulkRun({ db: prisma, shop, selection: { scope: "MISSING_DESCRIPTION" } });
    const progress = await eventually(
      async () => {
        const { latest } = await loadBulkRuns({ db: prisma, shop });
        return latest?.id === runId && latest.status === "COMPLETED" ? latest : null;
      },
      { timeoutMs: 30_000, context: () => workers.current?.output().slice(-3000) ?? "" },
    );
    expect(progress).toMatchObject({ total: 4, done: 0, failed: 4 });
    const runs = await eventually(async () => {
      const rows = await prisma.jobRun.findMany({
        where: { shopDomain: shop, name: "bulk-run.item", status: "FAILED" },
      });
      return rows.length === 4 ? rows : null;
    });
    for (const run of runs) {
      expect(run.errorCode).toBe("LLM_QUOTA_EXHAUSTED");
      expect(run.error).toMatch(/run out of credit/);
      expect(run.attempts).toBeLessThanOrEqual(1); // failed on its first attempt
    }
    // At most one request per product, none retried; the client stops asking after the first answer.
    const sent = (await llmControl.stats()).requests - before;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(4);
    expect(await prisma.llmUsage.count({ where: { shopDomain: shop } })).toBe(0);

    // The admin home's data carries the banner's state (the route renders the Polaris Banner from it).
    const home = await adminRequest(appUrl, shop, "/app?index");
    expect(home.status).toBe(200);
    expect(home.body).toContain("llmOutOfCredit");
    expect(home.body).toContain(runs[0]!.finishedAt!.toISOString().slice(0, 16));
  }, 60_000);

  it("shows no banner once a billed request came after the failure", async () => {
    const shop = `quota-ok-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await prisma.jobRun.create({
      data: {
        queue: "content",
        jobId: randomUUID(),
        name: "product.created",
        shopDomain: shop,
        status: "FAILED",
        errorCode: "LLM_QUOTA_EXHAUSTED",
        error: "out of credit",
        finishedAt: new Date(Date.now() - 60_000),
      },
    });
    const withBanner = await adminRequest(appUrl, shop, "/app?index");
    expect(withBanner.body).toMatch(/"llmOutOfCredit",\{/);
    await prisma.llmUsage.create({
      data: { shopDomain: shop, task: "content", model: "gpt-4o-mini", promptTokens: 10, completionTokens: 10 },
    });
    const without = await adminRequest(appUrl, shop, "/app?index");
    expect(without.status).toBe(200);
    expect(without.body).not.toMatch(/"llmOutOfCredit",\{/);
  });
});
