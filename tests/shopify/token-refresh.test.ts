import { randomUUID } from "node:crypto";

import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";
import { closeSharedRedis, createRedisConnection } from "~/lib/redis.server";
import { refreshOfflineToken } from "~/shopify.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";

const control = emulatorControl(inject("shopifyUrl"));
const connections = [createRedisConnection("producer", "test-a"), createRedisConnection("producer", "test-b")];

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
  await closeSharedRedis();
  await prisma.$disconnect();
});

describe("expiring offline tokens", () => {
  it("are refreshed once across processes, and the new token works", async () => {
    const shop = `refresh-${randomUUID().slice(0, 8)}.myshopify.com`;
    const accessToken = `shpat_${randomUUID()}`;
    // Two minutes left: inside the 10-minute refresh margin.
    await seedShop(control, prisma, { shop, accessToken, expiresInSec: 120, refreshToken: `shprt_${randomUUID()}` });
    const before = (await control.stats(shop)).tokenRefreshes;

    // Two "processes": separate storages and Redis connections over the same database.
    const storages = connections.map(
      (connection) =>
        new RefreshingSessionStorage(new PrismaSessionStorage(prisma), {
          redis: () => connection,
          refresh: refreshOfflineToken,
        }),
    );
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, index) => storages[index % 2]!.loadSession(`offline_${shop}`)),
    );

    const tokens = new Set(sessions.map((session) => session?.accessToken));
    expect(tokens.size).toBe(1);
    const [refreshed] = tokens;
    expect(refreshed).not.toBe(accessToken);
    expect((await control.stats(shop)).tokenRefreshes - before).toBe(1);
    expect(sessions[0]?.expires?.getTime()).toBeGreaterThan(Date.now() + 10 * 60 * 1000);

    const answer = await control.graphql(refreshed!, "query { shop { myshopifyDomain } }");
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ shop: { myshopifyDomain: shop } });
    const old = await control.graphql(accessToken, "query { shop { myshopifyDomain } }");
    expect(old.status).toBe(401);
  });
});
