import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Redis } from "ioredis";

import { AppError, isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { withRedisLock } from "~/lib/redis-lock.server";
import { TokenKeyError } from "~/lib/token-cipher.server";

/** Past this many cached sessions, expired copies are swept out (a worker sees every shop in turn). */
const SWEEP_ABOVE = 500;

/** Refresh this long before expiry, earlier than the library's own 5-minute window. */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;

/**
 * The library refreshes an offline token itself (without a lock, and answering 500 when Shopify
 * refuses) once it is within 5 minutes of expiry; it must never be handed such a session.
 */
const LIBRARY_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Exchanges a refresh token for a new offline session. When Shopify refuses the refresh token
 * (revoked at uninstall, expired, already used) it throws `refreshRefused()`; any other error
 * (5xx, network) means "try again later".
 */
export type RefreshOfflineToken = (shop: string, refreshToken: string) => Promise<Session>;

/** The error a RefreshOfflineToken throws when Shopify refuses the refresh token for good. */
export function refreshRefused(shop: string, status: number, cause?: unknown): AppError {
  return new AppError("TOKEN_REFRESH_FAILED", `Shopify refused to refresh the offline token of ${shop} (${status})`, {
    retryable: false,
    userMessage: "Storewise lost access to this store. Open the app from Shopify admin to reconnect it.",
    details: { shop, status },
    cause,
  });
}

interface Options {
  redis: () => Redis;
  /** How long a loaded session may be served from memory (0 = always read the database). */
  cacheMs?: number;
  refresh: RefreshOfflineToken;
}

/**
 * Session storage with two ways in (decision 005):
 *
 * - `loadSession`, what the Shopify library calls (authenticate.admin, authenticate.webhook),
 *   never refreshes and never hands out an offline session the library would refresh itself.
 *   A webhook needs no token at all, so an idle shop's uninstall or redact webhook is not held up
 *   by a refresh Shopify refuses after uninstall; authenticate.admin, finding no usable session,
 *   falls back to token exchange with the merchant's session token.
 * - `loadFreshSession`, what the Admin client's token source calls, refreshes an expiring offline
 *   token once across every web and worker process, under a Redis lock: a refresh token is single
 *   use, so two processes refreshing at once would leave one of them with a dead token. A refresh
 *   Shopify refuses deletes the session (it can never work again) and returns none.
 */
export class RefreshingSessionStorage implements SessionStorage {
  private readonly inflight = new Map<string, Promise<Session | undefined>>();
  // Every webhook and admin request loads the shop's offline session; a short-lived copy keeps
  // that off the database on hot paths. Another process's change (refresh, uninstall) is seen
  // within cacheMs, and a stale token is reloaded at once on a 401 by the Admin client.
  private readonly cache = new Map<string, { session: Session | undefined; until: number }>();
  private readonly reads = new Map<string, Promise<Session | undefined>>();
  // Sessions whose refreshed pair only this process holds (the database refused it, storeRefreshed).
  private readonly heldInMemory = new Set<string>();

  constructor(
    private readonly inner: SessionStorage,
    private readonly options: Options,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  /** The stored session if it can be used as it is; an expired (or nearly expired) offline one counts as none. */
  async loadSession(id: string): Promise<Session | undefined> {
    let session: Session | undefined;
    try {
      session = await this.readThrough(id);
    } catch (error) {
      // A token sealed under a key no longer configured: webhooks need no token, and the admin
      // exchanges a new one (stored under the current key) instead of answering 500.
      if (!(error instanceof TokenKeyError)) throw error;
      logger.error({ err: error, sessionId: id }, "stored session does not open with TOKEN_ENCRYPTION_KEYS");
      return undefined;
    }
    if (!session || session.isOnline) return session;
    if (!session.accessToken || session.isExpired(LIBRARY_REFRESH_MARGIN_MS)) return undefined;
    return session;
  }

  /**
   * The offline session with a token good for at least REFRESH_MARGIN_MS, refreshed under the
   * lock when needed. Undefined when there is none, or when Shopify refused the refresh.
   */
  async loadFreshSession(id: string): Promise<Session | undefined> {
    const session = await this.readThrough(id);
    if (!session || session.isOnline || !needsRefresh(session)) return session;
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.refreshUnderLock(id, session.shop).finally(() => this.inflight.delete(id));
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

  private async refreshUnderLock(id: string, shop: string): Promise<Session | undefined> {
    const outcome = await withRedisLock(
      this.options.redis(),
      `storewise:lock:token-refresh:${shop}`,
      { ttlMs: 15_000, waitMs: 15_000 },
      async () => {
        // Another process may have refreshed (or the shop uninstalled) while we waited for the lock.
        this.cache.delete(id);
        const latest = await this.inner.loadSession(id);
        if (!latest || !needsRefresh(latest) || !latest.refreshToken) return latest;
        try {
          const refreshed = await this.options.refresh(shop, latest.refreshToken);
          await this.storeRefreshed(id, refreshed);
          logger.info({ shop, expires: refreshed.expires?.toISOString() }, "offline access token refreshed");
          return refreshed;
        } catch (error) {
          if (!isAppError(error, "TOKEN_REFRESH_FAILED") || error.retryable) throw error;
          await this.dropRefused(id, latest.refreshToken);
          logger.warn({ shop, err: error }, "offline token refresh refused; session deleted");
          return undefined;
        }
      },
    );
    // A pair the database would not take lives on in the cache (storeRefreshed): keep it there.
    if (!this.heldInMemory.has(id)) this.cache.delete(id);
    return outcome.acquired ? outcome.value : this.readThrough(id);
  }

  /**
   * Stores a refreshed pair. Shopify has already revoked the old refresh token, so losing the new
   * pair to a database blip would strand the shop: the next refresh would be refused and the
   * session dropped. The store is tried a few times (inside the lock's 15 s), and if the database
   * still refuses, this process keeps the pair in memory until it expires so it goes on working.
   */
  private async storeRefreshed(id: string, refreshed: Session): Promise<void> {
    const waits = [250, 1_000, 3_000];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.storeSession(refreshed);
        this.heldInMemory.delete(id);
        return;
      } catch (error) {
        const wait = waits[attempt];
        if (wait === undefined) {
          logger.error(
            { err: error, shop: refreshed.shop },
            "refreshed offline token could not be stored; kept in this process's memory until it expires",
          );
          const untilExpiry = (refreshed.expires?.getTime() ?? Date.now()) - Date.now();
          this.remember(id, refreshed, Math.max(untilExpiry, this.options.cacheMs ?? 0));
          this.heldInMemory.add(id);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * Deletes a session whose refresh token Shopify refused, unless a token exchange (which takes
   * no lock) stored a new one meanwhile.
   */
  private async dropRefused(id: string, refusedToken: string): Promise<void> {
    const current = await this.inner.loadSession(id);
    if (current && current.refreshToken !== refusedToken) return;
    // deleteSessions, not deleteSession: Prisma's deleteSession swallows every error, and a dead
    // session left behind would be refreshed (and refused) again on every call.
    await this.deleteSessions([id]);
  }
}

function needsRefresh(session: Session): boolean {
  return Boolean(session.refreshToken) && session.isExpired(REFRESH_MARGIN_MS);
}
