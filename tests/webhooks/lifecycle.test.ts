import { randomUUID } from "node:crypto";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { retryJobRun } from "~/jobs/retry-job-run.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { startWorker } from "../support/processes";
import { withWorker } from "../support/worker-suite";
import { TEST_REDIS_URL } from "../support/test-env";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();

async function installedShop() {
  const shop = `life-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  return shop;
}

describe("shop lifecycle webhooks, delivered and signed by the Shopify emulator", () => {
  it("app/uninstalled removes the shop's sessions and marks it uninstalled", async () => {
    const shop = await installedShop();
    await control.uninstall(shop);
    const record = await waitUntil(async () => {
      const row = await prisma.shop.findUnique({ where: { domain: shop } });
      return row?.uninstalledAt ? row : null;
    });
    expect(record.uninstalledAt).toBeInstanceOf(Date);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("app/scopes_update records the scopes the merchant granted", async () => {
    const shop = await installedShop();
    await control.triggerWebhook(shop, "app/scopes_update", {
      id: 1,
      previous: ["read_products"],
      current: ["read_products", "write_products", "read_orders"],
      updated_at: new Date().toISOString(),
    });
    const record = await waitUntil(async () => {
      const row = await prisma.shop.findUnique({ where: { domain: shop } });
      return row?.scopes === "read_products,write_products,read_orders" ? row : null;
    });
    expect(record.scopes).toBe("read_products,write_products,read_orders");
  });
});

describe("compliance webhooks", () => {
  it("customers/data_request exports the customer's data, and customers/redact erases that export", async () => {
    const shop = await installedShop();
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [1001],
      customer: { id: 777, email: "ana@example.com", phone: null },
      data_request: { id: 55 },
    });
    const request = await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST", status: "completed" },
      }),
    );
    expect(request.customerRef).toBe("777");
    expect(request.export).toMatchObject({ dataRequestId: "55", customerId: "777", sections: expect.any(Object) });

    await control.triggerWebhook(shop, "customers/redact", {
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 777, email: "ana@example.com", phone: null },
      orders_to_redact: [1001],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );
    const erased = await prisma.complianceRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(erased.export).toEqual({ redacted: true });
  });

  it("shop/redact deletes the shop's rows in every table", async () => {
    const shop = await installedShop();
    await prisma.jobRun.create({
      data: { shopDomain: shop, queue: "content", name: "product.created", jobId: randomUUID(), status: "COMPLETED" },
    });
    await prisma.llmUsage.create({
      data: { shopDomain: shop, task: "content", model: "m", promptTokens: 1, completionTokens: 1 },
    });
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
    // Shopify sends shop/redact 48 hours after the uninstall; an installed shop's is refused.
    await control.uninstall(shop);
    await waitUntil(() =>
      prisma.jobRun.findFirst({ where: { shopDomain: shop, name: "shop.uninstalled", status: "COMPLETED" } }),
    );

    await control.triggerWebhook(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
    const request = await waitUntil(() =>
      prisma.complianceRequest.findFirst({ where: { shopDomain: shop, topic: "SHOP_REDACT", status: "completed" } }),
    );
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.shopSettings.count({ where: { shopId } })).toBe(0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.llmUsage.count({ where: { shopDomain: shop } })).toBe(0);
    // The only job runs left are the compliance job's own audit rows, written after the deletion.
    const runs = await prisma.jobRun.findMany({ where: { shopDomain: shop } });
    expect(runs.every((run) => run.name === "compliance.shop-redact")).toBe(true);
    expect(request.summary).toMatchObject({ deleted: { shop: expect.any(Number) } });
  });
});

describe("failed jobs", () => {
  it("are recorded with their error for the admin UI, and can be retried", async () => {
    const shop = await installedShop();
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue("shop", { connection, prefix: QUEUE_PREFIX });
    try {
      // A job whose payload breaks its schema fails permanently on its first attempt.
      const job = await queue.add("shop.scopes-updated", { shop, scopes: "not-a-list" }, { attempts: 3 });
      const failed = await waitUntil(() => prisma.jobRun.findFirst({ where: { jobId: job.id, status: "FAILED" } }));
      expect(failed.shopDomain).toBe(shop);
      expect(failed.errorCode).toBe("INVALID_INPUT");
      expect(failed.error).toMatch(/invalid payload for shop.scopes-updated: scopes/);

      await retryJobRun({ db: prisma, shop, jobRunId: failed.id });
      const again = await waitUntil(async () => {
        const run = await prisma.jobRun.findUnique({ where: { id: failed.id } });
        return run?.status === "FAILED" && run.attempts > failed.attempts ? run : null;
      });
      expect(again.attempts).toBeGreaterThan(failed.attempts);
      await expect(retryJobRun({ db: prisma, shop: "other.myshopify.com", jobRunId: failed.id })).rejects.toThrow(
        /no failed job/,
      );
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});

describe("the worker process", () => {
  it("finishes and exits cleanly on SIGTERM", async () => {
    const second = await startWorker(inject("appEnv"));
    const code = await second.stop("SIGTERM");
    expect(code).toBe(0);
    expect(second.output()).toContain("worker stopped");
  });
});
