// The sandbox starts clean: seeding twice, as two `npm run sandbox` starts do (each with a fresh,
// in-memory Shopify emulator), leaves nothing of the first run in the app. Without the reset,
// the second start would list the first run's copy, bulk runs and failed jobs for products that
// no longer exist.
import path from "node:path";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { emulatorControl } from "../tests/emulators/shopify/control-client";
import { startShopifyEmulator } from "../tests/emulators/shopify/server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_REDIS_URL } from "../tests/support/test-env";
import { SANDBOX_SHOP, seedSandbox } from "./seed-sandbox";

const ROOT = path.resolve(import.meta.dirname, "..");
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue("content", { connection, prefix: QUEUE_PREFIX });

/** One sandbox start: a fresh emulator (its state is in memory), seeded. */
async function sandboxStart() {
  const emulator = await startShopifyEmulator({
    port: 0,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    tomlPath: path.join(ROOT, "shopify.app.toml"),
  });
  const control = emulatorControl(emulator.url);
  const seeded = await seedSandbox(control);
  return { emulator, control, seeded };
}

const where = { shopDomain: SANDBOX_SHOP };

afterAll(async () => {
  await queue.close();
  await connection.quit();
  await prisma.$disconnect();
});

describe("the sandbox's seed", () => {
  it("starts clean on the second run: no copy, runs, failures, usage or queued jobs of the first", async () => {
    const first = await sandboxStart();
    const [product] = (await first.control.listProducts(SANDBOX_SHOP)) as { id: string; title: string }[];
    if (!product) throw new Error("the seed made no products");
    // What a first session leaves behind: copy for a product, a bulk run, a failed job, usage,
    // and a job still waiting in the queue.
    await prisma.productContent.create({
      data: {
        ...where,
        productId: product.id,
        title: product.title,
        versions: {
          create: {
            version: 1,
            status: "DRAFT",
            descriptionHtml: "<p>Old copy</p>",
            shortDescription: "Old copy",
            metaTitle: "Old title",
            metaDescription: "Old description",
            factsHash: "stale",
          },
        },
      },
    });
    await prisma.bulkRun.create({ data: { ...where, scope: "ALL", status: "COMPLETED", total: 8 } });
    await prisma.jobRun.create({
      data: { ...where, queue: "content", name: "content.generate", jobId: "stale-1", status: "FAILED" },
    });
    await prisma.llmUsage.create({
      data: { ...where, task: "content.generate", model: "gpt-4o-mini", promptTokens: 10, completionTokens: 10 },
    });
    await queue.add("content.generate", { shop: SANDBOX_SHOP, productId: product.id }, { delay: 3_600_000 });
    await first.emulator.close();

    const second = await sandboxStart();
    try {
      expect(await prisma.productContent.count({ where })).toBe(0);
      expect(await prisma.contentVersion.count({ where: { productContent: where } })).toBe(0);
      expect(await prisma.bulkRun.count({ where })).toBe(0);
      expect(await prisma.jobRun.count({ where })).toBe(0);
      expect(await prisma.llmUsage.count({ where })).toBe(0);
      const delayed = await queue.getJobs(["delayed", "waiting"]);
      expect(delayed.filter((job) => job.data?.shop === SANDBOX_SHOP)).toEqual([]);
      expect(second.seeded.reset.rows).toBeGreaterThanOrEqual(5);
      expect(second.seeded.reset.queuedJobs).toBe(1);
      // The demo shop is installed again, with the new run's catalogue.
      const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SANDBOX_SHOP } });
      expect(shop.uninstalledAt).toBeNull();
      expect(await prisma.session.count({ where: { shop: SANDBOX_SHOP } })).toBe(1);
      expect(await second.control.listProducts(SANDBOX_SHOP)).toHaveLength(8);
    } finally {
      await second.emulator.close();
    }
  });
});
