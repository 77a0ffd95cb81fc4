import { createServer, type Server } from "node:http";

import type { Registry } from "prom-client";

import { metricsResponse } from "~/lib/metrics-endpoint.server";

/** The worker's own /metrics and /healthz, since it serves no other HTTP. */
export function startMetricsServer(registry: Registry, port: number, token?: string): Server {
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
  server.listen(port, "0.0.0.0");
  return server;
}
