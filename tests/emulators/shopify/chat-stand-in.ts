// A tiny stand-in for the app's chat route, behind the emulator's app proxy, for the storefront
// and widget tests (the real route is the chat capability's). It checks every request's
// signature with @shopify/shopify-api's own app proxy validation (`utils.validateHmac` with
// signator "appProxy", what `authenticate.public.appProxy` calls) and answers the app's chat API
// (docs/decisions/019): { dialogId, visitorToken, answer, source, action, locale }, 429
// { error, scope, answer, visitorToken }, 404 { error: "dialog_not_found" }.
import "@shopify/shopify-api/adapters/node";

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { ApiVersion, shopifyApi } from "@shopify/shopify-api";

export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  /** What the library's app proxy validation said. */
  signatureValid: boolean;
}

export interface ChatStandIn {
  url: string;
  requests: ProxiedRequest[];
  /** Webhooks the emulator delivered to the stand-in (shopify.app.toml's subscriptions). */
  webhooks: Array<{ topic: string; body: Record<string, unknown> }>;
  /** Answers the next chat message with this text instead of the echo. */
  answerNext(text: string): void;
  close(): Promise<void>;
}

export const DIALOG_ID = "0123456789abcdef0123456789abcdef";
export const NEW_DIALOG_ID = "fedcba9876543210fedcba9876543210";

export async function startChatStandIn(apiKey: string, apiSecret: string): Promise<ChatStandIn> {
  const api = shopifyApi({
    apiKey,
    apiSecretKey: apiSecret,
    hostName: "127.0.0.1",
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    logger: { level: 0, log: () => {} },
  });
  const requests: ProxiedRequest[] = [];
  const webhooks: ChatStandIn["webhooks"] = [];
  const scripted: string[] = [];

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://app.local");
      if (url.pathname.startsWith("/webhooks/")) {
        webhooks.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(raw || "{}") });
        res.writeHead(200);
        res.end();
        return;
      }
      const grouped: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key);
        grouped[key] = values.length > 1 ? values : (values[0] as string);
      }
      let signatureValid = false;
      try {
        signatureValid = await api.utils.validateHmac(grouped as Record<string, string>, { signator: "appProxy" });
      } catch {
        signatureValid = false;
      }
      let body: Record<string, unknown> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      requests.push({
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        signatureValid,
      });
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(payload));
      };
      if (!signatureValid) return json(401, { error: "unauthorized", message: "Invalid app proxy signature" });
      if (url.pathname !== "/proxy/chat") return json(404, { error: "not_found", message: "Not found" });
      // The app may try to set a cookie; Shopify's proxy must not pass it on to the shop's domain.
      const headers = { "Set-Cookie": "app_session=leak; Path=/" };
      if (body?.handoff) {
        return json(
          200,
          {
            dialogId: DIALOG_ID,
            visitorToken: "visitor-token-1",
            answer: "Thanks, our team will email you.",
            source: "handoff",
            action: "handoff",
            locale: "en",
          },
          headers,
        );
      }
      const message = typeof body?.message === "string" ? body.message : "";
      if (!message) return json(400, { error: "invalid_request", message: "message is required" });
      if (message.length > 1000) return json(413, { error: "too_large", message: "Message too long" });
      if (/server error/i.test(message)) {
        res.writeHead(500, { "Content-Type": "text/html" });
        res.end("<h1>Internal Server Error</h1>");
        return;
      }
      if (/rate limit/i.test(message))
        return json(
          429,
          {
            error: "rate_limited",
            scope: "visitor",
            answer: "Vous écrivez très vite : réessayez dans une minute.",
            visitorToken: "visitor-token-1",
          },
          { "Retry-After": "60" },
        );
      // An expired dialog (or another visitor's): the app answers 404 for any dialog id it gets.
      if (/forget my dialog/i.test(message) && body?.dialogId) return json(404, { error: "dialog_not_found" });
      if (/human/i.test(message))
        return json(200, {
          dialogId: DIALOG_ID,
          visitorToken: "visitor-token-1",
          answer: "I'll pass this to our team.",
          source: "handoff",
          action: "handoff",
          locale: "en",
        });
      const answer = scripted.shift() ?? `You said: ${message}`;
      json(
        200,
        {
          // After a 404 the widget starts over without an id: the app gives it a new dialog.
          dialogId: /forget my dialog/i.test(message) ? NEW_DIALOG_ID : DIALOG_ID,
          visitorToken: typeof body?.visitorToken === "string" ? body.visitorToken : "visitor-token-1",
          answer,
          source: "faq",
          action: "answer",
          locale: "en",
        },
        headers,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    webhooks,
    answerNext: (text) => scripted.push(text),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
