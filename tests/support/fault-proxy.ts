import net from "node:net";

/**
 * A TCP proxy in front of one server (Redis, Postgres, an HTTP emulator) that a test can break
 * on purpose, so an outage hits only the processes pointed at the proxy and not the machine's
 * real server that other tests share.
 * - pause(): connections stay open and new ones are accepted, but no byte goes either way (a
 *   blackhole: what a hung server or a dropped network looks like; clients hit their timeouts).
 * - refuse(): every open connection is reset and new ones are refused (ECONNREFUSED), like a
 *   server that is down or restarting.
 * - resume(): back to forwarding; bytes held while paused are delivered in order.
 * - heldBytes(): how many bytes the proxy holds right now, both directions: proof that a client's
 *   request reached the proxy while paused (and so went no further).
 */
export interface FaultProxy {
  port: number;
  url(path?: string): string;
  pause(): void;
  heldBytes(): number;
  resume(): void;
  refuse(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes received while paused, per direction, delivered on resume. */
  held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

export async function startFaultProxy(options: { targetHost: string; targetPort: number }): Promise<FaultProxy> {
  let mode: "open" | "paused" | "refusing" = "open";
  let closed = false;
  const pairs = new Set<Pair>();

  const destroyPair = (pair: Pair) => {
    pairs.delete(pair);
    for (const socket of [pair.client, pair.upstream]) {
      if (socket.destroyed) continue;
      // A reset, not a polite FIN: the peer sees the connection die as it does when a server crashes.
      if (typeof socket.resetAndDestroy === "function" && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  const forward = (pair: Pair, from: net.Socket, to: net.Socket, held: Buffer[]) => {
    from.on("data", (chunk: Buffer) => {
      if (mode === "paused") held.push(chunk);
      else if (!to.destroyed) to.write(chunk);
    });
    from.on("end", () => {
      if (mode !== "paused") to.end();
    });
    from.on("error", () => destroyPair(pair));
    from.on("close", () => destroyPair(pair));
  };

  const server = net.createServer((client) => {
    if (mode === "refusing" || closed) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort });
    upstream.setNoDelay(true);
    const pair: Pair = { client, upstream, held: { toUpstream: [], toClient: [] } };
    pairs.add(pair);
    forward(pair, client, upstream, pair.held.toUpstream);
    forward(pair, upstream, client, pair.held.toClient);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  /** Listens again on the same port after refuse(); another process could take it meanwhile, so retry briefly. */
  const relisten = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (closed || mode === "refusing" || server.listening) return;
      try {
        await listen(port);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`fault proxy could not listen on ${port} again`);
  };

  return {
    port,
    url: (path = "") => `http://127.0.0.1:${port}${path}`,
    pause() {
      if (mode === "open") mode = "paused";
    },
    heldBytes() {
      let bytes = 0;
      for (const pair of pairs) {
        for (const chunk of [...pair.held.toUpstream, ...pair.held.toClient]) bytes += chunk.length;
      }
      return bytes;
    },
    resume() {
      const wasRefusing = mode === "refusing";
      mode = "open";
      for (const pair of pairs) {
        for (const chunk of pair.held.toUpstream.splice(0)) if (!pair.upstream.destroyed) pair.upstream.write(chunk);
        for (const chunk of pair.held.toClient.splice(0)) if (!pair.client.destroyed) pair.client.write(chunk);
      }
      if (wasRefusing) void relisten();
    },
    refuse() {
      mode = "refusing";
      for (const pair of [...pairs]) destroyPair(pair);
      // Closing the listener makes new connections fail with ECONNREFUSED, as a stopped server does.
      if (server.listening) server.close();
    },
    async close() {
      closed = true;
      for (const pair of [...pairs]) destroyPair(pair);
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
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
