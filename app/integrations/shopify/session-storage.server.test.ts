// The session cache holds one entry per shop seen; expired entries must not pile up in a worker
// that sees every shop in turn.
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it, vi } from "vitest";

import { RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";
import { allowErrorLogs } from "../../../tests/support/error-logs";

function innerStorage(): SessionStorage {
  return {
    storeSession: async () => true,
    loadSession: async (id: string) =>
      new Session({ id, shop: id.replace(/^offline_/, ""), state: "", isOnline: false, accessToken: "shpat_x" }),
    deleteSession: async () => true,
    deleteSessions: async () => true,
    findSessionsByShop: async () => [],
  };
}

const cacheSize = (storage: RefreshingSessionStorage) =>
  (storage as unknown as { cache: Map<string, unknown> }).cache.size;

describe("RefreshingSessionStorage cache", () => {
  afterEach(() => vi.useRealTimers());

  it("sweeps expired copies once many shops have been seen", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const storage = new RefreshingSessionStorage(innerStorage(), {
      redis: () => ({}) as Redis,
      refresh: async () => {
        throw new Error("no refresh expected");
      },
      cacheMs: 5_000,
    });
    for (let shop = 0; shop < 600; shop++) await storage.loadSession(`offline_shop-${shop}.myshopify.com`);
    expect(cacheSize(storage)).toBe(600);

    vi.setSystemTime(Date.now() + 10_000);
    const session = await storage.loadSession("offline_another.myshopify.com");
    expect(session?.accessToken).toBe("shpat_x");
    expect(cacheSize(storage)).toBe(1);
  });

  it("keeps fresh copies while sweeping", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const loads = vi.fn(innerStorage().loadSession);
    const storage = new RefreshingSessionStorage(
      { ...innerStorage(), loadSession: loads },
      { redis: () => ({}) as Redis, refresh: async () => Promise.reject(new Error("no refresh")), cacheMs: 5_000 },
    );
    for (let shop = 0; shop < 600; shop++) await storage.loadSession(`offline_shop-${shop}.myshopify.com`);
    await storage.loadSession("offline_shop-1.myshopify.com");
    expect(loads).toHaveBeenCalledTimes(600);
    expect(cacheSize(storage)).toBe(600);
  });
});

describe("RefreshingSessionStorage refresh", () => {
  it("keeps a refreshed pair the database would not store, instead of refreshing with a revoked token", async () => {
    // The pair lives only in this process's memory until it expires: an operator should hear of it.
    allowErrorLogs(/^refreshed offline token could not be stored; kept in this process's memory until it expires: /);
    const { Redis: RedisClient } = await import("ioredis");
    const redis = new RedisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
    const shop = `blip-${Date.now()}.myshopify.com`;
    const expired = new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: "shpat_old",
      refreshToken: "shprt_old",
      expires: new Date(Date.now() - 60_000),
    });
    const refresh = vi.fn(
      async () =>
        new Session({
          id: `offline_${shop}`,
          shop,
          state: "",
          isOnline: false,
          accessToken: "shpat_new",
          refreshToken: "shprt_new",
          expires: new Date(Date.now() + 3_600_000),
        }),
    );
    const storeSession = vi.fn(async () => {
      throw new Error("Can't reach database server");
    });
    const storage = new RefreshingSessionStorage(
      { ...innerStorage(), storeSession, loadSession: async () => expired },
      { redis: () => redis, refresh, cacheMs: 5_000 },
    );
    try {
      expect((await storage.loadFreshSession(`offline_${shop}`))?.accessToken).toBe("shpat_new");
      expect((await storage.loadFreshSession(`offline_${shop}`))?.accessToken).toBe("shpat_new");
      // One refresh: the old refresh token is spent, so a second one would be refused.
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(storeSession.mock.calls.length).toBeGreaterThan(1);
    } finally {
      await redis.quit();
    }
  }, 20_000);
});
