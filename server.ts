// HTTP entry point for the web process: Remix behind Express, in development with Vite's
// middleware (hot reload) and in production from the build. Shuts down gracefully on SIGTERM.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

import { env } from "./app/config/env.server";
import { logger, withLogContext } from "./app/lib/logger.server";
import { checkEvictionPolicyAtStart } from "./app/lib/redis-eviction.server";
import { createRedisConnection, whenReady } from "./app/lib/redis.server";
import { installShopifyRequestAdapter } from "./server/shopify-request-adapter";
import { answerUnread, normalisePath, refuseBody } from "./server/request-limits";
import { configureProxyTrust } from "./server/trust-proxy";
import { serveWebhook, webhookActions } from "./server/webhook-fast-path";

const config = env();
// Production serves the build; so does `--build`, which tests use with NODE_ENV=test.
const production = config.NODE_ENV === "production" || process.argv.includes("--build");

async function createApp() {
  // The Shopify library's request conversion in one pass instead of O(headers²) regex runs.
  if (!(await installShopifyRequestAdapter())) {
    logger.warn("Shopify request adapter differs from the library's on its self-check; using the library's");
  }
  const app = express();
  app.disable("x-powered-by");
  configureProxyTrust(app, config.TRUST_PROXY);
  app.use(compression());

  // Every log line of a request carries its id; Shopify's own request id is reused when present.
  app.use((req, res, next) => {
    const requestId = req.get("x-request-id") ?? randomUUID();
    res.setHeader("X-Request-Id", requestId);
    withLogContext({ requestId }, next);
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let current: () => Promise<ServerBuild>;
  if (production) {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    const buildPath = new URL("./build/server/index.js", import.meta.url).href;
    const loaded = (await import(buildPath)) as ServerBuild;
    build = loaded;
    current = async () => loaded;
  } else {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    current = build;
  }
  app.all("*", createRequestHandler({ build, mode: production ? "production" : "development" }));

  const origin = new URL(config.SHOPIFY_APP_URL).origin;
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // Every path variant a router would match (case, trailing or doubled slashes, escapes) is
    // normalised first, so no variant of a webhook path reaches Remix, which reads bodies whole.
    const path = normalisePath(req.url);
    const webhook = path.startsWith("/webhooks/") && req.method === "POST";
    if (refuseBody(req, res, { counted: webhook })) return;
    if (webhook) {
      const action = webhookActions(await current()).get(path);
      if (!action) {
        answerUnread(req, res, 404, "Not found");
        return;
      }
      const query = req.url?.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
      const requestId = String(req.headers["x-request-id"] ?? randomUUID());
      res.setHeader("X-Request-Id", requestId);
      return withLogContext({ requestId }, () =>
        serveWebhook(req, res, action, origin + path + query).catch((error: unknown) => {
          logger.error({ err: error, path }, "webhook handler failed");
          if (!res.headersSent) res.writeHead(500).end();
        }),
      );
    }
    app(req, res);
  };
  return {
    handler,
    closeResources: async () => ((await current()).entry.module as unknown as EntryModule).closeResources(),
  };
}

interface EntryModule {
  closeResources(): Promise<void>;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(config.PORT, () => resolve(server));
  });
}

const { handler, closeResources } = await createApp();
// BullMQ requires Redis maxmemory-policy noeviction (app/lib/redis-eviction.server.ts).
const startupRedis = createRedisConnection("producer", "startup-check");
await checkEvictionPolicyAtStart(() => whenReady(startupRedis, 5_000), config.REDIS_EVICTION_CHECK, logger);
startupRedis.disconnect();
const server = await listen((req, res) => void handler(req, res));
logger.info({ port: config.PORT, mode: config.NODE_ENV }, `storewise web listening on http://localhost:${config.PORT}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down web: finishing in-flight requests");
  const forced = setTimeout(() => process.exit(1), 10_000).unref();
  server.close(async () => {
    await closeResources().catch((error: unknown) => logger.error({ err: error }, "error while closing resources"));
    clearTimeout(forced);
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
