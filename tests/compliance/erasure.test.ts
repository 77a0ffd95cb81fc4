import { randomUUID } from "node:crypto";

import { Prisma } from "@prisma/client";
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
    await enqueue("bulk-run.item", { shop, itemId: "item-1" }, { delayMs: hour, priority: 1_000_001 });
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

/** One of the two shops of the every-table test: its domain and its Shop row's id. */
interface SeededShop {
  domain: string;
  shopId: string;
}

/** How the every-table test puts a row in a table for a shop, and counts the shop's rows there. */
interface TableOfShop {
  seed(shop: SeededShop): Promise<unknown>;
  count(shop: SeededShop): Promise<number>;
}

const copy = {
  descriptionHtml: "<p>A mug for long mornings.</p>",
  shortDescription: "A mug for long mornings.",
  features: ["Stoneware"],
  useCases: ["Coffee"],
  keywords: ["mug"],
  metaTitle: "Trail Mug",
  metaDescription: "A mug for long mornings.",
  factsHash: "facts",
};

/**
 * A seeder for every Prisma model, keyed by `Prisma.ModelName`: a model added to the schema
 * without one here fails the test by name. Shop and ShopSettings come from the install itself.
 */
const tablesOfShop: Record<Prisma.ModelName, TableOfShop> = {
  Session: {
    // A staff member's online session, with the personal details Shopify sends for one.
    seed: ({ domain }) =>
      prisma.session.create({
        data: {
          id: `${domain}_${randomUUID()}`,
          shop: domain,
          state: "",
          isOnline: true,
          accessToken: `shpua_${randomUUID()}`,
          firstName: "Sam",
          email: `sam@${domain}`,
        },
      }),
    count: ({ domain }) => prisma.session.count({ where: { shop: domain } }),
  },
  Shop: {
    seed: ({ domain }) => prisma.shop.findUniqueOrThrow({ where: { domain } }),
    count: ({ domain }) => prisma.shop.count({ where: { domain } }),
  },
  ShopSettings: {
    seed: ({ shopId }) => prisma.shopSettings.findUniqueOrThrow({ where: { shopId } }),
    count: ({ shopId }) => prisma.shopSettings.count({ where: { shopId } }),
  },
  ProductContent: {
    seed: ({ domain }) =>
      prisma.productContent.create({
        data: { shopDomain: domain, productId: `gid://shopify/Product/${randomUUID()}`, title: "Trail Mug" },
      }),
    count: ({ domain }) => prisma.productContent.count({ where: { shopDomain: domain } }),
  },
  ContentVersion: {
    seed: ({ domain }) =>
      prisma.productContent.create({
        data: {
          shopDomain: domain,
          productId: `gid://shopify/Product/${randomUUID()}`,
          title: "Trail Mug",
          status: "DRAFT",
          versions: { create: { version: 1, ...copy } },
        },
      }),
    count: ({ domain }) => prisma.contentVersion.count({ where: { productContent: { shopDomain: domain } } }),
  },
  BulkRun: {
    seed: ({ domain }) => prisma.bulkRun.create({ data: { shopDomain: domain, scope: "ALL", status: "COMPLETED" } }),
    count: ({ domain }) => prisma.bulkRun.count({ where: { shopDomain: domain } }),
  },
  BulkRunItem: {
    seed: ({ domain }) =>
      prisma.bulkRun.create({
        data: {
          shopDomain: domain,
          scope: "ALL",
          status: "RUNNING",
          total: 1,
          items: { create: { productId: `gid://shopify/Product/${randomUUID()}`, title: "Trail Mug" } },
        },
      }),
    count: ({ domain }) => prisma.bulkRunItem.count({ where: { run: { shopDomain: domain } } }),
  },
  JobRun: {
    seed: ({ domain }) =>
      prisma.jobRun.create({
        data: {
          shopDomain: domain,
          queue: "content",
          name: "product.created",
          jobId: `seeded-${randomUUID()}`,
          status: "FAILED",
          errorCode: "UNEXPECTED",
          error: "seeded failure",
        },
      }),
    count: ({ domain }) => prisma.jobRun.count({ where: { shopDomain: domain } }),
  },
  LlmUsage: {
    seed: ({ domain }) =>
      prisma.llmUsage.create({
        data: { shopDomain: domain, task: "content", model: "gpt-4o-mini", promptTokens: 10, completionTokens: 5 },
      }),
    count: ({ domain }) => prisma.llmUsage.count({ where: { shopDomain: domain } }),
  },
  ComplianceRequest: {
    // A served customer data request: it holds the customer's id and their export.
    seed: ({ domain }) =>
      prisma.complianceRequest.create({
        data: {
          shopDomain: domain,
          topic: "CUSTOMERS_DATA_REQUEST",
          webhookId: randomUUID(),
          customerRef: SEEDED_CUSTOMER,
          status: "completed",
          export: { customer: { id: SEEDED_CUSTOMER }, orders: [{ id: "1001" }] },
          completedAt: new Date(),
        },
      }),
    count: ({ domain }) => prisma.complianceRequest.count({ where: { shopDomain: domain } }),
  },
  SupportFaq: {
    seed: ({ domain }) =>
      prisma.supportFaq.create({ data: { shopDomain: domain, question: "Do you ship abroad?", answer: "Yes." } }),
    count: ({ domain }) => prisma.supportFaq.count({ where: { shopDomain: domain } }),
  },
  SupportFaqTranslation: {
    seed: ({ domain }) =>
      prisma.supportFaq.create({
        data: {
          shopDomain: domain,
          question: "Do you ship abroad?",
          answer: "Yes.",
          locale: "en",
          translations: {
            create: {
              shopDomain: domain,
              locale: "fr",
              question: "Livrez-vous à l'étranger ?",
              answer: "Oui.",
              sourceHash: "h",
            },
          },
        },
      }),
    count: ({ domain }) => prisma.supportFaqTranslation.count({ where: { shopDomain: domain } }),
  },
  SupportDialog: {
    seed: ({ domain }) =>
      prisma.supportDialog.create({
        data: { id: randomUUID().replace(/-/g, ""), shopDomain: domain, visitorKey: `customer:${SEEDED_CUSTOMER}` },
      }),
    count: ({ domain }) => prisma.supportDialog.count({ where: { shopDomain: domain } }),
  },
  SupportMessage: {
    seed: ({ domain }) =>
      prisma.supportDialog.create({
        data: {
          id: randomUUID().replace(/-/g, ""),
          shopDomain: domain,
          visitorKey: `customer:${SEEDED_CUSTOMER}`,
          customerId: SEEDED_CUSTOMER,
          messages: { create: { role: "user", text: "Where is my order?" } },
        },
      }),
    count: ({ domain }) => prisma.supportMessage.count({ where: { dialog: { shopDomain: domain } } }),
  },
  SupportTicket: {
    seed: ({ domain }) =>
      prisma.supportTicket.create({
        data: {
          shopDomain: domain,
          customerId: SEEDED_CUSTOMER,
          email: "pat@example.com",
          question: "Help",
          transcript: [],
        },
      }),
    count: ({ domain }) => prisma.supportTicket.count({ where: { shopDomain: domain } }),
  },
  SupportSettings: {
    seed: ({ domain }) => prisma.supportSettings.create({ data: { shopDomain: domain } }),
    count: ({ domain }) => prisma.supportSettings.count({ where: { shopDomain: domain } }),
  },
  SupportPassage: {
    seed: ({ domain }) =>
      prisma.supportPassage.create({
        data: {
          shopDomain: domain,
          kind: "policy",
          sourceId: "gid://shopify/ShopPolicy/1",
          title: "Refund",
          body: "30 days.",
        },
      }),
    count: ({ domain }) => prisma.supportPassage.count({ where: { shopDomain: domain } }),
  },
  SupportFaqSuggestionDismissal: {
    seed: ({ domain }) =>
      prisma.supportFaqSuggestionDismissal.create({ data: { shopDomain: domain, key: "canada ship" } }),
    count: ({ domain }) => prisma.supportFaqSuggestionDismissal.count({ where: { shopDomain: domain } }),
  },
  ErasedShop: {
    // Only the kept shop's is seeded (as if an earlier erase had left it): the erased shop's
    // tombstone is what its erase must write.
    seed: ({ domain }) => prisma.erasedShop.create({ data: { shopDomain: domain } }),
    count: ({ domain }) => prisma.erasedShop.count({ where: { shopDomain: domain } }),
  },
  TranslationSettings: {
    seed: ({ domain }) =>
      prisma.translationSettings.create({
        data: { shopDomain: domain, locales: ["fr"], doNotTranslate: ["Northwind"] },
      }),
    count: ({ domain }) => prisma.translationSettings.count({ where: { shopDomain: domain } }),
  },
  GlossaryTerm: {
    seed: ({ domain }) =>
      prisma.glossaryTerm.create({ data: { shopDomain: domain, locale: "fr", source: "beanie", target: "bonnet" } }),
    count: ({ domain }) => prisma.glossaryTerm.count({ where: { shopDomain: domain } }),
  },
  TranslationEntry: {
    seed: ({ domain }) =>
      prisma.translationEntry.create({
        data: {
          shopDomain: domain,
          resourceId: "gid://shopify/Product/1",
          kind: "product",
          key: "title",
          locale: "fr",
          sourceDigest: "d",
          status: "TRANSLATED",
        },
      }),
    count: ({ domain }) => prisma.translationEntry.count({ where: { shopDomain: domain } }),
  },
  TranslationRun: {
    seed: ({ domain }) =>
      prisma.translationRun.create({
        data: { shopDomain: domain, resourceId: "gid://shopify/Product/1", outcome: "translated" },
      }),
    count: ({ domain }) => prisma.translationRun.count({ where: { shopDomain: domain } }),
  },
  TranslatableItem: {
    seed: ({ domain }) =>
      prisma.translatableItem.create({
        data: {
          shopDomain: domain,
          resourceId: "gid://shopify/Product/1",
          kind: "product",
          title: "Trail Mug",
          keys: [],
          live: {},
          checkedAt: new Date(),
        },
      }),
    count: ({ domain }) => prisma.translatableItem.count({ where: { shopDomain: domain } }),
  },
  TranslationScan: {
    seed: ({ domain }) => prisma.translationScan.create({ data: { shopDomain: domain, startedAt: new Date() } }),
    count: ({ domain }) => prisma.translationScan.count({ where: { shopDomain: domain } }),
  },
  TranslationBulkRun: {
    seed: ({ domain }) => prisma.translationBulkRun.create({ data: { shopDomain: domain, scope: "pending" } }),
    count: ({ domain }) => prisma.translationBulkRun.count({ where: { shopDomain: domain } }),
  },
  TranslationBulkRunItem: {
    seed: ({ domain }) =>
      prisma.translationBulkRun.create({
        data: {
          shopDomain: domain,
          scope: "chosen",
          total: 1,
          items: { create: { resourceId: "gid://shopify/Product/1", kind: "product", title: "Trail Mug" } },
        },
      }),
    count: ({ domain }) => prisma.translationBulkRunItem.count({ where: { run: { shopDomain: domain } } }),
  },
  Order: {
    seed: ({ domain }) =>
      prisma.order.create({
        data: {
          shopDomain: domain,
          orderId: `gid://shopify/Order/${randomUUID()}`,
          name: "#1001",
          fulfillmentStatus: "UNFULFILLED",
          tracking: [],
          customerId: SEEDED_CUSTOMER,
          emailHash: "ab".repeat(32),
          currency: "USD",
          presentmentCurrency: "USD",
          subtotal: "10.00",
          discounts: "0.00",
          shipping: "0.00",
          tax: "0.00",
          total: "10.00",
          lines: [],
          refunds: [],
          test: false,
          processedAt: new Date(),
          storeCreatedAt: new Date(),
          storeUpdatedAt: new Date(),
          contribution: { days: [], products: [], segments: [] },
        },
      }),
    count: ({ domain }) => prisma.order.count({ where: { shopDomain: domain } }),
  },
  SalesDay: {
    seed: ({ domain }) =>
      prisma.salesDay.create({ data: { shopDomain: domain, day: new Date("2026-11-02"), orders: 1 } }),
    count: ({ domain }) => prisma.salesDay.count({ where: { shopDomain: domain } }),
  },
  SalesDayProduct: {
    seed: ({ domain }) =>
      prisma.salesDayProduct.create({
        data: { shopDomain: domain, day: new Date("2026-11-02"), productId: "gid://shopify/Product/1", units: 1 },
      }),
    count: ({ domain }) => prisma.salesDayProduct.count({ where: { shopDomain: domain } }),
  },
  SalesDaySegment: {
    seed: ({ domain }) =>
      prisma.salesDaySegment.create({
        data: { shopDomain: domain, day: new Date("2026-11-02"), country: "CA", currency: "CAD", orders: 1 },
      }),
    count: ({ domain }) => prisma.salesDaySegment.count({ where: { shopDomain: domain } }),
  },
  OrderBackfill: {
    seed: ({ domain }) =>
      prisma.orderBackfill.create({ data: { shopDomain: domain, windowStart: new Date(), windowEnd: new Date() } }),
    count: ({ domain }) => prisma.orderBackfill.count({ where: { shopDomain: domain } }),
  },
  InsightsDigest: {
    seed: ({ domain }) =>
      prisma.insightsDigest.create({
        data: {
          shopDomain: domain,
          periodStart: new Date("2026-11-23"),
          periodEnd: new Date("2026-11-29"),
          trigger: "scheduled",
          sentences: [{ text: "Net sales was $340.00.", metricIds: ["net_sales"] }],
          recommendations: [],
        },
      }),
    count: ({ domain }) => prisma.insightsDigest.count({ where: { shopDomain: domain } }),
  },
};

const SEEDED_CUSTOMER = String(Math.floor(Math.random() * 1e12) + 1e12);

/** Each model's row count for the shop. */
async function rowsOf(shop: SeededShop): Promise<Record<Prisma.ModelName, number>> {
  const counts = {} as Record<Prisma.ModelName, number>;
  for (const model of Object.values(Prisma.ModelName)) counts[model] = await tablesOfShop[model].count(shop);
  return counts;
}

describe("shop/redact after an uninstall, over every table", () => {
  it("deletes the erased shop's rows from every table and leaves another shop's alone", async () => {
    const unseeded = Object.values(Prisma.ModelName).filter((model) => !Object.hasOwn(tablesOfShop, model));
    expect(unseeded, "models with no seeder in tablesOfShop").toEqual([]);

    const erasedDomain = await installedShop("every-table");
    const keptDomain = await installedShop("every-table-kept");
    const shopIdOf = async (domain: string) => (await prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
    const erased = { domain: erasedDomain, shopId: await shopIdOf(erasedDomain) };
    const kept = { domain: keptDomain, shopId: await shopIdOf(keptDomain) };
    await control.uninstall(erased.domain);
    await waitUntil(async () => (await prisma.shop.findUnique({ where: { domain: erased.domain } }))?.uninstalledAt);

    for (const model of Object.values(Prisma.ModelName)) {
      if (model !== "ErasedShop") await tablesOfShop[model].seed(erased);
      await tablesOfShop[model].seed(kept);
    }
    for (const domain of [erased.domain, kept.domain]) {
      await connection.hset(`storewise:admin-bucket:${domain}`, { available: "100", max: "1000" });
      await connection.set(`storewise:lock:token-refresh:${domain}`, "token", "PX", 3_600_000);
    }
    const before = { erased: await rowsOf(erased), kept: await rowsOf(kept) };
    const empty = (counts: Record<Prisma.ModelName, number>, except: Prisma.ModelName[] = []) =>
      Object.values(Prisma.ModelName).filter((model) => counts[model] < 1 && !except.includes(model));
    expect(empty(before.erased, ["ErasedShop"]), "tables the erased shop has no row in").toEqual([]);
    expect(empty(before.kept), "tables the kept shop has no row in").toEqual([]);

    const {
      webhookIds: [redactId],
    } = await control.triggerWebhook(erased.domain, "shop/redact", { shop_id: 1, shop_domain: erased.domain });
    // The erase is over when its request is completed and its job has left the queue; the audit
    // of completed jobs is written in batches, so a later job's row proves that batch landed too.
    const request = await waitUntil(() =>
      prisma.complianceRequest.findFirst({ where: { webhookId: redactId ?? "", status: "completed" } }),
    );
    await waitUntil(async () => (await inspector.jobs((job) => job.data?.shop === erased.domain)).length === 0);
    await auditFlushed();

    const after = { erased: await rowsOf(erased), kept: await rowsOf(kept) };
    const gone = Object.fromEntries(Object.keys(before.erased).map((model) => [model, 0]));
    // Documented exceptions: the requests stay (cleared of personal data), and the tombstone.
    expect(after.erased).toEqual({ ...gone, ComplianceRequest: before.erased.ComplianceRequest + 1, ErasedShop: 1 });
    expect(after.kept).toEqual(before.kept);

    const requests = await prisma.complianceRequest.findMany({ where: { shopDomain: erased.domain } });
    expect(requests.map((row) => [row.topic, row.customerRef, row.export]).sort()).toEqual([
      ["CUSTOMERS_DATA_REQUEST", null, { redacted: true }],
      ["SHOP_REDACT", null, null],
    ]);
    expect(JSON.stringify(requests)).not.toContain(SEEDED_CUSTOMER);
    expect(request.summary).toMatchObject({ deleted: expect.any(Object) });
    const keptRequest = await prisma.complianceRequest.findFirstOrThrow({ where: { shopDomain: kept.domain } });
    expect(keptRequest.customerRef).toBe(SEEDED_CUSTOMER);

    const keysOf = async (domain: string) => (await connection.keys(`storewise:*${domain}*`)).sort();
    expect(await keysOf(erased.domain)).toEqual([]);
    expect(await keysOf(kept.domain)).toEqual([
      `storewise:admin-bucket:${kept.domain}`,
      `storewise:lock:token-refresh:${kept.domain}`,
    ]);
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
