import type { SessionStorage } from "@shopify/shopify-app-session-storage";

import { AppError } from "~/lib/errors";
import type { AccessTokenSource } from "~/integrations/shopify/admin-client.server";

const CACHE_MS = 30_000;

/**
 * The shop's offline access token, read through the refreshing session storage (so an expiring
 * token is renewed once across processes) and cached briefly so hot paths don't hit the database
 * on every call.
 */
export function offlineTokenSource(
  shop: string,
  sessions: SessionStorage & { forget?(id: string): void },
): AccessTokenSource {
  let cached: { token: string; until: number } | undefined;
  return {
    async get() {
      if (cached && cached.until > Date.now()) return cached.token;
      const session = await sessions.loadSession(`offline_${shop}`);
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
      sessions.forget?.(`offline_${shop}`);
    },
  };
}
