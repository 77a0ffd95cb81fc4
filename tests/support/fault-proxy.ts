import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (Postgres, Redis), for outages that disturb
 * only the processes pointed at it:
 * - `pause()`: a blackhole. Connections stay open and new ones are accepted, but no byte moves in
 *   either direction (held in the kernel's buffers), as on a hung host or a dropped route.
 * - `refuse()`: a down server. Every open connection is reset and new ones are reset on accept.
 * - `resume()`: back to forwarding; held bytes flow on, and connections accepted while paused are
 *   connected to the target then.
 * - `close()`: stops listening and drops every connection.
 */
export interface FaultProxy {
  port: number;
  /** `host:port` of the proxy, for building URLs. */
  address: string;
  mode(): ProxyMode;
  pause(): void;
  resume(): void;
  refuse(): void;
  close(): Promise<void>;
}

export type ProxyMode = "forwarding" | "paused" | "refusing";

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  let mode: ProxyMode = "forwarding";
  const pairs = new Set<Pair>();

  const drop = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const link = (pair: Pair) => {
    const upstream = connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on("data", (chunk) => pair.client.write(chunk));
    pair.client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("error", () => drop(pair));
    upstream.on("close", () => drop(pair));
    if (mode === "paused") upstream.pause();
  };

  const server: Server = createServer((client) => {
    const pair: Pair = { client, upstream: undefined };
    client.on("error", () => drop(pair));
    client.on("close", () => drop(pair));
    if (mode === "refusing") {
      client.resetAndDestroy();
      return;
    }
    pairs.add(pair);
    if (mode === "paused") {
      client.pause();
      return;
    }
    link(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    port,
    address: `127.0.0.1:${port}`,
    mode: () => mode,
    pause() {
      mode = "paused";
      for (const pair of pairs) {
        pair.client.pause();
        pair.upstream?.pause();
      }
    },
    resume() {
      mode = "forwarding";
      for (const pair of pairs) {
        if (!pair.upstream) link(pair);
        pair.client.resume();
        pair.upstream?.resume();
      }
    },
    refuse() {
      mode = "refusing";
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      }
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same URL with its host and port replaced by the proxy's (credentials, path and query kept). */
export function throughProxy(url: string, proxy: FaultProxy): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(proxy.port);
  return parsed.toString();
}
