import { randomUUID } from "node:crypto";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { getQueue, QUEUE_PREFIX } from "~/jobs/queues.server";
import { recordInstallation } from "~/services/shops/record-installation.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";
import { withWorker } from "../support/worker-suite";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();
const inspector = queueInspector();
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  await inspector.close();
  await connection.quit();
});

async function installedShop(prefix: string) {
  const shop = `${prefix}-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
  return shop;
}

/** What Shopify does: app/uninstalled, then shop/redact 48 hours later (compressed here). */
async function eraseShop(shop: string) {
  await control.uninstall(shop);
  await waitUntil(async () => (await prisma.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt);
  await control.triggerWebhook(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
  return waitUntil(() =>
    prisma.complianceRequest.findFirst({ where: { shopDomain: shop, topic: "SHOP_REDACT", status: "completed" } }),
  );
}

/** Waits until the worker has taken the job and let it go (done, failed or waiting to retry). */
async function waitProcessed(queueName: "content" | "shop" | "orders", jobId: string) {
  await waitUntil(async () => {
    const job = await getQueue(queueName).getJob(jobId);
    if (!job) return true;
    const state = await job.getState();
    return state === "completed" || state === "failed" || job.attemptsMade > 0;
  });
}

/**
 * The audit of completed jobs is written in batches, in order: once a later job's row is there,
 * an earlier job's row would be too.
 */
async function auditFlushed() {
  const live = await installedShop("witness");
  const { id } = await enqueue("order.upserted", { shop: live, orderId: randomUUID() });
  await waitUntil(() => prisma.jobRun.findFirst({ where: { jobId: id, status: "COMPLETED" } }));
}

describe("shop/redact leaves nothing of the shop behind", () => {
  it("a job queued for the shop after the erase runs without recreating its rows or writing an audit row", async () => {
    const shop = await installedShop("erased");
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
    await eraseShop(shop);
    expect(await prisma.erasedShop.count({ where: { shopDomain: shop } })).toBe(1);

    // A late products/create (queued before the erase, or redelivered by Shopify after it).
    const late = await enqueue("product.created", {
      shop,
      productId: "gid://shopify/Product/1",
      factsHash: "facts",
      descriptionHash: "description",
    });
    await waitProcessed("content", late.id);
    await auditFlushed();

    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.shopSettings.count({ where: { shopId } })).toBe(0);
    expect(await prisma.productContent.count({ where: { shopDomain: shop } })).toBe(0);
    const runs = await prisma.jobRun.findMany({ where: { shopDomain: shop } });
    expect(runs.map((run) => `${run.name} ${run.status}`)).toEqual([]);
  });

  it("a real reinstall after the erase is allowed and lifts the tombstone", async () => {
    const shop = await installedShop("back");
    await eraseShop(shop);
    // What the library's afterAuth hook runs after OAuth or token exchange.
    await recordInstallation({ db: prisma, shop, scopes: "read_products" });
    expect(await prisma.erasedShop.count({ where: { shopDomain: shop } })).toBe(0);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: shop }, include: { settings: true } })).settings,
    ).not.toBeNull();
  });

  it("the shop's queued and failed jobs and its Redis keys are gone; another shop's stay", async () => {
    const shop = await installedShop("purged");
    const other = await installedShop("kept");
    const change = { productId: "gid://shopify/Product/2", factsHash: "f", descriptionHash: "d" };
    const hour = 3_600_000;
    // Delayed live work takes the shop's fair-share turn (storewise:turns:<shop>).
    await enqueue("product.updated", { shop, ...change }, { delayMs: hour, jobId: `late-${randomUUID()}` });
    await enqueue("product.updated", { shop: other, ...change }, { delayMs: hour, jobId: `kept-${randomUUID()}` });
    await enqueue("backfill.item", { shop, itemId: "item-1" }, { delayMs: hour, priority: 1_000_001 });
    for (const domain of [shop, other]) {
      await connection.hset(`storewise:admin-bucket:${domain}`, { available: "100", max: "1000" });
      await connection.set(`storewise:lock:token-refresh:${domain}`, "token", "PX", hour);
    }
    // A failed job keeps its payload in Redis for 30 days.
    const rawQueue = new Queue("shop", { connection, prefix: QUEUE_PREFIX });
    const failing = await rawQueue.add("shop.scopes-updated", { shop, scopes: "not-a-list" }, { attempts: 1 });
    await rawQueue.close();
    await waitUntil(async () => (await getQueue("shop").getJob(failing.id ?? ""))?.isFailed());
    expect(await inspector.jobs((job) => job.data?.shop === shop)).not.toHaveLength(0);

    const request = await eraseShop(shop);

    // The erasing job itself is the last of the shop's jobs, and leaves Redis when it ends.
    await waitUntil(async () => (await inspector.jobs((job) => job.data?.shop === shop)).length === 0);
    const keysOf = async (domain: string) => (await connection.keys(`storewise:*${domain}*`)).sort();
    expect(await keysOf(shop)).toEqual([]);
    expect(await keysOf(other)).toEqual([
      `storewise:admin-bucket:${other}`,
      `storewise:lock:token-refresh:${other}`,
      `storewise:turns:${other}`,
      `storewise:work:${other}`,
    ]);
    expect((await inspector.jobs((job) => job.data?.shop === other)).map((job) => job.name)).toContain(
      "product.updated",
    );
    expect(request.summary).toMatchObject({
      deleted: { queuedJobs: expect.any(Number), redisKeys: expect.any(Number) },
    });
  });
});

/** Every row of every table, as text. */
async function postgresText(): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const dumps: string[] = [];
    for (const { tablename } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      dumps.push(...rows.map((row) => row.row));
    }
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

/** Every value under every key of the test Redis database, as text. */
async function redisText(): Promise<string> {
  const parts: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await connection.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const key of keys) {
      const type = await connection.type(key);
      const value =
        type === "string"
          ? await connection.get(key)
          : type === "hash"
            ? await connection.hgetall(key)
            : type === "list"
              ? await connection.lrange(key, 0, -1)
              : type === "set"
                ? await connection.smembers(key)
                : type === "zset"
                  ? await connection.zrange(key, "0", "-1")
                  : type === "stream"
                    ? await connection.xrange(key, "-", "+")
                    : null;
      parts.push(key, JSON.stringify(value));
    }
  } while (cursor !== "0");
  return parts.join("\n");
}

describe("customers/redact keeps no customer reference", () => {
  it("no email, phone or customer id is left in Postgres or Redis", async () => {
    const shop = await installedShop("forget");
    const email = `zed-${randomUUID()}@example.com`;
    const phone = `+1555${Math.floor(Math.random() * 1e7)}`;
    const customerId = String(Math.floor(Math.random() * 1e12) + 1e12);
    const customer = { id: Number(customerId), email, phone };
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [1001],
      customer,
      data_request: { id: 56 },
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST", status: "completed" },
      }),
    );
    await control.triggerWebhook(shop, "customers/redact", {
      shop_id: 1,
      shop_domain: shop,
      customer,
      orders_to_redact: [1001],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );

    const stored = `${await postgresText()}\n${await redisText()}`;
    expect(stored).not.toContain(email);
    expect(stored).not.toContain(phone);
    const requests = await prisma.complianceRequest.findMany({ where: { shopDomain: shop } });
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.customerRef).toBeNull();
      expect(JSON.stringify(request)).not.toContain(customerId);
    }
  });

  it("a compliance job waiting in Redis (or failed there for 30 days) holds no email or phone", async () => {
    const shop = await installedShop("queued");
    const email = `queued-${randomUUID()}@example.com`;
    // What the webhook intake hands to enqueue: Shopify's customer, contact details included.
    const payload = { shop, webhookId: randomUUID(), customer: { id: "42", email, phone: "+15550199" }, orderIds: [] };
    const job = await enqueue("compliance.customer-redact", payload, { delayMs: 3_600_000 });
    try {
      const text = await redisText();
      expect(text).toContain(payload.webhookId);
      expect(text).not.toContain(email);
      expect(text).not.toContain("+15550199");
    } finally {
      await (await getQueue("shop").getJob(job.id))?.remove();
    }
  });
});

describe("the Privacy page serves data-request exports to their own shop only", () => {
  it("shop A downloads its export as JSON; shop B's session gets 404, and so does an erased export", async () => {
    const shopA = await installedShop("privacy-a");
    const shopB = await installedShop("privacy-b");
    await control.triggerWebhook(shopA, "customers/data_request", {
      shop_id: 1,
      shop_domain: shopA,
      orders_requested: [],
      customer: { id: 9001, email: "ann@example.com", phone: null },
      data_request: { id: 77 },
    });
    const request = await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shopA, topic: "CUSTOMERS_DATA_REQUEST", status: "completed" },
      }),
    );
    // What App Bridge's fetch sends from the embedded page (the library answers 410 to bot user agents).
    const as = async (shop: string) => ({
      Authorization: `Bearer ${await control.sessionToken(shop)}`,
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    });
    const exportUrl = `${appUrl}/app/privacy/${request.id}/export`;

    const mine = await fetch(exportUrl, { headers: await as(shopA) });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toMatch(/application\/json/);
    expect(mine.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.json"$/);
    expect(await mine.json()).toMatchObject({ shop: shopA, dataRequestId: "77", customerId: "9001" });

    const listA = await fetch(`${appUrl}/app/privacy.data`, { headers: await as(shopA) });
    expect(listA.status).toBe(200);
    expect(await listA.text()).toContain(request.id);
    const listB = await fetch(`${appUrl}/app/privacy.data`, { headers: await as(shopB) });
    expect(listB.status).toBe(200);
    expect(await listB.text()).not.toContain(request.id);

    const theirs = await fetch(exportUrl, { headers: await as(shopB) });
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain("9001");

    await control.triggerWebhook(shopA, "customers/redact", {
      shop_id: 1,
      shop_domain: shopA,
      customer: { id: 9001, email: "ann@example.com", phone: null },
      orders_to_redact: [],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shopA, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );
    expect((await fetch(exportUrl, { headers: await as(shopA) })).status).toBe(404);
  });
});
