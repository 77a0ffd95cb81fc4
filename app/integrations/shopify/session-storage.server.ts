import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Redis } from "ioredis";

import { logger } from "~/lib/logger.server";
import { withRedisLock } from "~/lib/redis-lock.server";

/** Past this many cached sessions, expired copies are swept out (a worker sees every shop in turn). */
const SWEEP_ABOVE = 500;

/** Refresh this long before expiry, earlier than the library's own 5-minute window. */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;

export type RefreshOfflineToken = (shop: string, refreshToken: string) => Promise<Session>;

interface Options {
  redis: () => Redis;
  /** How long a loaded session may be served from memory (0 = always read the database). */
  cacheMs?: number;
  refresh: RefreshOfflineToken;
}

/**
 * Session storage whose offline sessions are always fresh. Expiring offline tokens are refreshed
 * here, once across every web and worker process, under a Redis lock: a refresh token is single
 * use, so two processes refreshing at once would leave one of them with a dead token. Because the
 * library loads sessions through this storage too, its own refresh path never races ours.
 */
export class RefreshingSessionStorage implements SessionStorage {
  private readonly inflight = new Map<string, Promise<Session | undefined>>();
  // Every webhook and admin request loads the shop's offline session; a short-lived copy keeps
  // that off the database on hot paths. Another process's change (refresh, uninstall) is seen
  // within cacheMs, and a stale token is reloaded at once on a 401 by the Admin client.
  private readonly cache = new Map<string, { session: Session | undefined; until: number }>();
  private readonly reads = new Map<string, Promise<Session | undefined>>();

  constructor(
    private readonly inner: SessionStorage,
    private readonly options: Options,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.readThrough(id);
    if (!session || session.isOnline || !needsRefresh(session)) return session;
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.refreshUnderLock(id, session).finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    return pending;
  }

  /** Forgets cached copies, e.g. after the Admin API rejected a token. */
  forget(id: string): void {
    this.cache.delete(id);
  }

  deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  private readThrough(id: string): Promise<Session | undefined> {
    const cacheMs = this.options.cacheMs ?? 0;
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.session);
    let reading = this.reads.get(id);
    if (!reading) {
      reading = this.inner
        .loadSession(id)
        .then((session) => {
          if (cacheMs > 0) this.remember(id, session, cacheMs);
          return session;
        })
        .finally(() => this.reads.delete(id));
      this.reads.set(id, reading);
    }
    return reading;
  }

  /** Caches a copy; expired copies are dropped once there are many, so the map stays bounded by live shops. */
  private remember(id: string, session: Session | undefined, cacheMs: number): void {
    const now = Date.now();
    if (this.cache.size >= SWEEP_ABOVE) {
      for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
    }
    this.cache.set(id, { session, until: now + cacheMs });
  }

  private async refreshUnderLock(id: string, stale: Session): Promise<Session | undefined> {
    const shop = stale.shop;
    const outcome = await withRedisLock(
      this.options.redis(),
      `storewise:lock:token-refresh:${shop}`,
      { ttlMs: 15_000, waitMs: 15_000 },
      async () => {
        // Another process may have refreshed while we waited for the lock.
        this.cache.delete(id);
        const latest = (await this.inner.loadSession(id)) ?? stale;
        if (!needsRefresh(latest) || !latest.refreshToken) return latest;
        const refreshed = await this.options.refresh(shop, latest.refreshToken);
        await this.storeSession(refreshed);
        logger.info({ shop, expires: refreshed.expires?.toISOString() }, "offline access token refreshed");
        return refreshed;
      },
    );
    this.cache.delete(id);
    return outcome.acquired ? outcome.value : this.readThrough(id);
  }
}

function needsRefresh(session: Session): boolean {
  return Boolean(session.refreshToken) && session.isExpired(REFRESH_MARGIN_MS);
}
