// The fault proxy the fault suite puts in front of Redis and Postgres: it forwards, holds bytes
// (pause) and refuses (refuse), and recovers on resume, without touching the real servers.
import net from "node:net";

import { Redis } from "ioredis";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";

import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";

let proxy: FaultProxy | undefined;
const clients: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of clients.splice(0)) await close().catch(() => undefined);
  await proxy?.close();
});

function redisThrough(p: FaultProxy) {
  const url = new URL(TEST_REDIS_URL);
  const client = new Redis({
    host: "127.0.0.1",
    port: p.port,
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => 100,
  });
  client.on("error", () => undefined);
  clients.push(() => client.quit());
  return client;
}

describe("fault proxy", () => {
  it("forwards Redis, refuses while down, and works again after resume", async () => {
    const url = new URL(TEST_REDIS_URL);
    proxy = await startFaultProxy({ targetHost: url.hostname, targetPort: Number(url.port || 6379) });
    const redis = redisThrough(proxy);
    await new Promise((resolve) => redis.once("ready", resolve));
    expect(await redis.ping()).toBe("PONG");

    proxy.refuse();
    await expect(redis.ping()).rejects.toThrow();
    // New connections are refused outright, as by a stopped server.
    const refused = await new Promise<string>((resolve) => {
      const socket = new net.Socket();
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      socket.connect((proxy as FaultProxy).port, "127.0.0.1");
    }).catch(() => "error");
    expect(refused).toBe("ECONNREFUSED");

    proxy.resume();
    await expect.poll(() => redis.ping().catch(() => "down"), { timeout: 5_000 }).toBe("PONG");
  });

  it("holds Postgres bytes while paused and delivers them on resume", async () => {
    const url = new URL(TEST_DATABASE_URL);
    proxy = await startFaultProxy({ targetHost: url.hostname, targetPort: Number(url.port || 5432) });
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    clients.push(() => client.end());
    expect((await client.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });

    proxy.pause();
    let answered = false;
    const pending = client.query("SELECT 2 AS two").then((result) => {
      answered = true;
      return result.rows[0];
    });
    // The query reached the proxy and is held there, so Postgres cannot have answered it.
    await expect.poll(() => proxy?.heldBytes() ?? 0, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(answered).toBe(false);
    proxy.resume();
    expect(await pending).toEqual({ two: 2 });
  });
});
