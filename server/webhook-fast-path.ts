import type { IncomingMessage, ServerResponse } from "node:http";

import type { ServerBuild } from "@remix-run/node";

import type { WebhookInput } from "../app/integrations/shopify/webhook-verifier.server";
import { answerUnread, MAX_BODY_BYTES } from "./request-limits";

type Action = ((args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>) & {
  /** The same action on the raw delivery, without a Fetch Request (app/webhooks.server.ts). */
  receive?: (delivery: WebhookInput) => Promise<Response>;
};

/**
 * Webhook deliveries go straight to their route module's action, skipping Express middleware and
 * Remix's document/data machinery that a webhook never uses (docs/decisions/004). The route still
 * owns the behaviour: HMAC check, mapping, enqueue, status code.
 */
const byBuild = new WeakMap<ServerBuild, Map<string, Action>>();

export function webhookActions(build: ServerBuild): Map<string, Action> {
  const known = byBuild.get(build);
  if (known) return known;
  const actions = new Map<string, Action>();
  for (const route of Object.values(build.routes)) {
    const action = route?.module.action as Action | undefined;
    if (route?.path?.startsWith("webhooks/") && action) actions.set(`/${route.path}`, action);
  }
  byBuild.set(build, actions);
  return actions;
}

/** The whole body, or undefined once it exceeds MAX_BODY_BYTES (the rest is left unread). */
export function readBody(req: IncomingMessage): Promise<Buffer<ArrayBuffer> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

/** The Fetch Request an action receives: the request's headers as Node joined them, and its body. */
export function webhookRequest(req: IncomingMessage, body: Buffer<ArrayBuffer>, url: string): Request {
  const headers: Array<[string, string]> = [];
  for (const name in req.headers) {
    const value = req.headers[name.toLowerCase()];
    if (typeof value === "string") headers.push([name, value]);
    else if (Array.isArray(value)) for (const item of value) headers.push([name, item]);
  }
  return new Request(url, { method: req.method, headers, body });
}

/**
 * The same delivery without building a Request, which costs more than verifying it. Each header
 * reads as `webhookRequest(...).headers.get(name)` does: Node has already lower-cased the names,
 * joined repeated headers with ", " and trimmed the values, as Headers would
 * (tests/webhooks/verifier-differential.test.ts sends the corpus through both).
 */
export function webhookInput(req: IncomingMessage, body: Buffer<ArrayBuffer>): WebhookInput {
  return {
    method: req.method ?? "GET",
    header(name) {
      const value = req.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return typeof value === "string" ? value : value.join(", ");
    },
    body: () => Promise.resolve(body),
  };
}

/** `url` is the request's URL with its path normalised (request-limits.ts) on the app's origin. */
export async function serveWebhook(req: IncomingMessage, res: ServerResponse, action: Action, url: string) {
  const body = await readBody(req);
  if (body === undefined) {
    // The rest of the body stays unread, so this connection cannot carry another request.
    answerUnread(req, res, 413, "Payload too large");
    return;
  }
  let response: Response;
  try {
    response = action.receive
      ? await action.receive(webhookInput(req, body))
      : await action({ request: webhookRequest(req, body, url), params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const outgoing: Record<string, string> = {};
  for (const [name, value] of response.headers) outgoing[name] = value;
  if (response.body === null) res.writeHead(response.status, outgoing).end();
  else res.writeHead(response.status, outgoing).end(Buffer.from(await response.arrayBuffer()));
}
