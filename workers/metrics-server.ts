import { createServer, type Server } from "node:http";

import type { Registry } from "prom-client";

import { env } from "~/config/env.server";
import { metricsResponse } from "~/lib/metrics-endpoint.server";

/**
 * The worker's own /metrics and /healthz, since it serves no other HTTP. It listens on loopback
 * unless WORKER_METRICS_HOST says otherwise (env() then requires METRICS_TOKEN), and /metrics
 * needs the bearer token whenever one is set, as the web app's does.
 */
export function startMetricsServer(
  registry: Registry,
  port: number,
  token?: string,
  host: string = env().WORKER_METRICS_HOST,
): Server {
  const server = createServer(async (req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    const response = await metricsResponse(registry, req.headers.authorization ?? null, token);
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
  });
  server.listen(port, host);
  return server;
}
