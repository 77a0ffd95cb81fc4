import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * One body limit for every request the web process serves, whatever its path or method, checked
 * before any handler reads a byte (issue 6, defect 5). Webhooks are the largest bodies we accept
 * (a product with many variants); admin forms and app-proxy posts are far smaller.
 */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Answers and returns true when the request's body may not be read:
 * - a declared Content-Length above the limit: 413 at once, nothing read. Node's HTTP parser never
 *   hands a handler more body than Content-Length declares, so a smaller one bounds what any
 *   handler (Remix included) can read.
 * - a body without a length (Transfer-Encoding: chunked) on any path but the webhook fast path,
 *   which counts as it reads (webhook-fast-path.ts): 411, since Remix reads a body whole before
 *   its action runs. Browsers, fetch() and Shopify send a Content-Length.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, options: { counted: boolean }): boolean {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return answerUnread(req, res, 400, "Bad Content-Length");
    if (length > MAX_BODY_BYTES) return answerUnread(req, res, 413, "Payload too large");
    return false;
  }
  if (req.headers["transfer-encoding"] !== undefined && !options.counted) {
    return answerUnread(req, res, 411, "Length required");
  }
  return false;
}

/** How long a refused upload's connection stays half-open so its client can read the answer. */
const LINGER_MS = 1_000;

/**
 * Answers without reading the body; the connection is closed, since it cannot carry another
 * request. Closing a socket whose peer is still uploading makes the kernel send a reset, and a
 * client that is still writing then often loses the answer it was sent (it sees ECONNRESET, not
 * the 413). So the close lingers, as nginx's lingering_close does: send our FIN, let the client
 * read the answer, and destroy the socket after LINGER_MS. Node discards what arrives meanwhile
 * (constant memory); nothing of it reaches a handler.
 */
export function answerUnread(req: IncomingMessage, res: ServerResponse, status: number, text: string): true {
  const socket = req.socket;
  // Node's server calls destroySoon() itself once a `Connection: close` answer is written.
  socket.destroySoon = () => {
    if (!socket.writableEnded) socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  res.writeHead(status, { Connection: "close", "Content-Type": "text/plain" }).end(text);
  return true;
}

/**
 * The path every router variant maps to: percent-decoded once, lower-case, duplicate slashes
 * collapsed, no trailing slash. Remix matches routes case-insensitively and ignores trailing
 * slashes, so `/WEBHOOKS/products/create/` would otherwise reach a webhook route through Remix
 * instead of the bounded fast path. A path that does not decode is left as it came (no route
 * matches it).
 */
export function normalisePath(url: string | undefined): string {
  const raw = (url ?? "/").split("?")[0] ?? "/";
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // malformed escape: keep the raw path
  }
  path = path.toLowerCase().replace(/\/{2,}/g, "/");
  if (path.length > 1 && path.endsWith("/")) path = path.replace(/\/+$/, "");
  return path.startsWith("/") ? path : `/${path}`;
}
