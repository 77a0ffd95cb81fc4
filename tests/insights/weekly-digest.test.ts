// The weekly digest's scheduler through real Redis and the worker: one per installed shop, made
// idempotently, its next run on Monday 06:00 UTC; gone after a confirmed uninstall, after
// shop/redact (with the shop's digests), and when its job finds the shop no longer installed.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { digestSchedulerId, DIGEST_PATTERN, ensureDigestSchedule } from "~/jobs/digest-schedule.server";
import { getQueue } from "~/jobs/queues.server";
import { dataOwners } from "~/services/compliance/data-owners.server";
import { runWeeklyDigest } from "~/services/insights/run-weekly-digest.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker({ waitMs: 30_000 });
const queue = () => getQueue("shop");

async function installedShop(prefix: string) {
  const shop = `${prefix}-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  return shop;
}

const pendingJobs = async (shop: string) =>
  (await queue().getDelayed()).filter((job) => job.name === "insights.weekly-digest" && job.data.shop === shop);

describe("the weekly digest's scheduler", () => {
  it("GIVEN an installed shop WHEN the schedule is ensured twice THEN there is one scheduler, next due on a Monday at 06:00 UTC", async () => {
    const shop = await installedShop("digest-schedule");
    await expect(ensureDigestSchedule(shop)).resolves.toBe("created");
    await expect(ensureDigestSchedule(shop)).resolves.toBe("exists");
    const scheduler = await queue().getJobScheduler(digestSchedulerId(shop));
    expect(scheduler?.pattern).toBe(DIGEST_PATTERN);
    const next = new Date(scheduler!.next!);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 6, 0]);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const jobs = await pendingJobs(shop);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual({ shop, trigger: "scheduled" });
  });

  it("GIVEN a scheduled shop WHEN its uninstall is confirmed THEN its scheduler and pending run are gone", async () => {
    const shop = await installedShop("digest-uninstall");
    await ensureDigestSchedule(shop);
    await control.uninstall(shop);
    await waitUntil(async () => !(await queue().getJobScheduler(digestSchedulerId(shop))));
    expect((await prisma.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt).not.toBeNull();
    await expect(pendingJobs(shop)).resolves.toHaveLength(0);
  });

  it("GIVEN a shop with digests WHEN shop/redact erases the insights data THEN its digests and scheduler are gone and another shop's stay", async () => {
    const [erased, kept] = [await installedShop("digest-redact"), await installedShop("digest-kept")];
    for (const shop of [erased, kept]) {
      await ensureDigestSchedule(shop);
      await prisma.insightsDigest.create({
        data: {
          shopDomain: shop,
          periodStart: new Date("2026-11-23"),
          periodEnd: new Date("2026-11-29"),
          trigger: "scheduled",
          sentences: [],
          recommendations: [],
        },
      });
    }
    const insights = dataOwners.find((owner) => owner.name === "insights")!;
    await expect(insights.redactShop({ db: prisma, shopDomain: erased })).resolves.toBe(1);
    await expect(queue().getJobScheduler(digestSchedulerId(erased))).resolves.toBeUndefined();
    await expect(prisma.insightsDigest.count({ where: { shopDomain: erased } })).resolves.toBe(0);
    await expect(queue().getJobScheduler(digestSchedulerId(kept))).resolves.toBeDefined();
    await expect(prisma.insightsDigest.count({ where: { shopDomain: kept } })).resolves.toBe(1);
  });

  it("GIVEN a scheduler left for a shop that is gone WHEN its job runs THEN it removes the scheduler and writes nothing", async () => {
    const shop = `digest-gone-${randomUUID().slice(0, 8)}.myshopify.com`;
    await ensureDigestSchedule(shop);
    const llm = { generateStructured: () => Promise.reject(new Error("no LLM call for a shop that is gone")) };
    const removed: string[] = [];
    const result = await runWeeklyDigest({
      db: prisma,
      shop,
      llm,
      trigger: "scheduled",
      removeSchedule: async (s) => {
        removed.push(s);
        return queue().removeJobScheduler(digestSchedulerId(s));
      },
    });
    expect(result).toEqual({ skipped: true, reason: "the shop is not installed" });
    expect(removed).toEqual([shop]);
    await expect(queue().getJobScheduler(digestSchedulerId(shop))).resolves.toBeUndefined();
    await expect(prisma.insightsDigest.count({ where: { shopDomain: shop } })).resolves.toBe(0);
  });
});
