// One body limit for every request: no path variant (case, slashes, escapes) and no route (webhook,
// admin, app proxy, OAuth) reads an oversized body. Raw sockets show what the server reads.
import { readFileSync } from "node:fs";
import { connect } from "node:net";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { freePort } from "../support/ports";
import { startAppServer, type RunningProcess } from "../support/processes";

const SIX_MB = 6 * 1024 * 1024;

const WEBHOOK_VARIANTS = [
  "/webhooks/products/create",
  "/webhooks/products/create/",
  "/WEBHOOKS/products/create",
  "/Webhooks/Products/Create/",
  "/webhooks//products/create",
  "//webhooks/products/create",
  "/webhooks/products%2Fcreate",
  "/%77ebhooks/products/create",
  "/webhooks/products/create?x=1",
  "/webhooks/no-such-topic",
];
const OTHER_ROUTES = [
  "/",
  "/app",
  "/app/",
  "/APP/settings",
  "/app/bulk-runs",
  "/app/review",
  "/proxy/chat",
  "/auth/login",
];

interface Outcome {
  status: number;
  /** Body bytes the client had written when the answer came. */
  sentBeforeAnswer: number;
}

/**
 * POSTs `total` bytes of body (declared with Content-Length, or chunked) in 64 KiB writes,
 * pausing between writes so the server can answer early, and reports when the answer came.
 */
function post(url: string, path: string, options: { total: number; chunked?: boolean }): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let sent = 0;
    let answer = "";
    let settled = false;
    const finish = (outcome: Outcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${path} after sending ${sent} bytes`)), 15_000);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) finish({ status: Number(status[1]), sentBeforeAnswer: sent });
    });
    socket.on("error", () => {
      // The server may close mid-upload; what it answered before that is what counts.
    });
    socket.on("close", () => finish(new Error(`${path}: connection closed without an answer after ${sent} bytes`)));
    socket.on("connect", () => {
      const length = options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.total}`;
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
          `X-Shopify-Topic: products/create\r\nX-Shopify-Shop-Domain: limit-shop.myshopify.com\r\n` +
          `X-Shopify-Hmac-Sha256: AAAA\r\n${length}\r\n\r\n`,
      );
      const piece = Buffer.alloc(64 * 1024, "x");
      const writeMore = () => {
        if (settled || sent >= options.total) {
          if (options.chunked && !settled) socket.write("0\r\n\r\n");
          return;
        }
        const part = piece.subarray(0, Math.min(piece.length, options.total - sent));
        const data = options.chunked
          ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")])
          : part;
        socket.write(data, () => {
          sent += part.length;
          setTimeout(writeMore, 2);
        });
      };
      writeMore();
    });
  });
}

function peakRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
}

describe("the body limit", () => {
  let app: RunningProcess & { url: string };
  beforeAll(async () => {
    const port = await freePort();
    app = await startAppServer({ ...inject("appEnv"), SHOPIFY_APP_URL: `http://127.0.0.1:${port}` }, port);
  });
  afterAll(() => app.stop());

  it.each([...WEBHOOK_VARIANTS, ...OTHER_ROUTES])(
    "answers 413 to a declared 6 MB body on %s before the body is sent",
    async (path) => {
      const outcome = await post(app.url, path, { total: SIX_MB });
      expect(outcome.status).toBe(413);
      // It answered on the headers alone: at most a few writes had gone out, never the body.
      expect(outcome.sentBeforeAnswer).toBeLessThan(1024 * 1024);
    },
  );

  it.each(WEBHOOK_VARIANTS.filter((path) => !path.includes("no-such-topic")))(
    "stops reading a chunked 6 MB body on %s at the limit (413)",
    async (path) => {
      const outcome = await post(app.url, path, { total: SIX_MB, chunked: true });
      expect(outcome.status).toBe(413);
      expect(outcome.sentBeforeAnswer).toBeLessThan(SIX_MB);
    },
  );

  it.each(["/webhooks/no-such-topic", ...OTHER_ROUTES])(
    "refuses a chunked body of unknown length on %s without reading it",
    async (path) => {
      const outcome = await post(app.url, path, { total: SIX_MB, chunked: true });
      expect([404, 411]).toContain(outcome.status);
      expect(outcome.sentBeforeAnswer).toBeLessThan(1024 * 1024);
    },
  );

  it("keeps the process's memory flat under many oversized uploads at once", async () => {
    const pid = app.child.pid ?? 0;
    const before = peakRssKb(pid);
    const paths = [...WEBHOOK_VARIANTS, ...OTHER_ROUTES];
    // 54 concurrent 6 MB uploads (324 MB offered), each refused on its headers. (A chunked webhook
    // upload may hold up to the 5 MB limit while it is counted; the tests above bound that.)
    const outcomes = await Promise.all(
      [0, 1, 2].flatMap(() => paths.map((path) => post(app.url, path, { total: SIX_MB }))),
    );
    expect(outcomes.every((outcome) => outcome.status === 413)).toBe(true);
    const grewKb = peakRssKb(pid) - before;
    expect(grewKb).toBeLessThan(30 * 1024);
  });

  it("still serves a normal webhook variant through the same handler", async () => {
    const outcome = await post(app.url, "/WEBHOOKS/products/create/", { total: 2 });
    // Reaches the webhook handler, which answers 401 to the forged HMAC (not Remix's 404/405).
    expect(outcome.status).toBe(401);
  });
});
