// The Shopify library turns every incoming Request into a plain `{ headers, method, url }` object
// through a pluggable adapter function (`setAbstractConvertRequestFunc`, the seam its own node,
// web-api and cf-worker adapters use). The web-api converter that @shopify/shopify-app-remix
// installs calls `addHeader` per header, and `addHeader` re-canonicalises every header already
// collected, through a regex with a callback: O(headers²) regex runs, twice per webhook (the
// library converts the request once to detect the webhook type and once more to check the HMAC).
// Profiling the intake showed this as the largest single cost (docs/decisions/004).
//
// This converter builds the very same object in one pass, canonicalising each name once with the
// library's own `canonicalizeHeaderName` (memoised, bounded: header names come from the network).
// It is installed only after checking, at start-up, that it produces exactly what the library's
// converter produces for a representative request; otherwise the library's stays in place.
import "@shopify/shopify-api/adapters/web-api";
import {
  abstractConvertRequest,
  canonicalizeHeaderName,
  setAbstractConvertRequestFunc,
  type AdapterArgs,
  type NormalizedRequest,
} from "@shopify/shopify-api/runtime";
import { isDeepStrictEqual } from "node:util";

const MAX_CACHED_NAMES = 512;
const canonicalNames = new Map<string, string>();

function canonicalName(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = canonicalizeHeaderName(name);
    if (canonicalNames.size < MAX_CACHED_NAMES) canonicalNames.set(name, canonical);
  }
  return canonical;
}

/** Same output as the library's `webApiConvertRequest`, in O(headers). */
export async function convertRequest(adapterArgs: AdapterArgs): Promise<NormalizedRequest> {
  const request = adapterArgs.rawRequest as Request;
  const headers: Record<string, string[]> = {};
  for (const [key, value] of request.headers.entries()) {
    const name = canonicalName(key);
    const list = headers[name];
    if (list) list.push(value);
    else headers[name] = [value];
  }
  return { headers, method: request.method ?? "GET", url: new URL(request.url).toString() };
}

function sampleRequest(): Request {
  const headers = new Headers([
    ["Content-Type", "application/json"],
    ["X-Shopify-Hmac-Sha256", "abc="],
    ["x-shopify-topic", "products/create"],
    ["X-SHOPIFY-SHOP-DOMAIN", "a.myshopify.com"],
    ["X-Shopify-API-Version", "2026-10"],
    ["x-shopify-webhook-id", "w-1"],
    ["Accept", "a"],
    ["accept", "b"],
    ["Set-Cookie", "a=1"],
    ["set-cookie", "b=2"],
    ["x_odd.name-9-b", "v"],
    ["shopify-hmac-sha256", "e"],
  ]);
  return new Request("http://localhost:3000/webhooks/products/create?x=1", {
    method: "POST",
    headers,
    body: "{}",
  });
}

let installed: boolean | undefined;

/**
 * Installs the converter when it agrees with the library's on a sample request (a library upgrade
 * that changes the normalised shape therefore falls back to the library's converter by itself).
 */
export async function installShopifyRequestAdapter(): Promise<boolean> {
  if (installed !== undefined) return installed;
  const [ours, theirs] = await Promise.all([
    convertRequest({ rawRequest: sampleRequest() }),
    // The converter installed now: the library's web-api one (imported above, so already set).
    abstractConvertRequest({ rawRequest: sampleRequest() }),
  ]);
  // Same keys in the same order, same values.
  installed = isDeepStrictEqual(Object.entries(ours), Object.entries(theirs)) && isDeepStrictEqual(ours, theirs);
  if (installed) setAbstractConvertRequestFunc(convertRequest);
  return installed;
}
