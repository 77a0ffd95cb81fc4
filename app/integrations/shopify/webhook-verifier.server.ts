// Verifies a Shopify webhook delivery and extracts what `authenticate.webhook` extracts, with
// node:crypto and one header lookup per field. The library's verifier costs more than the rest
// of intake together: it imports the HMAC key through WebCrypto on every call and canonicalises
// every header name, with a regex, on each of its ~11 lookups (decision 004).
//
// Every answer is the library's (@shopify/shopify-app-remix 6, @shopify/shopify-api 15):
// the same statuses, the same checks in the same order, the same fields. The differential test
// (tests/webhooks/verifier-differential.test.ts) runs both over one corpus and requires that they
// agree on every case; re-run it on every upgrade of either package.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { isUtf8 } from "node:buffer";

import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

/** The header names of each delivery kind, as the library's WEBHOOK_HEADER_NAMES has them (lower-cased). */
const HEADERS = {
  webhooks: {
    hmac: "x-shopify-hmac-sha256",
    topic: "x-shopify-topic",
    domain: "x-shopify-shop-domain",
    apiVersion: "x-shopify-api-version",
    webhookId: "x-shopify-webhook-id",
    name: "x-shopify-name",
    triggeredAt: "x-shopify-triggered-at",
    eventId: "x-shopify-event-id",
  },
  events: {
    hmac: "shopify-hmac-sha256",
    topic: "shopify-topic",
    domain: "shopify-shop-domain",
    apiVersion: "shopify-api-version",
    webhookId: "shopify-webhook-id",
    handle: "shopify-handle",
    action: "shopify-action",
    triggeredAt: "shopify-triggered-at",
  },
} as const;

/** The library offers an offline token within this of expiry for refresh (ensureOfflineTokenIsNotExpired). */
const LIBRARY_REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** What `authenticate.webhook` returns, without `admin` (intake makes no Admin calls). */
export interface VerifiedWebhook {
  webhookType: "webhooks" | "events";
  apiVersion: string;
  shop: string;
  /** As the library stores it: PRODUCTS_CREATE for products/create. */
  topic: string;
  webhookId: string;
  payload: unknown;
  /** The shop's offline session, when session storage holds a usable one. */
  session: Session | undefined;
  name?: string;
  triggeredAt?: string;
  eventId?: string;
  handle?: string;
  action?: string;
}

export interface WebhookVerifierOptions {
  /** The app's client secret (SHOPIFY_API_SECRET), the key Shopify signs deliveries with. */
  secret: string;
  sessionStorage: Pick<SessionStorage, "loadSession">;
  /** The library's own `api.utils.sanitizeShop`: the shop's offline session id depends on it. */
  sanitizeShop: (shop: string, throwOnInvalid: true) => string | null;
}

/**
 * A delivery as the verifier reads it, for callers that hold the raw HTTP request rather than a
 * Fetch `Request` (server/webhook-fast-path.ts): building a Request costs more than verifying it.
 */
export interface WebhookInput {
  method: string;
  /** The header's value exactly as Fetch's `Headers.get(name)` gives it; null when absent. */
  header(name: string): string | null;
  /** The body's bytes as received. */
  body(): Promise<Uint8Array>;
}

/** A Fetch Request as a WebhookInput. */
export function requestInput(request: Request): WebhookInput {
  return {
    method: request.method,
    header: (name) => request.headers.get(name),
    body: async () => new Uint8Array(await request.arrayBuffer()),
  };
}

/**
 * A verifier answering as `authenticate.webhook` does: it throws a Response (405 for a method
 * other than POST, 401 for a wrong HMAC, 400 for an empty body or a missing header), lets the
 * library's errors through (InvalidShopError for a shop domain it refuses, SyntaxError for a
 * body that is not JSON, session storage's errors), and otherwise returns the delivery.
 */
export function webhookVerifier(
  options: WebhookVerifierOptions,
): (delivery: Request | WebhookInput) => Promise<VerifiedWebhook> {
  // Imported once: the library imports the same key through WebCrypto on every delivery.
  const key = createSecretKey(Buffer.from(options.secret, "utf8"));
  return async (delivery) => {
    const input = delivery instanceof Request ? requestInput(delivery) : delivery;
    if (input.method !== "POST") {
      throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
    }
    const { text, signed } = await readBody(await input.body());
    const header = input.header;
    // The library reads a delivery as an event (Shopify-* headers) whenever Shopify-Hmac-Sha256 is set.
    const webhookType = header(HEADERS.events.hmac) ? "events" : "webhooks";
    const names = HEADERS[webhookType];
    if (text.length === 0) throw badRequest();
    const hmac = header(names.hmac);
    if (!hmac) throw badRequest();
    if (!signatureMatches(key, signed, hmac)) {
      throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
    }

    // An empty header counts as missing, as in the library.
    const topic = header(names.topic);
    const domain = header(names.domain);
    const apiVersion = header(names.apiVersion);
    const webhookId = header(names.webhookId);
    if (!topic || !domain || !apiVersion || !webhookId) throw badRequest();

    const session = await loadOfflineSession(options, domain);
    const verified: VerifiedWebhook = {
      apiVersion,
      shop: domain,
      topic: topic.toUpperCase().replace(/[/.]/g, "_"),
      webhookId,
      payload: JSON.parse(text),
      session,
      webhookType,
      triggeredAt: header(names.triggeredAt) || undefined,
    };
    if (webhookType === "webhooks") {
      verified.name = header(HEADERS.webhooks.name) || undefined;
      verified.eventId = header(HEADERS.webhooks.eventId) || undefined;
    } else {
      verified.handle = header(HEADERS.events.handle) || undefined;
      verified.action = header(HEADERS.events.action) || undefined;
    }
    return verified;
  };
}

function badRequest(): Response {
  return new Response(undefined, { status: 400, statusText: "Bad Request" });
}

/**
 * The body as the library sees it, and the bytes its HMAC covers. The library reads the body with
 * `request.text()` (UTF-8 with invalid sequences replaced, and byte-order marks dropped: undici
 * drops up to two) and signs that text re-encoded as UTF-8, not the bytes received. For valid
 * UTF-8 without a BOM the two are the same bytes; any other body is decoded by the same `text()`.
 */
async function readBody(received: Uint8Array): Promise<{ text: string; signed: Uint8Array }> {
  const bytes = Buffer.from(received.buffer, received.byteOffset, received.byteLength);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!bom && isUtf8(bytes)) return { text: bytes.toString("utf8"), signed: bytes };
  const text = await new Response(Uint8Array.from(bytes)).text();
  return { text, signed: Buffer.from(text, "utf8") };
}

/**
 * The library compares the header with the base64 digest as strings (its safeCompare); equal
 * strings are equal bytes here, compared in constant time when the lengths match.
 */
function signatureMatches(key: KeyObject, signed: Uint8Array, given: string): boolean {
  const expected = Buffer.from(createHmac("sha256", key).update(signed).digest("base64"), "latin1");
  const actual = Buffer.from(given, "utf8");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * What the library's ensureValidOfflineSession finds: the session stored under the offline id of
 * the sanitised shop (an invalid shop domain throws the library's InvalidShopError). The library
 * would refresh an offline token within 5 minutes of expiry on this path, without a lock; the
 * app's session storage never hands such a session out (session-storage.server.ts, decision 005),
 * and a verifier given one treats it as absent rather than refresh it.
 */
async function loadOfflineSession(options: WebhookVerifierOptions, domain: string): Promise<Session | undefined> {
  const shop = options.sanitizeShop(domain, true);
  const session = await options.sessionStorage.loadSession(`offline_${shop}`);
  if (!session) return undefined;
  if (session.refreshToken && session.isExpired(LIBRARY_REFRESH_WINDOW_MS)) return undefined;
  return session;
}
