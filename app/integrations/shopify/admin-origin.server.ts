import { abstractFetch, setAbstractFetchFunc, type AbstractFetchFunc } from "@shopify/shopify-api/runtime";

import { env } from "~/config/env.server";

/** Where the shop's Admin API lives: the shop itself, or the local emulator in dev and tests. */
export function adminOrigin(shop: string): string {
  return env().SHOPIFY_ADMIN_ORIGIN_OVERRIDE ?? `https://${shop}`;
}

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Dev/test only: the library calls https://<shop>/admin/oauth/access_token for token exchange and
 * refresh. Point those calls at the emulator, so the library's real auth code runs unchanged.
 * env() refuses the override unless STOREWISE_ALLOW_EMULATORS=1, outside production, and only for
 * a loopback target: these calls carry access and refresh tokens.
 */
export function routeShopifyLibraryToEmulator(): void {
  const override = env().SHOPIFY_ADMIN_ORIGIN_OVERRIDE;
  if (!override) return;
  const original = abstractFetch;
  const rerouted: AbstractFetchFunc = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
    if (!SHOP_HOST.test(url.hostname)) return original(input, init);
    const target = new URL(url.pathname + url.search, override);
    return original(target.toString(), init);
  };
  setAbstractFetchFunc(rerouted);
}

/**
 * Dev/test only: the library's CSP lets only Shopify admin frame the app. The emulator's admin page
 * plays Shopify admin locally, so its origin joins `frame-ancestors`.
 */
export function allowEmulatorAdminToFrame(headers: Headers): void {
  const override = env().SHOPIFY_ADMIN_ORIGIN_OVERRIDE;
  const policy = headers.get("Content-Security-Policy");
  if (!override || !policy) return;
  const origin = new URL(override).origin;
  headers.set("Content-Security-Policy", policy.replace(/frame-ancestors ([^;]*)/, `frame-ancestors $1 ${origin}`));
}
