import { AppError } from "~/lib/errors";
import type { AccessTokenSource } from "~/integrations/shopify/admin-client.server";
import type { RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";

const CACHE_MS = 30_000;

/**
 * The shop's offline access token for the Admin client. It asks the session storage explicitly
 * for a fresh session (an expiring token is renewed once across processes, decision 005) and
 * caches the token briefly so hot paths don't hit the database on every call. A shop without a
 * session, or whose refresh Shopify refused, is not installed: that failure is final.
 */
export function offlineTokenSource(
  shop: string,
  sessions: Pick<RefreshingSessionStorage, "loadFreshSession" | "forget">,
): AccessTokenSource {
  let cached: { token: string; until: number } | undefined;
  return {
    async get() {
      if (cached && cached.until > Date.now()) return cached.token;
      const session = await sessions.loadFreshSession(`offline_${shop}`);
      if (!session?.accessToken) {
        throw new AppError("SHOP_NOT_INSTALLED", `no offline session for ${shop}`, {
          userMessage: "Storewise is not installed on this store.",
          details: { shop },
        });
      }
      const expiresAt = session.expires?.getTime() ?? Number.POSITIVE_INFINITY;
      cached = { token: session.accessToken, until: Math.min(Date.now() + CACHE_MS, expiresAt - 60_000) };
      return session.accessToken;
    },
    invalidate() {
      cached = undefined;
      sessions.forget(`offline_${shop}`);
    },
  };
}
