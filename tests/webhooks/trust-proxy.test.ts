// X-Forwarded-Host/-Proto are only believed from the proxies TRUST_PROXY names. What Remix sees is
// the URL its Express adapter builds (createRemixRequest, the function server.ts's handler uses).
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

import express from "express";
import { describe, expect, inject, it } from "vitest";

import { parseEnv } from "~/config/env.server";
import { configureProxyTrust } from "../../server/trust-proxy";
import { freePort } from "../support/ports";
import { startAppServer } from "../support/processes";

const SPOOFED = {
  "X-Forwarded-Host": "evil.example:6666",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-For": "203.0.113.9",
};

// The function createRequestHandler (server.ts) builds every Remix request with. The package keeps
// it in dist/server.js without re-exporting it; a Remix upgrade that moves it fails here loudly.
const { createRemixRequest } = createRequire(import.meta.url)("@remix-run/express/dist/server.js") as {
  createRemixRequest(req: express.Request, res: express.Response): Request;
};

/** The URL and client address the app sees for a request from this (loopback) test. */
async function seenWith(trustProxy: string | undefined) {
  const env = parseEnv({ ...(inject("appEnv") as Record<string, string>), TRUST_PROXY: trustProxy });
  const app = express();
  configureProxyTrust(app, env.TRUST_PROXY);
  app.get("*", (req, res) => {
    res.json({ url: createRemixRequest(req, res).url, ip: req.ip });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/app/settings?x=1`, { headers: SPOOFED });
    return { port, ...((await response.json()) as { url: string; ip: string }) };
  } finally {
    server.close();
  }
}

describe("TRUST_PROXY", () => {
  it("by default, ignores a client's X-Forwarded-Host, -Proto and -For", async () => {
    const seen = await seenWith(undefined);
    expect(seen.url).toBe(`http://127.0.0.1:${seen.port}/app/settings?x=1`);
    expect(seen.ip).not.toBe("203.0.113.9");
  });

  it.each(["false", "10.0.0.0/8", "192.168.1.5, fd00::/8"])(
    "ignores them from a peer that %s does not name",
    async (setting) => {
      const seen = await seenWith(setting);
      expect(seen.url).toBe(`http://127.0.0.1:${seen.port}/app/settings?x=1`);
    },
  );

  it.each(["loopback", "127.0.0.1", "1"])("believes them from a proxy that %s names", async (setting) => {
    const seen = await seenWith(setting);
    expect(seen.url).toBe("https://evil.example:6666/app/settings?x=1");
    expect(seen.ip).toBe("203.0.113.9");
  });

  it("refuses to trust every client, and nonsense", () => {
    const base = inject("appEnv") as Record<string, string>;
    expect(() => parseEnv({ ...base, TRUST_PROXY: "true" })).toThrowError(/TRUST_PROXY must be false, a hop count/);
    expect(() => parseEnv({ ...base, TRUST_PROXY: "10.0.0.0/99" })).toThrowError(/TRUST_PROXY/);
    expect(() => parseEnv({ ...base, TRUST_PROXY: "proxy.internal" })).toThrowError(/TRUST_PROXY/);
  });

  it("the web process still starts with a TRUST_PROXY list, and refuses TRUST_PROXY=true", async () => {
    const port = await freePort();
    const app = await startAppServer(
      { ...inject("appEnv"), TRUST_PROXY: "loopback,10.0.0.0/8", SHOPIFY_APP_URL: `http://127.0.0.1:${port}` },
      port,
    );
    await app.stop();
    const refusedPort = await freePort();
    await expect(
      startAppServer({ ...inject("appEnv"), TRUST_PROXY: "true" }, refusedPort).then((started) => started.stop()),
    ).rejects.toThrow(/TRUST_PROXY/);
  });
});
