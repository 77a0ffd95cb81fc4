import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { redis, whenReady } from "~/lib/redis.server";
import { loadBulkRuns } from "~/services/content/bulk-runs/load-bulk-runs.server";
import { startBulkRun } from "~/services/content/bulk-runs/start-bulk-run.server";
import { productCopySchema } from "~/services/content/copy/schema";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { workerPerTest } from "../support/worker-suite";
import { seedShop } from "../support/seed";

// Some models and OpenAI-compatible servers refuse strict-schema keywords outside a subset
// (platform.openai.com/docs/guides/structured-outputs#supported-schemas) with a 400. Copy must
// still be written, with every limit of the product-copy schema held by zod in the app.
const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));

const workers = workerPerTest({ cleanUp: () => llmControl.setProfile({ restrictiveSchemas: false }) });

async function runBulkRun(shop: string, count: number) {
  await control.createProducts(shop, {
    count,
    silent: true,
    template: { descriptionHtml: "", title: "Linen shirt {i}" },
  });
  const { id } = await startBulkRun({ db: prisma, shop, selection: { scope: "MISSING_DESCRIPTION" } });
  return eventually(
    async () => {
      const { latest } = await loadBulkRuns({ db: prisma, shop });
      return latest?.id === id && latest.status === "COMPLETED" ? latest : null;
    },
    { timeoutMs: 40_000, context: () => workers.current?.output().slice(-3000) ?? "" },
  );
}

describe("a provider that refuses the strict schema's limit keywords", () => {
  it("writes valid copy after one refused request, and never sends the refused schema again", async () => {
    await (await whenReady(redis())).del("llm:schema-mode");
    await llmControl.setProfile({ restrictiveSchemas: true });
    await workers.start();
    const shop = `schema-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    const before = (await llmControl.stats()).byStatus;

    const first = await runBulkRun(shop, 1);
    expect(first).toMatchObject({ total: 1, done: 1, failed: 0 });
    const second = await runBulkRun(shop, 3);
    // The first product's copy waits for review, so its description is still missing too.
    expect(second).toMatchObject({ failed: 0 });
    expect(second.done + second.skipped).toBe(second.total);
    expect(second.done).toBeGreaterThanOrEqual(3);

    const after = (await llmControl.stats()).byStatus;
    expect((after[400] ?? 0) - (before[400] ?? 0)).toBe(1);
    // The mode is shared through Redis, so other processes skip the refused request too.
    expect(Object.values(await redis().hgetall("llm:schema-mode"))).toEqual(["relaxed"]);

    const versions = await prisma.contentVersion.findMany({ where: { productContent: { shopDomain: shop } } });
    expect(versions.length).toBeGreaterThanOrEqual(4);
    for (const version of versions) {
      const copy = {
        descriptionHtml: version.descriptionHtml,
        shortDescription: version.shortDescription,
        features: version.features,
        useCases: version.useCases,
        seoKeywords: version.keywords,
        metaTitle: version.metaTitle,
        metaDescription: version.metaDescription,
      };
      expect(productCopySchema.safeParse(copy).success).toBe(true);
    }
  }, 90_000);
});
