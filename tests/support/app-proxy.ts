import { createHmac } from "node:crypto";

import { TEST_API_SECRET } from "./test-env";

/**
 * Signs an app proxy request exactly as Shopify does before forwarding it to the app
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies): every
 * query parameter but `signature`, as `key=value` (repeated keys' values joined with ","), sorted
 * by key, concatenated without separators, then a hex HMAC-SHA256 with the app's secret.
 */
export function signProxyQuery(params: Record<string, string>, secret = TEST_API_SECRET): string {
  const message = Object.entries(params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxyCall {
  shop: string;
  /** The storefront's logged-in customer, when there is one ("" otherwise, as Shopify sends it). */
  customerId?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Extra query parameters, signed like the rest. */
  query?: Record<string, string>;
  secret?: string;
  /** Replaces the computed signature (forgery tests). */
  signature?: string;
}

/** The /proxy/<path> URL Shopify would forward a storefront call of /apps/storewise/<path> to. */
export function proxyUrl(appUrl: string, path: string, call: ProxyCall): URL {
  const params: Record<string, string> = {
    ...call.query,
    shop: call.shop,
    logged_in_customer_id: call.customerId ?? "",
    path_prefix: "/apps/storewise",
    timestamp: String(call.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const url = new URL(`/proxy/${path}`, appUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set("signature", call.signature ?? signProxyQuery(params, call.secret));
  return url;
}

/** POSTs `body` (JSON, or a raw string) through the app proxy; answers the status and parsed JSON. */
export async function proxyPost(
  appUrl: string,
  path: string,
  call: ProxyCall,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(proxyUrl(appUrl, path, call), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export async function proxyGet(
  appUrl: string,
  path: string,
  call: ProxyCall,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(proxyUrl(appUrl, path, call));
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
