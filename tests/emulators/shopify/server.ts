// Entry point: startShopifyEmulator() wires state, GraphQL executor, webhook dispatcher, OAuth,
// the admin/App Bridge stand-ins and the /_emulator control API onto one node:http server.
import { existsSync } from "node:fs";
import path from "node:path";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { appBridgeScript, renderAdminPage, renderAdminProductPage, renderMissingAppUrl } from "./admin-page";
import { readAppToml, type AppConfig, type WebhookSubscription } from "./app-config";
import { BulkRunner, type BulkTimings } from "./bulk";
import type { EmulatorRuntime } from "./context";
import { controlErrorStatus, createControlRouter } from "./control";
import { Executor } from "./executor";
import { createGraphQLHandler } from "./graphql-handler";
import { CORS_HEADERS, readBody, sendJson, sendText } from "./http";
import { handleAccessTokenRequest, parseTokenRequest, type OAuthOptions } from "./oauth";
import { DEFAULT_API_VERSION, loadAdminSchema } from "./schema";
import { EmulatorState, type ShopInput } from "./state";
import { createStorefront, type AppProxyConfig } from "./storefront";
import { WebhookDispatcher } from "./webhooks";

export interface EmulatorLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ShopifyEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  /** Where the app runs: webhooks with relative URIs and the admin iframe point here. */
  appUrl?: string;
  /** shopify.app.toml to read webhook subscriptions (and access scopes) from. */
  tomlPath?: string;
  /** Used when no tomlPath is given (or in addition to it). */
  webhookSubscriptions?: WebhookSubscription[];
  webhookRetry?: { attempts: number; baseDelayMs: number };
  webhookTimeoutMs?: number;
  webhookConcurrency?: number;
  /** Bucket defaults for shops created without a plan (else Shopify's Standard plan: 2,000 points, 100 per s). */
  defaultRestoreRate?: number;
  defaultBucketSize?: number;
  /** Check access scopes like Shopify (ACCESS_DENIED). Default true. */
  enforceScopes?: boolean;
  /** Shopify accepts translations into unpublished locales; the emulator rejects them unless set. */
  allowUnpublishedLocaleTranslations?: boolean;
  /**
   * Fail any selected field the emulator does not model with an error naming it, instead of a
   * silent "", 0, [] or null (context.ts). Default true; false only to explore the schema.
   */
  strict?: boolean;
  /** Create unknown shops on session-token / token exchange / admin page (an install). Default true. */
  autoCreateShops?: boolean;
  offlineTokenTtlSec?: number;
  refreshTokenTtlSec?: number;
  bulk?: Partial<BulkTimings>;
  /** Shops to create at start and after every reset. */
  shops?: ShopInput[];
  appHomePath?: string;
  appName?: string;
  /** Public base URL if the emulator is reached through another address (bulk result URLs). */
  publicUrl?: string;
  logger?: EmulatorLogger;
  /** The theme app extension the storefront embeds (default: the repository's extensions/support-chat). */
  extensionDir?: string;
  /** The app proxy (default: shopify.app.toml's [app_proxy]). */
  appProxy?: AppProxyConfig;
}

const DEFAULT_EXTENSION_DIR = path.resolve(import.meta.dirname, "../../../extensions/support-chat");

export interface ShopifyEmulator {
  url: string;
  port: number;
  state: EmulatorState;
  webhooks: WebhookDispatcher;
  reset(): void;
  close(): Promise<void>;
}

const silentLogger: EmulatorLogger = { info() {}, warn() {}, error() {} };

function loadConfig(options: ShopifyEmulatorOptions, logger: EmulatorLogger): AppConfig {
  let config: AppConfig = { subscriptions: [] };
  if (options.tomlPath) {
    if (existsSync(options.tomlPath)) config = readAppToml(options.tomlPath);
    else
      logger.warn({ tomlPath: options.tomlPath }, "shopify emulator: toml not found, no webhook subscriptions loaded");
  }
  return { ...config, subscriptions: [...config.subscriptions, ...(options.webhookSubscriptions ?? [])] };
}

export async function startShopifyEmulator(options: ShopifyEmulatorOptions): Promise<ShopifyEmulator> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? "127.0.0.1";
  let config = loadConfig(options, logger);
  const admin = loadAdminSchema(DEFAULT_API_VERSION);
  const state = new EmulatorState({
    defaultRestoreRate: options.defaultRestoreRate,
    defaultBucketSize: options.defaultBucketSize,
    defaultScopes: config.scopes,
  });
  const executor = new Executor(admin);
  let baseUrl = options.publicUrl ?? "";

  const dispatcher = new WebhookDispatcher({
    state,
    secret: options.apiSecret,
    appUrl: options.appUrl,
    apiVersion: config.apiVersion ?? DEFAULT_API_VERSION,
    retry: options.webhookRetry ?? { attempts: 8, baseDelayMs: 200 },
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    concurrency: options.webhookConcurrency ?? 32,
    warn: (msg, details) => logger.warn(details ?? {}, msg),
  });
  dispatcher.setSubscriptions(config.subscriptions);
  state.onEvent((event) => dispatcher.enqueue(event));

  const runtime: EmulatorRuntime = {
    baseUrl: () => baseUrl,
    apiKey: options.apiKey,
    appName: options.appName ?? "Storewise",
    allowUnpublishedLocaleTranslations: options.allowUnpublishedLocaleTranslations ?? false,
    strict: options.strict ?? true,
    startBulkQuery: (shop, query) => bulk.start(shop, query),
    cancelBulk: (shop, id) => bulk.cancel(shop, id),
    warn: (msg, details) => logger.warn(details ?? {}, `shopify emulator: ${msg}`),
    webhooks: dispatcher,
  };
  const bulk = new BulkRunner(state, executor, () => runtime, {
    startDelayMs: options.bulk?.startDelayMs ?? 10,
    runMs: options.bulk?.runMs ?? 50,
    objectsPerSecond: options.bulk?.objectsPerSecond ?? Infinity,
  });

  const seed = () => {
    for (const shop of options.shops ?? []) state.upsertShop(shop);
  };
  seed();

  const storefront = createStorefront({
    state,
    apiSecret: options.apiSecret,
    appUrl: options.appUrl,
    appProxy: options.appProxy ?? config.appProxy,
    extensionDir: options.extensionDir ?? (existsSync(DEFAULT_EXTENSION_DIR) ? DEFAULT_EXTENSION_DIR : undefined),
    baseUrl: () => baseUrl,
    warn: (msg, details) => logger.warn(details ?? {}, `shopify emulator: ${msg}`),
  });

  const reset = () => {
    storefront.reset();
    bulk.close();
    dispatcher.clear();
    state.reset();
    config = loadConfig(options, logger);
    dispatcher.setSubscriptions(config.subscriptions);
    seed();
  };

  const autoCreateShops = options.autoCreateShops ?? true;
  const oauthOptions: OAuthOptions = {
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    offlineTokenTtlSec: options.offlineTokenTtlSec ?? 3600,
    refreshTokenTtlSec: options.refreshTokenTtlSec ?? 90 * 24 * 3600,
    autoCreateShops,
  };
  const adminOptions = {
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    appUrl: options.appUrl,
    appHomePath: options.appHomePath ?? "/app",
    appName: options.appName ?? "Storewise",
  };
  const graphql = createGraphQLHandler({ state, executor, runtime, enforceScopes: options.enforceScopes ?? true });
  const control = createControlRouter({
    state,
    dispatcher,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    autoCreateShops,
    reset,
  });

  const adminPage = (res: ServerResponse, shopParam: string, subPath: string, query: URLSearchParams) => {
    let shop = state.getShop(shopParam);
    if (!shop && autoCreateShops) shop = state.upsertShop({ shop: shopParam });
    if (!shop) return sendJson(res, 404, { errors: "Not Found" });
    if (!options.appUrl) return sendText(res, 500, renderMissingAppUrl(), "text/html; charset=utf-8");
    sendText(res, 200, renderAdminPage(adminOptions, state, shop, subPath, query), "text/html; charset=utf-8");
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? "/";
    // A shop's online store, on its own host (storefront.ts).
    const storefrontShop = storefront.shopFor(req);
    if (storefrontShop) return storefront.handle(req, res, storefrontShop);
    const gql = /^\/admin\/api\/([^/]+)\/graphql\.json(?:\?|$)/.exec(rawUrl);
    if (gql && req.method === "POST") return graphql(req, res, gql[1] as string);
    if (req.method === "OPTIONS") {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    const url = new URL(rawUrl, "http://emulator.local");
    const path = url.pathname;
    if (path === "/admin/oauth/access_token" && req.method === "POST") {
      const params = parseTokenRequest(await readBody(req), req.headers["content-type"]);
      const result = handleAccessTokenRequest(state, oauthOptions, params, req.headers.host);
      return sendJson(res, result.status, result.body);
    }
    if ((path === "/cdn/app-bridge.js" || path === "/shopifycloud/app-bridge.js") && req.method === "GET") {
      return sendText(res, 200, appBridgeScript(baseUrl), "application/javascript; charset=utf-8", {
        ...CORS_HEADERS,
        "Cache-Control": "no-store",
      });
    }
    const asset = /^\/extensions\/([^/]+)\/assets\/([^/]+)$/.exec(path);
    if (asset && req.method === "GET" && storefront.serveAsset(res, asset[1] as string, asset[2] as string)) return;
    const productPage = /^\/store\/([^/]+)\/products\/(\d+)$/.exec(path);
    if (productPage && req.method === "GET") {
      const shop = state.getShop(`${productPage[1]}.myshopify.com`);
      const html = shop && renderAdminProductPage(shop, Number(productPage[2]));
      return html ? sendText(res, 200, html, "text/html; charset=utf-8") : sendJson(res, 404, { errors: "Not Found" });
    }
    const store = /^\/store\/([^/]+)\/apps\/[^/]+(?:\/(.*))?$/.exec(path);
    if (store && req.method === "GET") return adminPage(res, store[1] as string, store[2] ?? "", url.searchParams);
    if ((path === "/admin" || path === "/admin/apps") && req.method === "GET" && url.searchParams.get("shop")) {
      const query = new URLSearchParams(url.searchParams);
      query.delete("shop");
      return adminPage(res, url.searchParams.get("shop") as string, "", query);
    }
    if (path.startsWith("/_emulator/") && (await storefront.control.dispatch(req, res, url))) return;
    if (path.startsWith("/_emulator/") && (await control.dispatch(req, res, url))) return;
    sendJson(res, 404, { errors: "Not Found" });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const known = controlErrorStatus(err);
      if (!known) logger.error({ err, url: req.url }, "shopify emulator: request failed");
      if (res.headersSent) {
        res.end();
        return;
      }
      sendJson(
        res,
        known?.status ?? 500,
        known?.body ?? { errors: "Internal Server Error", message: (err as Error)?.message },
      );
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  if (!baseUrl) baseUrl = url;
  logger.info({ url }, "shopify emulator listening");

  return {
    url,
    port,
    state,
    webhooks: dispatcher,
    reset,
    close: async () => {
      bulk.close();
      dispatcher.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
