import type { IncomingMessage, ServerResponse } from "node:http";

import type { ServerBuild } from "@remix-run/node";

type Action = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;

const MAX_BODY_BYTES = 5 * 1024 * 1024;

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

export async function serveWebhook(req: IncomingMessage, res: ServerResponse, action: Action, origin: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      // The rest of the body stays unread, so this connection cannot carry another request.
      res.writeHead(413, { Connection: "close" }).end("Payload too large");
      req.socket.destroySoon();
      return;
    }
    chunks.push(chunk);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const request = new Request(new URL(req.url ?? "/", origin), {
    method: "POST",
    headers,
    body: Buffer.concat(chunks),
  });
  let response: Response;
  try {
    response = await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
