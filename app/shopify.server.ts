import "@shopify/shopify-app-remix/adapters/node";
import { HttpResponseError, HttpRetriableError, shopifyApi, type Session } from "@shopify/shopify-api";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { ADMIN_API_VERSION } from "~/config/api-version";
import { env, tokenEncryptionKeys } from "~/config/env.server";
import { prisma } from "~/db.server";
import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { adminOrigin, routeShopifyLibraryToEmulator } from "~/integrations/shopify/admin-origin.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { offlineTokenSource } from "~/integrations/shopify/offline-token.server";
import { EncryptedSessionStorage } from "~/integrations/shopify/session-encryption.server";
import { ReadySessionStorage } from "~/integrations/shopify/ready-session-storage.server";
import { refreshRefused, RefreshingSessionStorage } from "~/integrations/shopify/session-storage.server";
import { webhookVerifier } from "~/integrations/shopify/webhook-verifier.server";
import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";
import { TokenCipher } from "~/lib/token-cipher.server";
import { recordInstallation } from "~/services/shops/record-installation.server";
import { requestShopLocalesRefresh } from "~/services/translations/refresh-shop-locales.server";
import { requestStoreContentIndex } from "~/services/support/index-store-content.server";
import { ensureDigestSchedule } from "~/jobs/digest-schedule.server";

const config = env();
routeShopifyLibraryToEmulator();

// shopifyApp() keeps its API object private; this one exists only to refresh offline tokens.
const tokenApi = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: 0 },
});

/**
 * Exchanges a refresh token for a new offline session (Shopify invalidates the old pair). A 4xx
 * (the refresh token was revoked at uninstall, expired or already used) is a refusal for good;
 * 429, 5xx and network errors can pass, and so can a 401 for our own client credentials (a
 * misconfiguration must not cost every shop its session).
 */
export async function refreshOfflineToken(shop: string, refreshToken: string): Promise<Session> {
  try {
    return (await tokenApi.auth.refreshToken({ shop, refreshToken })).session;
  } catch (error) {
    if (
      error instanceof HttpResponseError &&
      !(error instanceof HttpRetriableError) &&
      error.response.code >= 400 &&
      error.response.code < 500 &&
      (error.response.body as { error?: string } | undefined)?.error !== "invalid_client"
    ) {
      throw refreshRefused(shop, error.response.code, error);
    }
    throw new AppError(
      "TOKEN_REFRESH_FAILED",
      `offline token refresh failed for ${shop}: ${(error as Error).message}`,
      {
        retryable: true,
        details: { shop },
        cause: error,
      },
    );
  }
}

/** Seals offline tokens at rest, with the newest key of TOKEN_ENCRYPTION_KEYS (decision 010). */
const tokenCipher = new TokenCipher(tokenEncryptionKeys(config));

// Prisma stores only ciphertext; the refreshing layer above caches opened sessions in memory.
const encryptedSessions = new EncryptedSessionStorage(new ReadySessionStorage(new PrismaSessionStorage(prisma)), {
  cipher: tokenCipher,
  db: prisma,
});

export const sessionStorage = new RefreshingSessionStorage(encryptedSessions, {
  redis,
  refresh: refreshOfflineToken,
  cacheMs: 5_000,
});

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstallation({ db: prisma, shop: session.shop, scopes: session.scope ?? null });
      // The support chat reads the store's policies and pages (a failure to queue must not stop the install).
      await requestStoreContentIndex({ shop: session.shop }).catch((error: Error) =>
        logger.warn({ shop: session.shop, err: error.message }, "could not queue the support chat's content index"),
      );
      // The weekly insights digest (also created on the first insights visit, should this fail).
      await ensureDigestSchedule(session.shop).catch((error: Error) =>
        logger.warn({ shop: session.shop, err: error.message }, "could not schedule the weekly insights digest"),
      );
      // The shop's published locales, stored for the translation hot path (decision 023).
      await requestShopLocalesRefresh({ shop: session.shop }).catch((error: Error) =>
        logger.warn({ shop: session.shop, err: error.message }, "could not queue the read of the shop's locales"),
      );
    },
  },
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;

/**
 * Webhook intake's verifier: answers as `authenticate.webhook` does (a differential test holds
 * them equal), at a fraction of its cost (decision 004). Same secret, same session storage.
 */
export const verifyWebhook = webhookVerifier({
  secret: config.SHOPIFY_API_SECRET,
  sessionStorage,
  sanitizeShop: tokenApi.utils.sanitizeShop,
});

const bucket = redisCostBucket(redis);
// One client per shop and wait limit, kept for the busiest shops only: a worker serving thousands
// of shops must not hold a client for each forever.
const MAX_ADMIN_CLIENTS = 1_000;
const adminClients = new Map<string, AdminClient>();

/**
 * The shop's Admin client, authenticated with its offline token. Web and workers both use this;
 * workers pass a small `maxWaitMs` and reschedule the job rather than hold a slot while waiting.
 */
export function adminClientFor(shop: string, options: { maxWaitMs?: number } = {}): AdminClient {
  const key = `${shop}:${options.maxWaitMs ?? "default"}`;
  let client = adminClients.get(key);
  if (client) {
    // Most recently used last, so the first entry is the one to let go.
    adminClients.delete(key);
    adminClients.set(key, client);
  } else {
    if (adminClients.size >= MAX_ADMIN_CLIENTS) adminClients.delete(adminClients.keys().next().value ?? "");
    client = new AdminClient({
      shop,
      origin: adminOrigin(shop),
      token: offlineTokenSource(shop, sessionStorage),
      bucket,
      maxWaitMs: options.maxWaitMs,
      timeoutMs: config.ADMIN_API_TIMEOUT_MS,
    });
    adminClients.set(key, client);
  }
  return client;
}
