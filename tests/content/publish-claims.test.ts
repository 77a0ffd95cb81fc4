import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { closeQueues, getQueue } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { restoreVersion } from "~/services/content/restore-version.server";
import { approveVersions } from "~/services/content/review-versions.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { startWorker, type RunningProcess } from "../support/processes";
import { seedShop } from "../support/seed";

// The publish claim (docs/decisions/007, 011). Production numbers: Admin calls time out at 30 s
// and a claim goes stale after 2.5 x that (75 s). Here every duration is that divided by 30
// (ADMIN_API_TIMEOUT_MS=1000: claims go stale after 2.5 s) so the shapes stay real: a "70 s"
// write is longer than the old 60 s window and than the timeout, and shorter than the new window.
// PUBLISH_RACE_TIMEOUT_MS=30000 runs the race at production scale (about 90 s).
const TIMEOUT_MS = Number(process.env.PUBLISH_RACE_TIMEOUT_MS ?? 1_000);
const scaled = (productionSeconds: number) => Math.round((productionSeconds / 30) * TIMEOUT_MS);

const control = emulatorControl(inject("shopifyUrl"));
let worker: RunningProcess;
beforeAll(async () => {
  worker = await startWorker({
    ...inject("appEnv"),
    ADMIN_API_TIMEOUT_MS: String(TIMEOUT_MS),
    PUBLISH_SWEEP_INTERVAL_MS: "500",
    JOB_RESCHEDULE_BASE_MS: "200",
    JOB_RESCHEDULE_MAX_MS: "1000",
  });
});
afterAll(async () => {
  await control.clearFaults();
  await worker.stop();
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});
const waitUntil = <T>(check: () => Promise<T | null | undefined | false>, timeoutMs = Math.max(20_000, scaled(150))) =>
  eventually(check, { timeoutMs, context: () => worker.output().slice(-3000) });

async function productWithVersion(status: "REJECTED" | "DRAFT" | "PUBLISHING", claimedAt: Date | null = null) {
  const shop = `claim-${randomUUID().slice(0, 8)}.myshopify.com`;
  const accessToken = `shpat_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken });
  const title = `Claimed Lamp ${randomUUID().slice(0, 4)}`;
  const product = await control.createProduct(shop, { title }, { silent: true });
  const record = await prisma.productContent.create({
    data: { shopDomain: shop, productId: product.id, title, status: "DRAFT", factsHash: "facts-1" },
  });
  const version = await prisma.contentVersion.create({
    data: {
      productContentId: record.id,
      version: 1,
      status,
      claimedAt,
      descriptionHtml: `<p>${title}, described.</p>`,
      shortDescription: `${title}, described.`,
      features: ["Bright"],
      useCases: ["Reading"],
      keywords: ["lamp"],
      metaTitle: title,
      metaDescription: `${title}, described for search.`,
      factsHash: "facts-1",
    },
  });
  return { shop, accessToken, product, version };
}

const versionRow = (id: string) => prisma.contentVersion.findUniqueOrThrow({ where: { id } });
const productUpdates = async (shop: string) => (await control.stats(shop)).operations.productUpdate ?? 0;

async function publishJobsSettled(versionId: string) {
  const jobs = (
    await getQueue("content").getJobs(["waiting", "active", "delayed", "prioritized", "completed", "failed"])
  ).filter((job) => (job?.data as { versionId?: string } | undefined)?.versionId === versionId);
  const states = await Promise.all(jobs.map((job) => job.getState()));
  return states.length > 0 && states.every((state) => state === "completed" || state === "failed") ? states : null;
}

describe("a productUpdate slower than the claim window and a concurrent restore", () => {
  it(
    "writes the version exactly once",
    async () => {
      const { shop, version } = await productWithVersion("REJECTED");
      // The write lands after "70 s", whether or not the app is still waiting for it.
      await control.setFaults({ shop, operation: "productUpdate", latencyMs: scaled(70) });
      await restoreVersion({ db: prisma, shop, versionId: version.id });
      const claimed = await waitUntil(async () => {
        const row = await versionRow(version.id);
        return row.status === "PUBLISHING" && row.claimedAt ? row.claimedAt : null;
      });
      // A second publish job for the same version (a restore that read it just before the claim)
      // runs "65 s" into the write: past the old 60 s window, before the write has landed.
      const at = claimed.getTime() + scaled(65);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
      await enqueue(
        "content.publish-version",
        { shop, versionId: version.id },
        { jobId: `publish-${version.id}-second` },
      );

      await waitUntil(async () => (await versionRow(version.id)).status === "LIVE");
      await waitUntil(() => publishJobsSettled(version.id));
      await control.clearFaults();
      // The first attempt gave up on its write at the timeout, well inside the claim window.
      expect(worker.output()).toMatch(/Admin API call took longer than/);
      expect(await productUpdates(shop)).toBe(1);
      const product = await prisma.productContent.findUniqueOrThrow({ where: { id: version.productContentId } });
      expect(product).toMatchObject({ status: "LIVE", liveVersionId: version.id });
    },
    Math.max(60_000, scaled(300)),
  );
});

describe("a version left PUBLISHING by an attempt that is gone", () => {
  it("is published by the sweeper, once", async () => {
    const { shop, product, version } = await productWithVersion("PUBLISHING", new Date(Date.now() - 10 * 60_000));
    await waitUntil(async () => (await versionRow(version.id)).status === "LIVE");
    expect((await control.getProduct(shop, product.id)).descriptionHtml).toBe(version.descriptionHtml);
    await waitUntil(() => publishJobsSettled(version.id));
    expect(await productUpdates(shop)).toBe(1);
  }, 60_000);
});

describe("a stale claim on a version that was replaced meanwhile", () => {
  it("steps aside instead of putting back the copy the merchant replaced", async () => {
    const deadClaim = new Date(Date.now() - 10 * 60_000);
    const { shop, product, version } = await productWithVersion("PUBLISHING", deadClaim);
    // After the dead attempt claimed version 1, the merchant published version 2.
    const newer = await prisma.contentVersion.create({
      data: {
        productContentId: version.productContentId,
        version: 2,
        status: "LIVE",
        publishedAt: new Date(deadClaim.getTime() + 60_000),
        descriptionHtml: "<p>The merchant's newer copy.</p>",
        shortDescription: "Newer.",
        features: [],
        useCases: [],
        keywords: [],
        metaTitle: "Newer",
        metaDescription: "Newer copy.",
        factsHash: "facts-1",
      },
    });
    await prisma.productContent.update({
      where: { id: version.productContentId },
      data: { status: "LIVE", liveVersionId: newer.id },
    });

    await waitUntil(async () => (await versionRow(version.id)).status === "SUPERSEDED");
    await waitUntil(() => publishJobsSettled(version.id));
    expect(await productUpdates(shop)).toBe(0);
    expect((await control.getProduct(shop, product.id)).descriptionHtml).not.toBe(version.descriptionHtml);
  }, 60_000);
});

describe("approving again after a failed publish", () => {
  it("queues a new publish job and publishes", async () => {
    const { shop, accessToken, version } = await productWithVersion("DRAFT");
    // Storewise loses access: the publish fails for good (401) and the draft is handed back.
    await control.revokeToken(shop, accessToken);
    await approveVersions({ db: prisma, shop, versionIds: [version.id] });
    const failed = await waitUntil(() =>
      prisma.jobRun.findFirst({ where: { shopDomain: shop, name: "content.publish-version", status: "FAILED" } }),
    );
    expect(failed.errorCode).toBe("ADMIN_API_UNAUTHORIZED");
    expect((await versionRow(version.id)).status).toBe("DRAFT");

    // Access is back; the merchant approves the same draft again.
    await control.registerToken(shop, { accessToken });
    await approveVersions({ db: prisma, shop, versionIds: [version.id] });
    await waitUntil(async () => (await versionRow(version.id)).status === "LIVE");
    expect(await productUpdates(shop)).toBe(1);
  }, 60_000);
});

describe("a repeated click on approve", () => {
  it("queues one publish job and writes once", async () => {
    const { shop, version } = await productWithVersion("DRAFT");
    await Promise.allSettled([
      approveVersions({ db: prisma, shop, versionIds: [version.id] }),
      approveVersions({ db: prisma, shop, versionIds: [version.id] }),
    ]);
    await waitUntil(async () => (await versionRow(version.id)).status === "LIVE");
    const jobs = await waitUntil(() => publishJobsSettled(version.id));
    expect(jobs).toHaveLength(1);
    expect(await productUpdates(shop)).toBe(1);
  });

  it("after the version is live, queues nothing and writes nothing more", async () => {
    const { shop, version } = await productWithVersion("DRAFT");
    await approveVersions({ db: prisma, shop, versionIds: [version.id] });
    await waitUntil(async () => (await versionRow(version.id)).status === "LIVE");
    await waitUntil(() => publishJobsSettled(version.id));

    await expect(approveVersions({ db: prisma, shop, versionIds: [version.id] })).rejects.toMatchObject({
      code: "RESOURCE_NOT_FOUND",
      userMessage: "Those drafts were already handled.",
    });
    expect(await waitUntil(() => publishJobsSettled(version.id))).toHaveLength(1);
    expect(await productUpdates(shop)).toBe(1);
  });
});
