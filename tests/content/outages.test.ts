import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { getQueue } from "~/jobs/queues.server";
import { loadBulkRuns } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { allowErrorLogs } from "../support/error-logs";
import { workerPerTest } from "../support/worker-suite";
import { seedShop } from "../support/seed";
import { reschedulesOf } from "../../workers/reschedule";

// Outages reschedule jobs without spending an attempt (docs/decisions/011). The reschedule
// backoff is scaled down from minutes to fractions of a second so the test takes seconds; the
// job retry policy (5 attempts, 2-16 s) is the production one, so an outage longer than its
// ~30 s window is really longer than what attempts alone would survive.
const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const FAST_RESCHEDULE = { JOB_RESCHEDULE_BASE_MS: "500", JOB_RESCHEDULE_MAX_MS: "2000" };

const workers = workerPerTest({ env: FAST_RESCHEDULE, cleanUp: () => llmControl.clearFaults() });
const { start, waitUntil } = workers;

async function newShop() {
  const shop = `outage-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
  return shop;
}

describe("an LLM outage longer than the retry window", () => {
  it("finishes every product of a bulk run once the LLM is back, without spending attempts", async () => {
    await start();
    const shop = await newShop();
    await control.createProducts(shop, {
      count: 6,
      silent: true,
      template: { descriptionHtml: "", title: "Dark {i}" },
    });
    await llmControl.setFaults({ down: true });
    const { id: runId } = await startBulkRun({ db: prisma, shop, selection: { scope: "MISSING_DESCRIPTION" } });

    // The outage outlasts the retry window: every item's own job has met it as often as it has
    // attempts (5, with 2-16 s backoff), so had each meeting spent one, the last would have failed
    // it. No item may show as failed meanwhile.
    await waitUntil(async () => {
      const { latest } = await loadBulkRuns({ db: prisma, shop });
      expect(latest?.failed ?? 0).toBe(0);
      const items = await prisma.bulkRunItem.findMany({ where: { runId }, select: { id: true } });
      const jobs = await Promise.all(items.map((item) => getQueue("content").getJob(`bulk-run-item-${item.id}`)));
      return items.length === 6 && jobs.every((job) => job && reschedulesOf(job) >= (job.opts.attempts ?? 1));
    }, 90_000);
    expect((await llmControl.stats()).faultsInjected).toBeGreaterThan(0);
    await llmControl.clearFaults();

    const progress = await waitUntil(async () => {
      const { latest } = await loadBulkRuns({ db: prisma, shop });
      return latest?.id === runId && latest.status === "COMPLETED" ? latest : null;
    });
    expect(progress).toMatchObject({ total: 6, done: 6, failed: 0, remaining: 0 });
    expect((await control.stats(shop)).operations.productUpdate).toBe(6);
    // Completed audit rows are written in batches: wait for all six.
    const runs = await waitUntil(async () => {
      const rows = await prisma.jobRun.findMany({ where: { shopDomain: shop, name: "bulk-run.item" } });
      return rows.length === 6 && rows.every((row) => row.status === "COMPLETED") ? rows : null;
    });
    // BullMQ counts the attempt that completed: 1 each means the outage spent none.
    expect(runs.map((run) => run.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
  }, 120_000);
});

describe("an outage that outlasts the reschedule limit", () => {
  it("ends as a visible failure, with Retry, instead of looping", async () => {
    await start({ JOB_RESCHEDULE_BASE_MS: "100", JOB_RESCHEDULE_MAX_MS: "200", JOB_RESCHEDULE_LIMIT: "2" });
    const shop = await newShop();
    await control.createProducts(shop, {
      count: 2,
      silent: true,
      template: { descriptionHtml: "", title: "Gone {i}" },
    });
    await llmControl.setFaults({ down: true });
    const { id: runId } = await startBulkRun({ db: prisma, shop, selection: { scope: "MISSING_DESCRIPTION" } });

    const progress = await waitUntil(async () => {
      const { latest } = await loadBulkRuns({ db: prisma, shop });
      return latest?.id === runId && latest.status === "COMPLETED" ? latest : null;
    }, 90_000);
    expect(progress).toMatchObject({ total: 2, done: 0, failed: 2 });
    const runs = await waitUntil(async () => {
      const rows = await prisma.jobRun.findMany({
        where: { shopDomain: shop, name: "bulk-run.item", status: "FAILED" },
      });
      return rows.length === 2 ? rows : null;
    });
    expect(runs.every((run) => run.errorCode?.startsWith("LLM_"))).toBe(true);
  }, 120_000);
});

describe("a job that fails while Postgres is unreachable", () => {
  it("shows up as FAILED in the job audit once the worker restarts", async () => {
    // This worker's Postgres is a dead port: the job fails (a payload no retry can fix) and
    // its audit write cannot land.
    allowErrorLogs(/^could not record job run: [\s\S]*Can't reach database server at 127\.0\.0\.1:1\b/);
    await start({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/storewise" });
    const job = await getQueue("content").add(
      "bulk-run.item",
      { shop: "not a shop domain", itemId: "x" },
      { jobId: `outage-failed-${randomUUID()}` },
    );
    await waitUntil(async () => (await getQueue("content").getJobState(job.id ?? "")) === "failed");
    await waitUntil(async () => workers.current?.output().includes("could not record job run"));
    await workers.current?.stop();
    expect(await prisma.jobRun.findFirst({ where: { jobId: job.id ?? "" } })).toBeNull();

    await start();
    const row = await waitUntil(() => prisma.jobRun.findFirst({ where: { queue: "content", jobId: job.id ?? "" } }));
    expect(row).toMatchObject({ status: "FAILED", name: "bulk-run.item" });
    expect(row.error).toMatch(/Retry/);
  }, 60_000);
});
