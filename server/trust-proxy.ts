import type { Express, NextFunction, Request, Response } from "express";

import type { Env } from "../app/config/env.server";

const FORWARDED_HEADERS = ["forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "x-forwarded-port"];

/**
 * Trusts X-Forwarded-* only from the peers TRUST_PROXY names (issue 6, defect 11). Express honours
 * them for req.hostname, req.protocol and req.ip only when the peer is trusted, but Remix's
 * adapter also reads the port of X-Forwarded-Host unconditionally; so from an untrusted peer the
 * headers are removed before anything reads them, and the app sees the Host it was sent.
 */
export function configureProxyTrust(app: Express, setting: Env["TRUST_PROXY"]): void {
  app.set("trust proxy", setting);
  const trusted = app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (!trusted(req.socket.remoteAddress ?? "", 0)) {
      for (const name of FORWARDED_HEADERS) delete req.headers[name];
    }
    next();
  });
}
