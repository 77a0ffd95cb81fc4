import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { enqueue, enqueueMany } from "~/jobs/enqueue.server";
import { shopQueueCounts } from "~/jobs/inspect.server";
import { closeQueues, getQueue } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { loadDashboard } from "~/services/dashboard/load-dashboard.server";
import type { ShopFactsStore } from "~/services/ports/shop-facts";

// Jobs this file queued, removed at the end so a later file's worker does not run them.
const added: Array<{ queue: "content" | "orders"; id: string }> = [];

afterAll(async () => {
  for (const { queue, id } of added) await (await getQueue(queue).getJob(id))?.remove();
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

// The dashboard's store card is not what this test is about: Shopify "unreachable" is fine.
const offlineStore = {
  overview: () => Promise.reject(new Error("offline")),
} as unknown as ShopFactsStore;

const inProgress = (queues: Record<string, { waiting: number; active: number; delayed: number }> | null) =>
  queues ? Object.values(queues).reduce((sum, queue) => sum + queue.waiting + queue.active + queue.delayed, 0) : null;

describe("the dashboard's background work", () => {
  it("counts only the merchant's own shop's jobs, never other shops' backlog", async () => {
    const mine = `mine-${randomUUID().slice(0, 8)}.myshopify.com`;
    const theirs = `theirs-${randomUUID().slice(0, 8)}.myshopify.com`;
    const change = { productId: "gid://shopify/Product/1", factsHash: "f", descriptionHash: "d" };
    const hour = 3_600_000;
    const minePending = await enqueue("product.created", { shop: mine, ...change }, { delayMs: hour });
    const order = await enqueue("order.upserted", { shop: mine, orderId: "gid://shopify/Order/1" });
    const items = Array.from({ length: 25 }, (_, index) => ({
      payload: { shop: theirs, itemId: `item-${index}` },
      jobId: `theirs-${randomUUID()}`,
    }));
    await enqueueMany("bulk-run.item", items);
    added.push(
      { queue: "content", id: minePending.id },
      { queue: "orders", id: order.id },
      ...items.map((item) => ({ queue: "content" as const, id: item.jobId })),
    );

    const dashboard = await loadDashboard({
      db: prisma,
      shop: mine,
      store: offlineStore,
      queueCounts: shopQueueCounts,
    });
    expect(inProgress(dashboard.queues)).toBe(2);
    expect(dashboard.queues?.content.delayed).toBe(1);
    expect(dashboard.queues?.orders.waiting).toBe(1);

    const other = await loadDashboard({ db: prisma, shop: theirs, store: offlineStore, queueCounts: shopQueueCounts });
    expect(inProgress(other.queues)).toBe(25);

    // Work that leaves the queue leaves the count.
    await (await getQueue("content").getJob(minePending.id))?.remove();
    const after = await loadDashboard({ db: prisma, shop: mine, store: offlineStore, queueCounts: shopQueueCounts });
    expect(inProgress(after.queues)).toBe(1);
  });
});
