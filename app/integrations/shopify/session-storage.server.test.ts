// The session cache holds one entry per shop seen; expired entries must not pile up in a worker
// that sees every shop in turn.
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it, vi } from "vitest";

import { RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";

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
