// A minimal stand-in for the Shopify admin (the page that frames an embedded app) and for
// App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js), so browser tests and the
// local sandbox can load the app exactly as Shopify does: in an iframe, with
// embedded/shop/host/id_token/locale query parameters, and with App Bridge adding session
// tokens to the app's own fetches.
import { mintSessionToken } from "./session-token";
import type { EmulatorState, ShopRecord } from "./state";

export interface AdminPageOptions {
  apiKey: string;
  apiSecret: string;
  appUrl?: string;
  /** Path of the app's home inside appUrl (Shopify loads application_url; the template redirects to /app). */
  appHomePath: string;
  appName: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

export function hostParam(shop: ShopRecord): string {
  const handle = shop.domain.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64url");
}

/** The URL Shopify puts in the app iframe on load. */
export function appFrameUrl(opts: AdminPageOptions, shop: ShopRecord, subPath: string, extra: URLSearchParams): string {
  if (!opts.appUrl) throw new Error("appUrl is not configured");
  const path = subPath ? `/${subPath.replace(/^\/+/, "")}` : opts.appHomePath;
  const url = new URL(path, opts.appUrl);
  for (const [k, v] of extra) url.searchParams.set(k, v);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("host", hostParam(shop));
  url.searchParams.set(
    "id_token",
    mintSessionToken({ shop: shop.domain, apiKey: opts.apiKey, secret: opts.apiSecret }),
  );
  url.searchParams.set("locale", extra.get("locale") ?? "en");
  url.searchParams.set("shop", shop.domain);
  return url.toString();
}

export function renderAdminPage(
  opts: AdminPageOptions,
  state: EmulatorState,
  shop: ShopRecord,
  subPath: string,
  query: URLSearchParams,
): string {
  const src = appFrameUrl(opts, shop, subPath, query);
  const title = `${opts.appName} · ${shop.name} · Shopify`;
  const products = shop.products.size;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  html, body { margin: 0; height: 100%; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; }
  header { height: 48px; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; font-size: 14px; }
  header strong { color: #fff; }
  .layout { display: flex; height: calc(100% - 48px); }
  nav { width: 220px; padding: 12px; font-size: 13px; color: #303030; }
  nav a { display: block; padding: 6px 8px; border-radius: 8px; color: inherit; text-decoration: none; }
  nav a.active { background: #fff; font-weight: 600; }
  main { flex: 1; padding: 12px 12px 0 0; }
  iframe { width: 100%; height: 100%; border: 0; border-radius: 12px 12px 0 0; background: #fff; }
</style>
</head>
<body>
<header><strong>Shopify</strong><span data-testid="admin-shop">${escapeHtml(shop.domain)}</span><span style="margin-left:auto;opacity:.6">emulator · ${products} products · ${state.tokens.size} tokens</span></header>
<div class="layout">
  <nav aria-label="Admin"><a href="#">Home</a><a href="#">Orders</a><a href="#">Products</a><a class="active" href="">${escapeHtml(opts.appName)}</a></nav>
  <main><iframe id="app-iframe" name="app-iframe" title="${escapeHtml(opts.appName)}" src="${escapeHtml(src)}" allow="clipboard-read; clipboard-write"></iframe></main>
</div>
</body>
</html>`;
}

export function renderMissingAppUrl(): string {
  return `<!doctype html><html><head><title>Shopify emulator</title></head><body><h1>App URL not configured</h1><p>Start the emulator with appUrl (SHOPIFY_APP_URL) to frame the app.</p></body></html>`;
}

/**
 * Browser script standing in for App Bridge. Behaviour copied from the real one where the app
 * depends on it: window.shopify (idToken, toast, loading, config…), Authorization: Bearer on the
 * app's same-origin fetches (with one retry on X-Shopify-Retry-Invalid-Session-Request), and the
 * bounce page: a URL with `shopify-reload` navigates there with a fresh id_token.
 */
/** The stand-in as served from `origin`. */
export function appBridgeScript(origin: string): string {
  return APP_BRIDGE_SCRIPT.replace("__SHOPIFY_EMULATOR_ORIGIN__", origin);
}

export const APP_BRIDGE_SCRIPT = String.raw`/* Shopify emulator: App Bridge stand-in */
(function () {
  "use strict";
  if (window.shopify && window.shopify.__emulator) return;
  var script = document.currentScript;
  // The emulator bakes its own origin in when serving this file, so the stand-in still finds it
  // when a browser test serves it in place of Shopify's CDN URL.
  var origin = "__SHOPIFY_EMULATOR_ORIGIN__";
  if (origin.indexOf("__") === 0) origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  var apiKey = (script && script.getAttribute("data-api-key")) || (meta && meta.getAttribute("content")) || "";
  var params = new URLSearchParams(location.search);
  // Storage can be refused inside a third-party frame; the stand-in then keeps state in memory.
  var memory = {};
  var store;
  try { store = window.sessionStorage; } catch (e) { store = { setItem: function (k, v) { memory[k] = v; }, getItem: function (k) { return memory[k] || null; } }; }
  function remember(key, value) { try { if (value) store.setItem("shopify-emulator:" + key, value); return value || store.getItem("shopify-emulator:" + key) || ""; } catch (e) { return value || ""; } }
  var reload = params.get("shopify-reload");
  var reloadParams = null;
  try { reloadParams = reload ? new URL(reload, location.href).searchParams : null; } catch (e) { reloadParams = null; }
  var shop = remember("shop", params.get("shop") || (reloadParams && reloadParams.get("shop")));
  var host = remember("host", params.get("host") || (reloadParams && reloadParams.get("host")));
  var originalFetch = window.fetch.bind(window);
  var cached = null;
  var inflight = null;

  function expiry(token) {
    try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp * 1000; } catch (e) { return 0; }
  }
  function idToken(force) {
    if (!force && cached && cached.exp - 10000 > Date.now()) return Promise.resolve(cached.token);
    if (inflight) return inflight;
    if (!shop) return Promise.reject(new Error("App Bridge (emulator): no shop for this page"));
    var url = origin + "/_emulator/session-token?shop=" + encodeURIComponent(shop) + "&apiKey=" + encodeURIComponent(apiKey);
    inflight = originalFetch(url, { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("App Bridge (emulator): session token request failed " + r.status); return r.json(); })
      .then(function (body) { cached = { token: body.token, exp: expiry(body.token) }; inflight = null; return body.token; },
            function (err) { inflight = null; throw err; });
    return inflight;
  }

  function withToken(input, init, token) {
    var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
    var next = Object.assign({}, init || {}, { headers: headers });
    return originalFetch(input instanceof Request ? new Request(input, next) : input, next);
  }

  window.fetch = function (input, init) {
    var url;
    try { url = new URL(input instanceof Request ? input.url : String(input), location.href); } catch (e) { return originalFetch(input, init); }
    if (url.origin !== location.origin) return originalFetch(input, init);
    var retryInput = input instanceof Request ? input.clone() : input;
    return idToken(false).then(function (token) { return withToken(input, init, token); }).then(function (res) {
      if (res.status === 401 && res.headers.get("X-Shopify-Retry-Invalid-Session-Request")) {
        return idToken(true).then(function (token) { return withToken(retryInput, init, token); });
      }
      var reauth = res.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
      if (reauth) window.open(reauth, "_top");
      return res;
    });
  };

  var toasts = (window.__shopifyEmulatorToasts = []);
  function showToast(message, options) {
    options = options || {};
    var id = "toast-" + (toasts.length + 1);
    toasts.push({ id: id, message: String(message), isError: !!options.isError, at: Date.now() });
    var el = document.createElement("div");
    el.setAttribute("role", "status");
    el.setAttribute("data-testid", "shopify-toast");
    if (options.isError) el.setAttribute("data-error", "true");
    el.textContent = String(message);
    el.style.cssText = "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);background:" + (options.isError ? "#8e1f0b" : "#1a1a1a") + ";color:#fff;padding:10px 16px;border-radius:10px;font:14px system-ui;z-index:2147483647";
    (document.body || document.documentElement).appendChild(el);
    setTimeout(function () { el.remove(); if (options.onDismiss) options.onDismiss(); }, options.duration || 5000);
    return id;
  }
  function noop() { return Promise.resolve(); }

  window.shopify = {
    __emulator: true,
    origin: origin,
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    environment: { embedded: window.top !== window.self, mobile: false, pos: false },
    idToken: function () { return idToken(false); },
    toast: { show: showToast, hide: function () {} },
    loading: function (isLoading) { window.__shopifyEmulatorLoading = isLoading === undefined ? true : !!isLoading; },
    modal: { show: noop, hide: noop, toggle: noop },
    saveBar: { show: noop, hide: noop, toggle: noop, leaveConfirmation: noop },
    resourcePicker: function () { return Promise.resolve(undefined); },
    intents: { invoke: function () { return Promise.resolve({ code: "closed" }); } },
    reviews: { request: function () { return Promise.resolve({ success: false, code: "emulator", message: "Reviews are not available in the emulator" }); } },
    user: function () { return Promise.resolve({ accountAccess: "Account owner" }); },
  };

  var style = document.createElement("style");
  style.textContent = "ui-nav-menu{display:flex;gap:12px;padding:8px 12px;border-bottom:1px solid #e3e3e3;font:14px system-ui}ui-nav-menu a[rel=home]{display:none}ui-title-bar{display:block;padding:8px 12px;font:600 16px system-ui}ui-title-bar:before{content:attr(title)}ui-save-bar,ui-modal{display:none}";
  (document.head || document.documentElement).appendChild(style);

  if (reload) {
    idToken(false).then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) throw new Error("App Bridge (emulator): refusing cross-origin shopify-reload");
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
})();
`;
