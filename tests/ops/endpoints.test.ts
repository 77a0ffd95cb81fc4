import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { freePort } from "../support/ports";
import { startAppServer, type RunningProcess } from "../support/processes";

const appUrl = inject("appUrl");

describe("operations endpoints", () => {
  it("/healthz answers while the process serves HTTP", async () => {
    const response = await fetch(`${appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz reports the database and Redis as reachable", async () => {
    const response = await fetch(`${appUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, redis: { ok: true } },
    });
  });

  it("/metrics serves Prometheus text with the app's counters", async () => {
    const response = await fetch(`${appUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toContain("# TYPE storewise_webhooks_received_total counter");
    expect(text).toContain("# TYPE storewise_admin_api_requests_total counter");
    expect(text).toContain("process_resident_memory_bytes");
  });
});

describe("operations endpoints with a metrics token and Redis down", () => {
  const token = "metrics-token-for-tests-0123456789";
  let app: RunningProcess & { url: string };

  beforeAll(async () => {
    const port = await freePort();
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    app = await startAppServer(
      { ...inject("appEnv"), METRICS_TOKEN: token, REDIS_URL: deadRedis, SHOPIFY_APP_URL: `http://127.0.0.1:${port}` },
      port,
    );
  });
  afterAll(() => app?.stop());

  it("/metrics refuses a request without the bearer token, and serves one with it", async () => {
    const anonymous = await fetch(`${app.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/Bearer/);
    const wrong = await fetch(`${app.url}/metrics`, {
      headers: { Authorization: "Bearer not-the-token-at-all-00000" },
    });
    expect(wrong.status).toBe(401);
    const authorised = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(authorised.status).toBe(200);
    expect(await authorised.text()).toContain("# TYPE storewise_webhook_intake_duration_seconds histogram");
  });

  it("/readyz answers 503 and names Redis when it is unreachable", async () => {
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(503);
    const report = (await response.json()) as {
      ready: boolean;
      checks: { database: { ok: boolean }; redis: { ok: boolean; error?: string } };
    };
    expect(report.ready).toBe(false);
    expect(report.checks.database.ok).toBe(true);
    expect(report.checks.redis.ok).toBe(false);
    expect(report.checks.redis.error).toBeTruthy();
  });
});
