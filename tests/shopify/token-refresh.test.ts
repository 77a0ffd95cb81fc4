import { randomUUID } from "node:crypto";

import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { offlineTokenSource } from "~/integrations/shopify/offline-token.server";
import { EncryptedSessionStorage } from "~/integrations/shopify/session-encryption.server";
import { RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";
import { AppError } from "~/lib/errors";
import { closeSharedRedis, createRedisConnection } from "~/lib/redis.server";
import { parseKeyEncryptionKeys, TokenCipher } from "~/lib/token-cipher.server";
import { adminClientFor, refreshOfflineToken } from "~/shopify.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { TEST_TOKEN_ENCRYPTION_KEYS } from "../support/test-env";

const control = emulatorControl(inject("shopifyUrl"));
// Layered as the app's own storage is (shopify.server.ts): the web app reads the same rows through
// its encryption layer, which seals a plaintext row on first read, so a test storage without that
// layer would see the tokens change under it.
const cipher = new TokenCipher(parseKeyEncryptionKeys(TEST_TOKEN_ENCRYPTION_KEYS));
const sealedSessions = () => new EncryptedSessionStorage(new PrismaSessionStorage(prisma), { cipher, db: prisma });
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
        new RefreshingSessionStorage(sealedSessions(), {
          redis: () => connection,
          refresh: refreshOfflineToken,
        }),
    );
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, index) => storages[index % 2]!.loadFreshSession(`offline_${shop}`)),
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

  it("are never refreshed on the library's path: a nearly expired session is reported absent", async () => {
    const shop = `library-${randomUUID().slice(0, 8)}.myshopify.com`;
    const accessToken = `shpat_${randomUUID()}`;
    // Four minutes left: inside the library's own 5-minute window, where it would refresh unlocked.
    await seedShop(control, prisma, { shop, accessToken, expiresInSec: 240, refreshToken: `shprt_${randomUUID()}` });
    const before = (await control.stats(shop)).tokenRefreshes;
    const storage = storageOver(connections[0]!);

    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
    expect((await control.stats(shop)).tokenRefreshes - before).toBe(0);

    const fresh = await storage.loadFreshSession(`offline_${shop}`);
    expect(fresh?.accessToken).not.toBe(accessToken);
    expect((await control.stats(shop)).tokenRefreshes - before).toBe(1);
    expect((await storage.loadSession(`offline_${shop}`))?.accessToken).toBe(fresh?.accessToken);
  });

  it("a refresh Shopify refuses deletes the session, and the token source reports the shop not installed", async () => {
    const shop = `refused-${randomUUID().slice(0, 8)}.myshopify.com`;
    const accessToken = `shpat_${randomUUID()}`;
    await seedShop(control, prisma, { shop, accessToken, expiresInSec: -60, refreshToken: `shprt_${randomUUID()}` });
    await control.uninstall(shop);
    const storage = storageOver(connections[0]!);

    expect(await storage.loadFreshSession(`offline_${shop}`)).toBeUndefined();
    // The rows themselves, so a failure shows what was left behind.
    expect(await prisma.session.findMany({ where: { shop }, select: { id: true, expires: true } })).toEqual([]);
    await expect(offlineTokenSource(shop, storage).get()).rejects.toMatchObject({ code: "SHOP_NOT_INSTALLED" });
  });

  it("a job's Admin call for a shop whose refresh is refused fails at once, as final, without a retry", async () => {
    const shop = `refused-admin-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, {
      shop,
      accessToken: `shpat_${randomUUID()}`,
      expiresInSec: -60,
      refreshToken: `shprt_${randomUUID()}`,
    });
    await control.uninstall(shop);

    const started = Date.now();
    const failure = await adminClientFor(shop, { maxWaitMs: 1_000 })
      .request("query { shop { myshopifyDomain } }")
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "SHOP_NOT_INSTALLED", retryable: false });
    // Not retried with backoff as if it were a network error.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a refresh that fails for a passing reason (5xx, network) is a retryable error and keeps the session", async () => {
    const shop = `flaky-${randomUUID().slice(0, 8)}.myshopify.com`;
    const refreshToken = `shprt_${randomUUID()}`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, expiresInSec: -60, refreshToken });
    const storage = new RefreshingSessionStorage(sealedSessions(), {
      redis: () => connections[0]!,
      refresh: async () => {
        throw new AppError("TOKEN_REFRESH_FAILED", "Shopify answered 503", { retryable: true });
      },
    });

    await expect(storage.loadFreshSession(`offline_${shop}`)).rejects.toMatchObject({
      code: "TOKEN_REFRESH_FAILED",
      retryable: true,
    });
    const row = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(row.refreshToken).not.toBeNull();
  });
});

function storageOver(connection: (typeof connections)[number]) {
  return new RefreshingSessionStorage(sealedSessions(), {
    redis: () => connection,
    refresh: refreshOfflineToken,
  });
}
