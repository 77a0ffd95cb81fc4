import { timingSafeEqual } from "node:crypto";

import type { Registry } from "prom-client";

/** Serves Prometheus text; with a token configured, only to `Authorization: Bearer <token>`. */
export async function metricsResponse(registry: Registry, authorization: string | null, token?: string) {
  if (token && !bearerMatches(authorization, token)) {
    return new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType } });
}

function bearerMatches(header: string | null, token: string): boolean {
  const presented = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
