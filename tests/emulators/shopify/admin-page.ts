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
  const handle = shop.domain.replace(/\.myshopify\.com$/, "");
  const chrome = {
    appName: opts.appName,
    appOrigin: new URL(src).origin,
    adminBase: `/store/${handle}/apps/${opts.appName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${ADMIN_CHROME_STYLE}</style>
</head>
<body>
<header id="admin-top-bar"><strong>Shopify</strong><span data-testid="admin-shop">${escapeHtml(shop.domain)}</span><span style="margin-left:auto;opacity:.6">emulator · ${products} products · ${state.tokens.size} tokens</span></header>
<div id="admin-save-bar" role="region" aria-label="Contextual save bar" hidden><span class="sb-message">Unsaved changes</span><span class="sb-actions"><button type="button" data-action="discard">Discard</button><button type="button" class="primary" data-action="save">Save</button></span></div>
<div class="layout">
  <nav aria-label="Admin"><a href="#">Home</a><a href="#">Orders</a><a href="#">Products</a>
    <div class="apps-heading">Apps</div>
    <a id="admin-app-home" class="app-name active" href="${escapeHtml(chrome.adminBase)}">${escapeHtml(opts.appName)}</a>
    <div id="admin-app-nav" aria-label="${escapeHtml(opts.appName)} navigation"></div>
  </nav>
  <main>
    <div id="admin-title-bar" role="banner" aria-label="Title bar"><div class="tb-heading"><span class="tb-breadcrumb"></span><h1 class="tb-title">${escapeHtml(opts.appName)}</h1></div><div class="tb-actions"></div></div>
    <iframe id="app-iframe" name="app-iframe" title="${escapeHtml(opts.appName)}" src="${escapeHtml(src)}" allow="clipboard-read; clipboard-write"></iframe>
  </main>
</div>
<div id="admin-toasts" aria-live="polite"></div>
<div id="admin-modal-root"></div>
<script>window.__shopifyEmulatorChrome = ${JSON.stringify(chrome).replace(/</g, "\\u003c")};</script>
<script>${ADMIN_CHROME_SCRIPT}</script>
</body>
</html>`;
}

const ADMIN_CHROME_STYLE = `
  html, body { margin: 0; height: 100%; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; color: #303030; }
  header, #admin-save-bar { height: 48px; box-sizing: border-box; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; font-size: 14px; }
  header strong { color: #fff; }
  #admin-save-bar { position: fixed; top: 0; left: 0; right: 0; z-index: 10; justify-content: space-between; color: #fff; font-weight: 600; }
  #admin-save-bar[hidden] { display: none; }
  #admin-save-bar button { font: 600 13px system-ui; border-radius: 8px; padding: 6px 12px; border: 1px solid #616161; background: #303030; color: #fff; margin-left: 8px; cursor: pointer; }
  #admin-save-bar button.primary { background: #fff; color: #1a1a1a; border-color: #fff; }
  button:disabled { opacity: .5; cursor: default; }
  .layout { display: flex; height: calc(100% - 48px); }
  nav { width: 220px; flex: none; padding: 12px; font-size: 13px; }
  nav a { display: block; padding: 6px 8px; border-radius: 8px; color: inherit; text-decoration: none; }
  nav .apps-heading { margin: 12px 8px 4px; font-size: 12px; color: #616161; font-weight: 600; }
  nav a.app-name { font-weight: 600; }
  nav #admin-app-nav a { padding-left: 20px; }
  nav a.active, nav a[aria-current="page"] { background: #fff; font-weight: 600; }
  main { flex: 1; display: flex; flex-direction: column; padding: 0 12px 0 0; min-width: 0; }
  #admin-title-bar { display: flex; align-items: center; justify-content: space-between; gap: 12px; min-height: 52px; padding: 0 4px; }
  .tb-heading { display: flex; align-items: center; gap: 6px; min-width: 0; }
  .tb-title { font-size: 20px; font-weight: 700; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .tb-breadcrumb button { border: 0; background: none; font: 600 14px system-ui; color: #616161; cursor: pointer; padding: 4px; }
  .tb-breadcrumb button:after { content: " ›"; }
  .tb-actions { display: flex; gap: 8px; align-items: center; }
  .tb-actions button, .modal-footer button, .dialog-footer button { font: 600 13px system-ui; border-radius: 8px; padding: 6px 12px; border: 1px solid #c9c9c9; background: #fff; color: #303030; cursor: pointer; }
  .tb-actions button.primary, .modal-footer button.primary, .dialog-footer button.primary { background: #303030; color: #fff; border-color: #303030; }
  .tb-actions button.critical, .modal-footer button.critical, .dialog-footer button.critical { color: #8e1f0b; }
  .tb-actions button.primary.critical, .modal-footer button.primary.critical, .dialog-footer button.primary.critical { background: #c70a24; color: #fff; border-color: #c70a24; }
  .tb-group { position: relative; }
  .tb-group [role="menu"] { position: absolute; right: 0; top: 34px; background: #fff; border-radius: 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 6px; z-index: 5; min-width: 160px; }
  .tb-group [role="menu"] button { display: block; width: 100%; text-align: left; border: 0; }
  iframe#app-iframe { flex: 1; width: 100%; border: 0; border-radius: 12px 12px 0 0; background: #fff; }
  #admin-toasts { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; align-items: center; z-index: 30; }
  .toast { display: flex; align-items: center; gap: 12px; background: #1a1a1a; color: #fff; padding: 10px 12px 10px 16px; border-radius: 10px; font: 14px system-ui; box-shadow: 0 4px 16px rgba(0,0,0,.25); }
  .toast[data-error="true"] { background: #8e1f0b; }
  .toast button { background: none; border: 0; color: #fff; font: 600 13px system-ui; cursor: pointer; }
  .overlay { position: fixed; inset: 0; background: rgba(0,0,0,.5); display: flex; align-items: center; justify-content: center; z-index: 20; }
  .modal { background: #fff; border-radius: 12px; width: 620px; max-width: calc(100% - 32px); max-height: calc(100% - 64px); display: flex; flex-direction: column; box-shadow: 0 8px 32px rgba(0,0,0,.3); }
  .modal.small { width: 380px; } .modal.large { width: 980px; } .modal.max { width: calc(100% - 32px); height: calc(100% - 64px); }
  .modal-header { display: flex; justify-content: space-between; align-items: center; padding: 12px 16px; background: #f3f3f3; border-radius: 12px 12px 0 0; }
  .modal-header h2 { font-size: 14px; margin: 0; }
  .modal-header button { border: 0; background: none; font-size: 18px; cursor: pointer; }
  .modal-body { padding: 16px; overflow: auto; font-size: 14px; }
  .modal-body iframe { width: 100%; border: 0; min-height: 80px; }
  .modal-footer, .dialog-footer { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 16px; border-top: 1px solid #e3e3e3; }
`;

/**
 * The admin side of App Bridge: what Shopify's admin draws around the app iframe from the messages
 * the app's App Bridge sends it. The title bar above the iframe, the app's nav menu in the left nav,
 * the contextual save bar over the top bar (with the leave and discard confirmations), toasts at
 * the bottom, and modals over the whole admin. Clicks go back to the app, which clicks the element
 * the app declared (App Bridge runs the app's own handlers; the admin never runs app code).
 */
const ADMIN_CHROME_SCRIPT = String.raw`(function () {
  "use strict";
  var cfg = window.__shopifyEmulatorChrome;
  var iframe = document.getElementById("app-iframe");
  var state = { titleBar: null, nav: null, saveBar: null, modal: null, path: "" };
  var toasts = (window.__shopifyEmulatorToasts = []);
  var dialog = null;
  function send(message) {
    message.source = "shopify-emulator-admin";
    if (iframe.contentWindow) iframe.contentWindow.postMessage(message, cfg.appOrigin);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) if (attrs[key] !== undefined && attrs[key] !== null && attrs[key] !== false) node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function actionButton(item, extraClass) {
    var classes = [extraClass || "", item.variant === "primary" ? "primary" : "", item.tone === "critical" ? "critical" : ""].join(" ").trim();
    var button = el("button", { type: "button", class: classes || null, disabled: item.disabled, "aria-busy": item.loading ? "true" : null }, item.label);
    button.addEventListener("click", function () { send({ type: "click", ref: item.ref }); });
    return button;
  }

  function renderTitleBar() {
    var bar = state.titleBar;
    var root = document.getElementById("admin-title-bar");
    var crumb = root.querySelector(".tb-breadcrumb");
    var actions = root.querySelector(".tb-actions");
    crumb.textContent = "";
    actions.textContent = "";
    root.querySelector(".tb-title").textContent = (bar && bar.title) || cfg.appName;
    if (!bar) return;
    if (bar.breadcrumb) {
      var b = actionButton(bar.breadcrumb);
      b.setAttribute("aria-label", bar.breadcrumb.label);
      crumb.appendChild(b);
    }
    bar.secondary.forEach(function (item) {
      if (item.group) {
        var wrap = el("div", { class: "tb-group" });
        var toggle = el("button", { type: "button", "aria-haspopup": "menu", "aria-expanded": "false" }, item.group.label || "More actions");
        var menu = el("div", { role: "menu", hidden: true });
        item.group.items.forEach(function (child) {
          var entry = actionButton(child);
          entry.setAttribute("role", "menuitem");
          entry.addEventListener("click", function () { menu.hidden = true; toggle.setAttribute("aria-expanded", "false"); });
          menu.appendChild(entry);
        });
        toggle.addEventListener("click", function () { menu.hidden = !menu.hidden; toggle.setAttribute("aria-expanded", String(!menu.hidden)); });
        wrap.appendChild(toggle);
        wrap.appendChild(menu);
        actions.appendChild(wrap);
      } else actions.appendChild(actionButton(item));
    });
    if (bar.primary) actions.appendChild(actionButton(bar.primary));
  }

  function normalise(path) { return (path || "/").replace(/\/+$/, "") || "/"; }
  function renderNav() {
    var list = document.getElementById("admin-app-nav");
    list.textContent = "";
    var nav = state.nav;
    var home = document.getElementById("admin-app-home");
    if (!nav) return;
    var current = normalise(String(state.path).split("?")[0]);
    var best = null;
    nav.links.forEach(function (link) {
      var p = normalise(link.path);
      if (current === p || current.indexOf(p + "/") === 0) if (!best || p.length > normalise(best.path).length) best = link;
    });
    nav.links.forEach(function (link) {
      var a = el("a", { href: cfg.adminBase + link.path, "aria-current": best === link ? "page" : null }, link.label);
      a.addEventListener("click", function (event) { event.preventDefault(); guardedNavigate(link.ref); });
      list.appendChild(a);
    });
    home.classList.toggle("active", !best);
    home.onclick = function (event) { event.preventDefault(); if (nav.home) guardedNavigate(nav.home.ref); };
  }

  function renderSaveBar() {
    var bar = document.getElementById("admin-save-bar");
    var sb = state.saveBar;
    bar.hidden = !sb;
    if (!sb) return;
    var save = bar.querySelector('[data-action="save"]');
    var discard = bar.querySelector('[data-action="discard"]');
    save.disabled = !!sb.saveDisabled;
    discard.disabled = !!sb.discardDisabled;
    save.setAttribute("aria-busy", sb.saveLoading ? "true" : "false");
  }
  document.querySelector('#admin-save-bar [data-action="save"]').addEventListener("click", function () {
    if (state.saveBar) send({ type: "save-bar", action: "save", id: state.saveBar.id });
  });
  document.querySelector('#admin-save-bar [data-action="discard"]').addEventListener("click", function () {
    var sb = state.saveBar;
    if (!sb) return;
    if (!sb.discardConfirmation) return send({ type: "save-bar", action: "discard", id: sb.id });
    openDialog("Discard all unsaved changes?", "If you discard changes, you’ll delete any edits you made since you last saved.", "Keep editing", "Discard changes", function () {
      send({ type: "save-bar", action: "discard", id: sb.id });
    });
  });

  // Shopify's admin asks before leaving a page with a visible save bar.
  function guardedNavigate(ref) {
    if (!state.saveBar) return send({ type: "navigate", ref: ref });
    openDialog("Leave page with unsaved changes?", "Leaving this page will delete all unsaved changes.", "Stay", "Leave page", function () {
      send({ type: "leave-confirmed" });
      send({ type: "navigate", ref: ref });
    });
  }

  function openDialog(title, body, cancelLabel, confirmLabel, onConfirm, onCancel) {
    closeDialog();
    var overlay = el("div", { class: "overlay", "data-testid": "admin-dialog" });
    var box = el("div", { class: "modal small", role: "alertdialog", "aria-modal": "true", "aria-label": title });
    var header = el("div", { class: "modal-header" });
    header.appendChild(el("h2", {}, title));
    var body_ = el("div", { class: "modal-body" }, body);
    var footer = el("div", { class: "dialog-footer" });
    var cancel = el("button", { type: "button" }, cancelLabel);
    var confirm = el("button", { type: "button", class: "primary critical" }, confirmLabel);
    cancel.addEventListener("click", function () { closeDialog(); if (onCancel) onCancel(); });
    confirm.addEventListener("click", function () { closeDialog(); onConfirm(); });
    footer.appendChild(cancel);
    footer.appendChild(confirm);
    box.appendChild(header);
    box.appendChild(body_);
    box.appendChild(footer);
    overlay.appendChild(box);
    document.getElementById("admin-modal-root").appendChild(overlay);
    dialog = overlay;
  }
  function closeDialog() { if (dialog) dialog.remove(); dialog = null; }

  var modalNode = null;
  var modalKey = "";
  function renderModal() {
    var m = state.modal;
    var key = m ? JSON.stringify(m) : "";
    if (key === modalKey) return;
    modalKey = key;
    if (modalNode) modalNode.remove();
    modalNode = null;
    if (!m) return;
    var overlay = el("div", { class: "overlay", "data-testid": "shopify-modal" });
    var box = el("div", { class: "modal " + (m.variant || "base"), role: "dialog", "aria-modal": "true", "aria-label": m.title || cfg.appName });
    var header = el("div", { class: "modal-header" });
    header.appendChild(el("h2", {}, m.title || ""));
    var close = el("button", { type: "button", "aria-label": "Close" }, "×");
    close.addEventListener("click", function () { send({ type: "modal-close", id: m.id }); });
    header.appendChild(close);
    box.appendChild(header);
    var body = el("div", { class: "modal-body" });
    // The app's content, drawn in its own frame as the admin does; the emulator's copy is static.
    var frame = el("iframe", { sandbox: "", title: m.title || "Modal content", "data-testid": "shopify-modal-content" });
    frame.srcdoc = '<!doctype html><meta charset="utf-8"><style>body{margin:0;font:14px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#303030}</style>' + (m.html || "");
    body.appendChild(frame);
    box.appendChild(body);
    if (m.buttons.length) {
      var footer = el("div", { class: "modal-footer" });
      m.buttons.forEach(function (item) { footer.appendChild(actionButton(item)); });
      box.appendChild(footer);
    }
    overlay.appendChild(box);
    document.getElementById("admin-modal-root").appendChild(overlay);
    modalNode = overlay;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (dialog) return closeDialog();
    if (state.modal) send({ type: "modal-close", id: state.modal.id });
  });

  function showToast(message) {
    var region = document.getElementById("admin-toasts");
    var node = el("div", { class: "toast", role: "status", "data-testid": "shopify-toast", "data-toast-id": message.id, "data-error": message.isError ? "true" : null });
    node.appendChild(el("span", { class: "toast-message" }, message.message));
    if (message.action) {
      var action = el("button", { type: "button" }, message.action);
      action.addEventListener("click", function () { send({ type: "toast-action", id: message.id }); });
      node.appendChild(action);
    }
    var dismiss = el("button", { type: "button", "aria-label": "Dismiss notification" }, "×");
    dismiss.addEventListener("click", function () { node.remove(); send({ type: "toast-dismiss", id: message.id }); });
    node.appendChild(dismiss);
    region.appendChild(node);
    toasts.push({ id: message.id, message: message.message, isError: !!message.isError, at: Date.now() });
    setTimeout(function () { node.remove(); }, message.duration > 0 ? message.duration : 5000);
  }
  function hideToast(id) {
    var node = document.querySelector('[data-toast-id="' + String(id).replace(/"/g, "") + '"]');
    if (node) node.remove();
  }

  var FRAME_PARAMS = ["embedded", "host", "id_token", "shop", "locale", "hmac", "session", "timestamp"];
  function adminPathOf(appPath) {
    var url = new URL(appPath, location.origin);
    FRAME_PARAMS.forEach(function (name) { url.searchParams.delete(name); });
    return url.pathname + url.search;
  }
  // A shopify://admin/<path> link in the app opens that admin page, leaving the app
  // (https://shopify.dev/docs/api/app-bridge-library/apis/navigation). The emulator's admin has
  // product pages only; other admin paths answer 404, as pages it does not model.
  function openAdminLink(href) {
    var match = /^shopify:\/\/admin(\/[^?#]*)/.exec(href);
    if (match) location.assign(cfg.adminBase.replace(/\/apps\/[^/]+$/, "") + match[1]);
  }
  window.addEventListener("message", function (event) {
    if (event.source !== iframe.contentWindow || event.origin !== cfg.appOrigin) return;
    var data = event.data;
    if (!data || data.source !== "shopify-emulator-app-bridge") return;
    if (data.type === "state") {
      state = data.state;
      renderTitleBar();
      renderNav();
      renderSaveBar();
      renderModal();
      // The admin's URL follows the app's path and query (without the parameters Shopify adds to
      // the frame's URL), so a reload opens the same page with the same filters.
      if (state.path && state.path.indexOf("/") === 0) history.replaceState(null, "", cfg.adminBase + adminPathOf(String(state.path)));
    } else if (data.type === "admin-link") openAdminLink(String(data.href));
    else if (data.type === "toast") showToast(data);
    else if (data.type === "toast-hide") hideToast(data.id);
    else if (data.type === "leave-confirmation") {
      openDialog("Leave page with unsaved changes?", "Leaving this page will delete all unsaved changes.", "Stay", "Leave page", function () {
        send({ type: "leave-confirmed", requestId: data.requestId });
      });
    }
  });
})();`;
/** The admin's page for one product, where shopify://admin/products/<id> links lead. */
export function renderAdminProductPage(shop: ShopRecord, productId: number): string | null {
  const product = shop.products.get(productId);
  if (!product) return null;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(product.title)} · Products · Shopify</title><style>${ADMIN_CHROME_STYLE}</style></head><body><header id="admin-top-bar"><strong>Shopify</strong><span data-testid="admin-shop">${escapeHtml(shop.domain)}</span></header><main><h1 data-testid="admin-product-title">${escapeHtml(product.title)}</h1><p>Product ${productId} in the Shopify admin.</p></main></body></html>`;
}

export function renderMissingAppUrl(): string {
  return `<!doctype html><html><head><title>Shopify emulator</title></head><body><h1>App URL not configured</h1><p>Start the emulator with appUrl (SHOPIFY_APP_URL) to frame the app.</p></body></html>`;
}

/**
 * Browser script standing in for App Bridge. Behaviour copied from the real one where the app
 * depends on it: window.shopify (idToken, toast, loading, config, saveBar, modal…),
 * Authorization: Bearer on the app's same-origin fetches (with one retry on
 * X-Shopify-Retry-Invalid-Session-Request), the bounce page (a URL with `shopify-reload`
 * navigates there with a fresh id_token), and the web components: <ui-title-bar>, <ui-nav-menu>,
 * <ui-save-bar>, <form data-save-bar> and <ui-modal> render nothing in the app's frame; App
 * Bridge reads them and the admin draws them (renderAdminPage's chrome), and a click there clicks
 * the element the app declared. Only what App Bridge documents is read: a title bar's direct
 * <button>/<a> children (variant primary / breadcrumb, others secondary) and <section label>
 * groups, the nav menu's direct <a> children (the first, rel="home", is not a link), the save
 * bar's primary (Save) and unvarianted (Discard) buttons, a modal's <ui-title-bar> buttons.
 * https://shopify.dev/docs/api/app-bridge-library/web-components/ui-title-bar
 * https://shopify.dev/docs/api/app-bridge-library/web-components/ui-nav-menu
 * https://shopify.dev/docs/api/app-bridge-library/web-components/ui-save-bar
 * https://shopify.dev/docs/api/app-bridge-library/apis/save-bar
 * https://shopify.dev/docs/api/app-bridge-library/web-components/ui-modal
 * https://shopify.dev/docs/api/app-bridge-library/apis/toast
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

  // ---- The admin: App Bridge talks to the page framing the app (the emulator's admin page).
  var admin = window.parent !== window ? window.parent : null;
  function post(message) {
    if (!admin) return;
    message.source = "shopify-emulator-app-bridge";
    admin.postMessage(message, origin);
  }

  // Elements the admin may click back, by a stable reference.
  var refs = {};
  var refOf = new WeakMap();
  var nextRef = 1;
  function ref(node) {
    var r = refOf.get(node);
    if (!r) { r = "ref-" + nextRef++; refOf.set(node, r); }
    refs[r] = node;
    return r;
  }
  function text(node) { return (node.textContent || "").replace(/\s+/g, " ").trim(); }
  function isAction(node) { return node.tagName === "BUTTON" || node.tagName === "A"; }
  function action(node) {
    return {
      ref: ref(node),
      label: text(node),
      variant: node.getAttribute("variant") || null,
      tone: node.getAttribute("tone") || "default",
      disabled: node.hasAttribute("disabled"),
      loading: node.hasAttribute("loading"),
    };
  }
  function readTitleBar(bar) {
    var out = { title: bar.getAttribute("title") || document.title || "", breadcrumb: null, primary: null, secondary: [] };
    Array.prototype.forEach.call(bar.children, function (child) {
      if (isAction(child)) {
        var variant = child.getAttribute("variant");
        if (variant === "breadcrumb") { if (!out.breadcrumb) out.breadcrumb = action(child); }
        else if (variant === "primary") { if (!out.primary) out.primary = action(child); }
        else out.secondary.push(action(child));
      } else if (child.tagName === "SECTION") {
        var items = Array.prototype.filter.call(child.children, isAction).map(action);
        if (items.length) out.secondary.push({ group: { label: child.getAttribute("label") || "", items: items } });
      }
    });
    return out;
  }
  function inModal(node) { return !!(node.parentElement && node.parentElement.closest("ui-modal")); }

  // data-save-bar forms: dirty when any value differs from the one the form started with.
  var initial = new WeakMap();
  function formValues(form) {
    var parts = [];
    new FormData(form).forEach(function (value, key) { parts.push(key + "=" + (typeof value === "string" ? value : value.name)); });
    return parts.join("&");
  }
  function trackForms() {
    document.querySelectorAll("form[data-save-bar]").forEach(function (form) { if (!initial.has(form)) initial.set(form, formValues(form)); });
  }
  function dirtyForm() {
    var forms = document.querySelectorAll("form[data-save-bar]");
    for (var i = 0; i < forms.length; i += 1) if (initial.has(forms[i]) && formValues(forms[i]) !== initial.get(forms[i])) return forms[i];
    return null;
  }
  // After the merchant confirms leaving, the page's unsaved changes no longer hold the save bar.
  var abandoned = new WeakSet();
  function abandon() {
    document.querySelectorAll("form[data-save-bar]").forEach(function (form) { initial.set(form, formValues(form)); });
    document.querySelectorAll("ui-save-bar").forEach(function (bar) { if (bar.showing) abandoned.add(bar); });
  }
  function visibleSaveBar() {
    return Array.prototype.filter.call(document.querySelectorAll("ui-save-bar"), function (bar) { return bar.showing && !abandoned.has(bar); })[0];
  }

  function snapshot() {
    var state = { path: location.pathname + location.search, titleBar: null, nav: null, saveBar: null, modal: null };
    var bars = Array.prototype.filter.call(document.querySelectorAll("ui-title-bar"), function (bar) { return !inModal(bar); });
    if (bars.length) state.titleBar = readTitleBar(bars[0]);
    else if (document.title) state.titleBar = { title: document.title, breadcrumb: null, primary: null, secondary: [] };
    var menu = document.querySelector("ui-nav-menu");
    if (menu) {
      var links = Array.prototype.filter.call(menu.children, function (child) { return child.tagName === "A"; });
      var home = links[0] && links[0].getAttribute("rel") === "home" ? links.shift() : null;
      state.nav = {
        home: home ? { ref: ref(home), path: new URL(home.href, location.href).pathname } : null,
        links: links.map(function (a) { return { ref: ref(a), label: text(a), path: new URL(a.href, location.href).pathname }; }),
      };
    }
    {
      var shown = visibleSaveBar();
      if (shown) {
        var buttons = Array.prototype.filter.call(shown.children, function (c) { return c.tagName === "BUTTON"; });
        var save = buttons.filter(function (b) { return b.getAttribute("variant") === "primary"; })[0];
        var discard = buttons.filter(function (b) { return !b.hasAttribute("variant"); })[0];
        state.saveBar = {
          id: ref(shown),
          discardConfirmation: shown.discardConfirmation,
          saveDisabled: !!(save && (save.hasAttribute("disabled") || save.hasAttribute("loading"))),
          saveLoading: !!(save && save.hasAttribute("loading")),
          discardDisabled: !!(discard && discard.hasAttribute("disabled")),
        };
      } else {
        var form = dirtyForm();
        if (form) state.saveBar = { id: ref(form), form: true, discardConfirmation: form.hasAttribute("data-discard-confirmation") };
      }
    }
    var modal = Array.prototype.filter.call(document.querySelectorAll("ui-modal"), function (m) { return m.showing; })[0];
    if (modal) {
      var bar = Array.prototype.filter.call(modal.children, function (c) { return c.tagName === "UI-TITLE-BAR"; })[0];
      var html = Array.prototype.filter.call(modal.children, function (c) { return c.tagName !== "UI-TITLE-BAR" && c.tagName !== "UI-SAVE-BAR"; })
        .map(function (c) { return c.outerHTML; }).join("") + modal.content.innerHTML;
      var buttons2 = bar ? Array.prototype.filter.call(bar.children, isAction).map(action) : [];
      // Secondary buttons first, the primary last, as the admin lays out a modal's footer.
      buttons2.sort(function (a, b) { return (a.variant === "primary") - (b.variant === "primary"); });
      state.modal = { id: ref(modal), title: bar ? bar.getAttribute("title") || "" : "", variant: modal.getAttribute("variant") || "base", html: html, buttons: buttons2 };
    }
    return state;
  }
  var scheduled = false;
  var last = "";
  function report() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      trackForms();
      var state = snapshot();
      var key = JSON.stringify(state);
      if (key === last) return;
      last = key;
      post({ type: "state", state: state });
    }, 0);
  }

  function defineElement(name, impl) { if (!customElements.get(name)) customElements.define(name, impl); }
  defineElement("ui-title-bar", class extends HTMLElement {});
  defineElement("ui-nav-menu", class extends HTMLElement {});
  defineElement("ui-save-bar", class extends HTMLElement {
    constructor() { super(); this._showing = false; }
    get showing() { return this._showing; }
    get discardConfirmation() { return this.hasAttribute("discardconfirmation") || this.hasAttribute("discard-confirmation"); }
    set discardConfirmation(value) { if (value) this.setAttribute("discardconfirmation", ""); else this.removeAttribute("discardconfirmation"); }
    show() { abandoned.delete(this); if (!this._showing) { this._showing = true; this.dispatchEvent(new CustomEvent("show")); report(); } return Promise.resolve(); }
    hide() { abandoned.delete(this); if (this._showing) { this._showing = false; this.dispatchEvent(new CustomEvent("hide")); report(); } return Promise.resolve(); }
    toggle() { return this._showing ? this.hide() : this.show(); }
    disconnectedCallback() { if (this._showing) { this._showing = false; report(); } }
  });
  var holder = null;
  defineElement("ui-modal", class extends HTMLElement {
    constructor() { super(); this._showing = false; this._content = null; }
    get showing() { return this._showing; }
    // Where the React Modal portals its children; the admin draws a copy of it.
    get content() {
      if (!this._content) {
        if (!holder) { holder = document.createElement("div"); holder.hidden = true; holder.setAttribute("data-emulator-modal-contents", ""); document.body.appendChild(holder); }
        this._content = document.createElement("div");
        holder.appendChild(this._content);
        contentObserver.observe(this._content, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      return this._content;
    }
    show() { if (!this._showing) { this._showing = true; this.dispatchEvent(new CustomEvent("show")); report(); } return Promise.resolve(); }
    hide() { if (this._showing) { this._showing = false; this.dispatchEvent(new CustomEvent("hide")); report(); } return Promise.resolve(); }
    toggle() { return this._showing ? this.hide() : this.show(); }
    disconnectedCallback() { if (this._showing) { this._showing = false; report(); } }
  });
  var contentObserver = new MutationObserver(report);

  function byId(tag, id) {
    var node = document.getElementById(id);
    if (!node || node.tagName !== tag) return Promise.reject(new Error("App Bridge (emulator): no <" + tag.toLowerCase() + "> with id " + id));
    return Promise.resolve(node);
  }

  // Navigation from the admin: App Bridge announces it with a shopify:navigate event on the app's
  // link (the Remix AppProvider routes it client-side); an app that does not listen is loaded
  // at the link's URL, a full reload of the frame.
  var navigateListeners = 0;
  var addListener = window.addEventListener;
  window.addEventListener = function (type) { if (type === "shopify:navigate") navigateListeners += 1; return addListener.apply(this, arguments); };
  var removeListener = window.removeEventListener;
  window.removeEventListener = function (type) { if (type === "shopify:navigate") navigateListeners = Math.max(0, navigateListeners - 1); return removeListener.apply(this, arguments); };
  function navigate(link) {
    if (!link || !link.isConnected) return;
    var event = new CustomEvent("shopify:navigate", { bubbles: true, cancelable: true, composed: true });
    link.dispatchEvent(event);
    if (!navigateListeners && !event.defaultPrevented) location.assign(link.href);
  }

  var leaveRequests = {};
  var nextLeave = 1;
  var toastHandlers = {};
  var nextToast = 1;
  window.addEventListener("message", function (event) {
    if (event.source !== admin || event.origin !== origin) return;
    var data = event.data;
    if (!data || data.source !== "shopify-emulator-admin") return;
    var node = data.ref ? refs[data.ref] : data.id ? refs[data.id] : null;
    if (data.type === "click") {
      if (!node || !node.isConnected || node.hasAttribute("disabled")) return;
      if (node.tagName === "A" && node.getAttribute("href")) navigate(node);
      else node.click();
    } else if (data.type === "navigate") {
      navigate(node);
    } else if (data.type === "save-bar") {
      if (!node) return;
      if (node.tagName === "FORM") {
        if (data.action === "save") node.requestSubmit(); else node.reset();
      } else {
        var buttons = Array.prototype.filter.call(node.children, function (c) { return c.tagName === "BUTTON"; });
        var target = data.action === "save"
          ? buttons.filter(function (b) { return b.getAttribute("variant") === "primary"; })[0]
          : buttons.filter(function (b) { return !b.hasAttribute("variant"); })[0];
        if (target && !target.hasAttribute("disabled")) target.click();
      }
    } else if (data.type === "modal-close") {
      if (node && node.hide) node.hide();
    } else if (data.type === "leave-confirmed") {
      // Leaving hides the save bar; the page the app navigates to starts clean.
      if (data.requestId && leaveRequests[data.requestId]) { leaveRequests[data.requestId](); delete leaveRequests[data.requestId]; }
      abandon();
      report();
    } else if (data.type === "toast-action" || data.type === "toast-dismiss") {
      var handlers = toastHandlers[data.id];
      if (!handlers) return;
      if (data.type === "toast-action" && handlers.onAction) handlers.onAction();
      if (data.type === "toast-dismiss" && handlers.onDismiss) handlers.onDismiss();
    }
  });

  // Links into the admin (shopify://admin/...) cannot load in the app's frame: App Bridge hands
  // them to the admin, which navigates the whole page.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.getAttribute("href").indexOf("shopify://admin") !== 0) return;
    event.preventDefault();
    post({ type: "admin-link", href: link.getAttribute("href") });
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-save-bar")) { initial.set(form, formValues(form)); report(); }
  }, true);
  document.addEventListener("reset", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-save-bar")) setTimeout(function () { initial.set(form, formValues(form)); report(); }, 0);
  }, true);
  document.addEventListener("input", report, true);
  document.addEventListener("change", report, true);

  var toasts = (window.__shopifyEmulatorToasts = []);
  function showToast(message, options) {
    options = options || {};
    var id = "toast-" + nextToast++;
    toasts.push({ id: id, message: String(message), isError: !!options.isError, at: Date.now() });
    toastHandlers[id] = { onAction: options.onAction, onDismiss: options.onDismiss };
    post({ type: "toast", id: id, message: String(message), isError: !!options.isError, duration: options.duration || 5000, action: options.action || null });
    return id;
  }
  function noop() { return Promise.resolve(); }

  window.shopify = {
    __emulator: true,
    origin: origin,
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    environment: { embedded: window.top !== window.self, mobile: false, pos: false },
    idToken: function () { return idToken(false); },
    toast: { show: showToast, hide: function (id) { post({ type: "toast-hide", id: id }); } },
    loading: function (isLoading) { window.__shopifyEmulatorLoading = isLoading === undefined ? true : !!isLoading; },
    modal: {
      show: function (id) { return byId("UI-MODAL", id).then(function (m) { return m.show(); }); },
      hide: function (id) { return byId("UI-MODAL", id).then(function (m) { return m.hide(); }); },
      toggle: function (id) { return byId("UI-MODAL", id).then(function (m) { return m.toggle(); }); },
    },
    saveBar: {
      show: function (id) { return byId("UI-SAVE-BAR", id).then(function (b) { return b.show(); }); },
      hide: function (id) { return byId("UI-SAVE-BAR", id).then(function (b) { return b.hide(); }); },
      toggle: function (id) { return byId("UI-SAVE-BAR", id).then(function (b) { return b.toggle(); }); },
      // Resolves when no save bar is visible or the merchant confirms leaving; never if they stay.
      leaveConfirmation: function () {
        trackForms();
        var visible = dirtyForm() || visibleSaveBar();
        if (!visible || !admin) return Promise.resolve();
        return new Promise(function (resolve) {
          var requestId = "leave-" + nextLeave++;
          leaveRequests[requestId] = resolve;
          post({ type: "leave-confirmation", requestId: requestId });
        });
      },
    },
    resourcePicker: function () { return Promise.resolve(undefined); },
    intents: { invoke: function () { return Promise.resolve({ code: "closed" }); } },
    reviews: { request: function () { return Promise.resolve({ success: false, code: "emulator", message: "Reviews are not available in the emulator" }); } },
    user: function () { return Promise.resolve({ accountAccess: "Account owner" }); },
  };

  // The web components draw nothing inside the app: the admin draws them around the frame.
  var style = document.createElement("style");
  style.textContent = "ui-title-bar,ui-nav-menu,ui-save-bar,ui-modal{display:none!important}";
  (document.head || document.documentElement).appendChild(style);

  var observer = new MutationObserver(report);
  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () { var result = original.apply(this, arguments); report(); return result; };
  });
  window.addEventListener("popstate", report);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", report); else report();

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
