import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { networkInterfaces } from "node:os";

import { eventually } from "../support/eventually";
import { freePort } from "../support/ports";
import { startAppServer, startWorker, type RunningProcess } from "../support/processes";

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
    expect(await response.json()).toEqual({ ready: true, checks: { database: "up", redis: "up" } });
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

  it("/readyz answers 503 and names Redis when it is unreachable, without the error's text", async () => {
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(503);
    const body = await response.text();
    // Only which check failed: the driver's message (host, port, ECONNREFUSED) stays in the log.
    expect(JSON.parse(body)).toEqual({ ready: false, checks: { database: "up", redis: "down" } });
    expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|redis:\/\/|no answer/i);
    await eventually(async () => app.output().includes("readiness check failed"), {
      context: () => app.output().slice(-2000),
    });
  });
});

/** An address of this machine that is not loopback, if it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry?.family === "IPv4" && !entry.internal)?.address;

describe("the worker's /metrics", () => {
  const token = "worker-metrics-token-0123456789";
  let worker: RunningProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    worker = await startWorker({ ...inject("appEnv"), METRICS_TOKEN: token, WORKER_METRICS_PORT: String(port) });
    await eventually(() =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
    );
  });
  afterAll(() => worker?.stop());

  it("needs the bearer token, as the web app's does", async () => {
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: "Bearer wrong-token-wrong-token-00" } })).status).toBe(401);
    const authorised = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(authorised.status).toBe(200);
    expect(await authorised.text()).toContain("process_resident_memory_bytes");
  });

  it.skipIf(!externalAddress)("listens on loopback only by default", async () => {
    const outside = await fetch(`http://${externalAddress}:${port}/healthz`).then(
      (response) => `answered ${response.status}`,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    expect(outside).toBe("ECONNREFUSED");
  });
});
