// The online store as a shopper's browser sees it, kept apart from the admin parts: a sample theme
// page with the app's embed block injected, the app proxy, a minimal Ajax Cart API and a customer
// login. A storefront is served on the shop's own host, `<shop>.localhost:<port>` (browsers
// resolve *.localhost to the loopback address), so root-relative URLs such as
// `/apps/storewise/chat` and `/cart/update.js` reach it exactly as on `<shop>.myshopify.com`.
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

import { Liquid, type Context } from "liquidjs";

import { HttpError, readBody, Router, sendJson, sendText } from "./http";
import { createOrder, upsertCustomer, type OrderWrite } from "./orders";
import { orderPayload } from "./payloads";
import { gid, type CustomerRecord, type EmulatorState, type ShopRecord } from "./state";

export interface AppProxyConfig {
  /** shopify.app.toml [app_proxy]: url (relative to the app URL), prefix and subpath. */
  url: string;
  prefix: string;
  subpath: string;
}

export interface StorefrontOptions {
  state: EmulatorState;
  apiSecret: string;
  appUrl?: string;
  appProxy?: AppProxyConfig;
  /** The theme app extension to embed (its blocks/, locales/ and assets/). */
  extensionDir?: string;
  /** The emulator's own origin: extension assets are served from it, like Shopify's CDN. */
  baseUrl(): string;
  warn(msg: string, details?: Record<string, unknown>): void;
}

interface EmbedState {
  enabled: boolean;
  settings: Record<string, unknown>;
}

interface CartRecord {
  token: string;
  shop: string;
  note: string | null;
  attributes: Record<string, string>;
}

const LOGIN_COOKIE = "_emulator_customer";
/** Shopify's cart cookie (https://shopify.dev/docs/api/ajax/reference/cart: the cart token). */
const CART_COOKIE = "cart";
const RTL = new Set(["ar", "he", "fa", "ur"]);
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "cookie",
  "content-length",
  "proxy-connection",
  "te",
  "trailer",
]);

/** `<name>.localhost[:port]` or `<name>.myshopify.com` → `<name>.myshopify.com`. */
export function storefrontShopFromHost(host: string | undefined): string | null {
  const name = /^([a-z0-9][a-z0-9-]*)\.(?:localhost|myshopify\.com)(?::\d+)?$/i.exec(host ?? "")?.[1];
  return name ? `${name.toLowerCase()}.myshopify.com` : null;
}

/** The storefront URL of a shop on this emulator (http://<name>.localhost:<port>). */
export function storefrontUrl(baseUrl: string, shop: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${shop.replace(/\.myshopify\.com$/, "")}.localhost:${url.port}`;
}

/**
 * The app proxy signature (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies):
 * the query parameters except `signature`, each as `key=value` with repeated values joined by
 * commas, sorted, concatenated without separators, then hex HMAC-SHA256 with the app secret.
 */
export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

function cookiesOf(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return jar;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

interface BlockFile {
  body: string;
  schema: {
    name: string;
    target: string;
    javascript?: string;
    stylesheet?: string;
    settings?: Array<{ id: string; default?: unknown }>;
  };
}

/** An app embed block's liquid and its {% schema %} JSON. */
function readBlock(file: string): BlockFile {
  const source = readFileSync(file, "utf8");
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error(`${file} has no {% schema %}`);
  return { body: source.replace(match[0], ""), schema: JSON.parse(match[1] as string) as BlockFile["schema"] };
}

export function createStorefront(options: StorefrontOptions) {
  const { state } = options;
  const carts = new Map<string, CartRecord>();
  const logins = new Map<string, { shop: string; customerId: number }>();
  const embeds = new Map<string, EmbedState>();
  const extensionDir = options.extensionDir;
  const extensionName = extensionDir ? path.basename(extensionDir) : "";

  // Liquid as Shopify renders it for this block: `t` from the extension's locales, `asset_url`,
  // `image_url` for a picked image; unknown filters fail instead of rendering something.
  const liquid = new Liquid({ strictFilters: true, jsTruthy: false });
  const locales = new Map<string, Record<string, unknown>>();
  let defaultLocale = "en";
  if (extensionDir && existsSync(path.join(extensionDir, "locales"))) {
    for (const file of readdirSync(path.join(extensionDir, "locales"))) {
      const m = /^([a-zA-Z-]+)(\.default)?\.json$/.exec(file);
      if (!m) continue;
      locales.set(m[1] as string, JSON.parse(readFileSync(path.join(extensionDir, "locales", file), "utf8")));
      if (m[2]) defaultLocale = m[1] as string;
    }
  }
  const lookup = (locale: string, key: string): string | undefined => {
    let node: unknown = locales.get(locale);
    for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
    return typeof node === "string" ? node : undefined;
  };
  liquid.registerFilter("t", function (this: { context: Context }, key: string) {
    const locale = String(this.context.getSync(["request", "locale", "iso_code"]) ?? defaultLocale);
    // Shopify falls back to the default locale, then shows "translation missing".
    return (
      lookup(locale, key) ??
      lookup(locale.split("-")[0] as string, key) ??
      lookup(defaultLocale, key) ??
      `translation missing: ${locale}.${key}`
    );
  });
  liquid.registerFilter("asset_url", (file: string) => `${assetBase()}/${file}`);
  liquid.registerFilter("image_url", (image: unknown) => (typeof image === "string" ? image : ""));

  const assetBase = () => `${options.baseUrl()}/extensions/${extensionName}/assets`;

  const embedOf = (shop: string): EmbedState => {
    let embed = embeds.get(shop);
    if (!embed) {
      embed = { enabled: Boolean(extensionDir), settings: {} };
      embeds.set(shop, embed);
    }
    return embed;
  };

  const blockFile = () => {
    const dir = extensionDir && path.join(extensionDir, "blocks");
    const file = dir && existsSync(dir) && readdirSync(dir).find((f) => f.endsWith(".liquid"));
    // Read on each render so a rebuilt extension shows without restarting the emulator.
    return dir && file ? readBlock(path.join(dir, file)) : null;
  };

  /**
   * The app embed as Shopify injects it: the block's javascript/stylesheet from its schema in the
   * head, and the rendered block before </body> for target "body"
   * (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#app-embed-blocks).
   */
  const renderEmbed = async (shop: ShopRecord, locale: string) => {
    const embed = embedOf(shop.domain);
    const block = embed.enabled ? blockFile() : null;
    if (!block) return { head: "", body: "" };
    if (block.schema.target !== "body" && block.schema.target !== "head")
      throw new Error(`app embed target must be "head" or "body", not ${block.schema.target}`);
    const settings: Record<string, unknown> = {};
    for (const setting of block.schema.settings ?? []) settings[setting.id] = setting.default ?? null;
    Object.assign(settings, embed.settings);
    const html = await liquid.parseAndRender(block.body, {
      block: { settings, id: "storewise-support-chat" },
      request: { locale: { iso_code: locale } },
      shop: { name: shop.name, permanent_domain: shop.domain },
    });
    const head = [
      block.schema.stylesheet && `<link rel="stylesheet" href="${assetBase()}/${block.schema.stylesheet}">`,
      block.schema.javascript && `<script src="${assetBase()}/${block.schema.javascript}" defer></script>`,
    ]
      .filter(Boolean)
      .join("\n");
    return block.schema.target === "body" ? { head, body: html } : { head: head + html, body: "" };
  };

  const localeFor = (shop: ShopRecord, first: string | undefined) => {
    const published = shop.locales.filter((l) => l.published || l.primary);
    const primary = shop.locales.find((l) => l.primary)?.locale ?? "en";
    const match = first && published.find((l) => l.locale.toLowerCase() === first.toLowerCase() && !l.primary);
    return match ? { locale: match.locale, root: `/${match.locale}/` } : { locale: primary, root: "/" };
  };

  const loggedIn = (req: IncomingMessage, shop: string): CustomerRecord | null => {
    const login = logins.get(cookiesOf(req).get(LOGIN_COOKIE) ?? "");
    if (!login || login.shop !== shop) return null;
    const s = state.getShop(shop);
    return [...(s?.customers.values() ?? [])].find((c) => c.id === login.customerId) ?? null;
  };

  const themePage = async (
    req: IncomingMessage,
    res: ServerResponse,
    shop: ShopRecord,
    locale: string,
    root: string,
  ) => {
    const embed = await renderEmbed(shop, locale);
    const customer = loggedIn(req, shop.domain);
    const products = [...shop.products.values()].filter((p) => p.status === "ACTIVE").slice(0, 8);
    const grid = products.length
      ? products
          .map(
            (p) =>
              `<li class="card"><div class="img" aria-hidden="true"></div><h3>${escapeHtml(p.title)}</h3><p>${escapeHtml(
                p.variants[0]?.price ?? "",
              )} ${escapeHtml(shop.currencyCode)}</p></li>`,
          )
          .join("")
      : `<li class="card"><div class="img" aria-hidden="true"></div><h3>Sample product</h3><p>25.00 ${escapeHtml(shop.currencyCode)}</p></li>`;
    // content_for_header: Shopify's storefront globals (window.Shopify.routes.root is the locale's
    // root, https://shopify.dev/docs/api/ajax#use-locale-aware-urls) and the app embed's assets.
    const html = `<!doctype html>
<html lang="${escapeHtml(locale)}" dir="${RTL.has(locale.split("-")[0] as string) ? "rtl" : "ltr"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(shop.name)}</title>
<meta name="description" content="${escapeHtml(shop.name)}: a sample storefront served by the Shopify emulator.">
<script>window.Shopify = ${JSON.stringify({ shop: shop.domain, locale, routes: { root } })};</script>
${embed.head}
<style>
body{margin:0;font:16px/1.5 Georgia,serif;color:#222;background:#fbfaf7}
header,footer{padding:16px 24px;background:#222;color:#fff}
header a{color:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
.hero{padding:48px 24px;background:#e9e4d8;border-radius:8px;margin-block-end:24px}
ul.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px}
.card{background:#fff;padding:12px;border-radius:8px}
.img{aspect-ratio:1;background:#d8d2c4;border-radius:4px}
</style>
</head>
<body>
<header><strong>${escapeHtml(shop.name)}</strong> · <a href="${root}">Home</a> ·
<span id="account">${customer ? `Signed in as ${escapeHtml(customer.email ?? String(customer.id))}` : "Guest"}</span></header>
<main>
<section class="hero"><h1>${escapeHtml(shop.name)}</h1><p>Linen, wool and everyday goods, made to last.</p></section>
<h2>Featured products</h2>
<ul class="grid">${grid}</ul>
</main>
<footer>© ${escapeHtml(shop.name)}</footer>
${embed.body}
</body>
</html>`;
    sendText(res, 200, html, "text/html; charset=utf-8", { "Cache-Control": "no-store" });
  };

  // --------------------------------------------------------------- Ajax Cart API (minimal)
  // https://shopify.dev/docs/api/ajax/reference/cart: GET /cart.js answers the cart as JSON;
  // POST /cart/update.js sets `attributes` (an empty value removes one) and `note`. Lines
  // (`updates`) are not modelled and are refused rather than ignored.
  const cartOf = (req: IncomingMessage, res: ServerResponse, shop: string): CartRecord => {
    const token = cookiesOf(req).get(CART_COOKIE);
    const existing = token ? carts.get(token) : undefined;
    if (existing && existing.shop === shop) return existing;
    const cart: CartRecord = { token: randomBytes(16).toString("hex"), shop, note: null, attributes: {} };
    carts.set(cart.token, cart);
    res.setHeader("Set-Cookie", `${CART_COOKIE}=${cart.token}; Path=/; SameSite=Lax`);
    return cart;
  };
  const cartJson = (cart: CartRecord, shop: ShopRecord) => ({
    token: cart.token,
    note: cart.note,
    attributes: cart.attributes,
    original_total_price: 0,
    total_price: 0,
    total_discount: 0,
    total_weight: 0,
    item_count: 0,
    items: [],
    requires_shipping: false,
    currency: shop.currencyCode,
    items_subtotal_price: 0,
    cart_level_discount_applications: [],
  });
  const updateCart = async (req: IncomingMessage, res: ServerResponse, shop: ShopRecord) => {
    const raw = await readBody(req);
    let body: { attributes?: Record<string, unknown>; note?: unknown; updates?: unknown };
    if ((req.headers["content-type"] ?? "").includes("application/json")) {
      try {
        body = raw.trim() ? (JSON.parse(raw) as typeof body) : {};
      } catch {
        return sendJson(res, 400, { status: 400, message: "Bad Request", description: "Invalid JSON" });
      }
    } else {
      const form = new URLSearchParams(raw);
      const attributes: Record<string, string> = {};
      for (const [key, value] of form) {
        const m = /^attributes\[(.+)\]$/.exec(key);
        if (m) attributes[m[1] as string] = value;
      }
      body = { attributes, note: form.get("note") ?? undefined, updates: form.has("updates") || undefined };
    }
    if (body.updates !== undefined)
      throw new HttpError(501, { error: "The emulator's cart does not model line items (updates)" });
    const cart = cartOf(req, res, shop.domain);
    if (body.attributes && typeof body.attributes === "object") {
      for (const [key, value] of Object.entries(body.attributes)) {
        if (value === "" || value === null) delete cart.attributes[key];
        else cart.attributes[key] = String(value);
      }
    }
    if (typeof body.note === "string") cart.note = body.note;
    sendJson(res, 200, cartJson(cart, shop));
  };

  // --------------------------------------------------------------- app proxy
  // https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies:
  // /<prefix>/<subpath>/<rest>?<query> is forwarded to <proxy url>/<rest>?<query> plus shop,
  // logged_in_customer_id (empty for a guest), path_prefix, timestamp and signature; the shopper's
  // cookies are not forwarded (the documented forwarded request carries none), and the app may
  // not set cookies on the shop's domain.
  const proxy = async (req: IncomingMessage, res: ServerResponse, shop: ShopRecord, url: URL, rest: string) => {
    const config = options.appProxy;
    if (!config || !options.appUrl) return sendJson(res, 404, { errors: "Not Found" });
    const customer = loggedIn(req, shop.domain);
    const query = new URLSearchParams(url.search);
    for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) query.delete(key);
    query.append("shop", shop.domain);
    query.append("logged_in_customer_id", customer ? String(customer.id) : "");
    query.append("path_prefix", `/${config.prefix}/${config.subpath}`);
    query.append("timestamp", String(Math.floor(Date.now() / 1000)));
    query.append("signature", appProxySignature(query, options.apiSecret));
    const target = new URL(`${config.url.replace(/\/$/, "")}${rest}`, options.appUrl);
    target.search = query.toString();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (!HOP_BY_HOP.has(name) && typeof value === "string") headers[name] = value;
    headers["x-forwarded-for"] = req.socket.remoteAddress ?? "127.0.0.1";
    headers["x-forwarded-host"] = shop.domain;
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    let answer: Response;
    try {
      answer = await fetch(target, { method: req.method, headers, body, redirect: "manual" });
    } catch (err) {
      options.warn("app proxy: the app could not be reached", { target: target.toString(), err: String(err) });
      return sendText(res, 502, "Bad Gateway", "text/plain; charset=utf-8");
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "set-cookie" && !HOP_BY_HOP.has(name) && name !== "content-encoding") out[name] = value;
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, { ...out, "Content-Length": payload.length });
    res.end(payload);
  };

  // --------------------------------------------------------------- the shop's host
  const handle = async (req: IncomingMessage, res: ServerResponse, shopDomain: string): Promise<void> => {
    const shop = state.getShop(shopDomain);
    if (!shop) return sendText(res, 404, "Store unavailable", "text/plain; charset=utf-8");
    const url = new URL(req.url ?? "/", "http://storefront.local");
    const segments = url.pathname.split("/");
    const { locale, root } = localeFor(shop, segments[1]);
    const rest = root === "/" ? url.pathname : url.pathname.slice(root.length - 1) || "/";
    const config = options.appProxy;
    const proxyPrefix = config ? `/${config.prefix}/${config.subpath}` : null;
    if (proxyPrefix && (rest === proxyPrefix || rest.startsWith(`${proxyPrefix}/`)))
      return proxy(req, res, shop, url, rest.slice(proxyPrefix.length));
    if (rest === "/cart.js" && req.method === "GET")
      return sendJson(res, 200, cartJson(cartOf(req, res, shop.domain), shop));
    if (rest === "/cart/update.js" && req.method === "POST") return updateCart(req, res, shop);
    if (rest === "/account/emulator-login" && req.method === "GET") {
      const token = url.searchParams.get("token") ?? "";
      if (!logins.has(token)) return sendText(res, 403, "Unknown login token", "text/plain; charset=utf-8");
      res.writeHead(302, { Location: root, "Set-Cookie": `${LOGIN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax` });
      res.end();
      return;
    }
    if (rest === "/account/logout" && req.method === "GET") {
      res.writeHead(302, { Location: root, "Set-Cookie": `${LOGIN_COOKIE}=; Path=/; Max-Age=0` });
      res.end();
      return;
    }
    if (rest === "/" && req.method === "GET") return themePage(req, res, shop, locale, root);
    sendText(res, 404, "Page not found", "text/plain; charset=utf-8");
  };

  // --------------------------------------------------------------- extension assets (the "CDN")
  const serveAsset = (res: ServerResponse, name: string, file: string) => {
    if (!extensionDir || name !== extensionName || !/^[\w.-]+$/.test(file)) return false;
    const full = path.join(extensionDir, "assets", file);
    if (!existsSync(full)) return false;
    const type = file.endsWith(".js")
      ? "application/javascript; charset=utf-8"
      : file.endsWith(".css")
        ? "text/css; charset=utf-8"
        : "application/octet-stream";
    sendText(res, 200, readFileSync(full, "utf8"), type, {
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "no-cache",
    });
    return true;
  };

  // --------------------------------------------------------------- control API
  const requireShop = (name: string) => {
    const s = state.getShop(name.includes(".") ? name : `${name}.myshopify.com`);
    if (!s) throw new HttpError(404, { error: `Shop ${name} not found` });
    return s;
  };
  const readJson = async <T>(req: IncomingMessage): Promise<T> => {
    const text = await readBody(req);
    try {
      return (text.trim() ? JSON.parse(text) : {}) as T;
    } catch {
      throw new HttpError(400, { error: "Body is not valid JSON" });
    }
  };
  const control = new Router()
    // The app embed's state in the shop's live theme (the merchant's theme editor toggle and settings).
    .add("PUT", /^\/_emulator\/shops\/([^/]+)\/storefront\/embed$/, async (req, res, [name]) => {
      const s = requireShop(name as string);
      const input = await readJson<{ enabled?: boolean; settings?: Record<string, unknown> }>(req);
      const embed = embedOf(s.domain);
      if (input.enabled !== undefined) embed.enabled = Boolean(input.enabled) && Boolean(extensionDir);
      if (input.settings) embed.settings = { ...embed.settings, ...input.settings };
      sendJson(res, 200, { embed, storefrontUrl: storefrontUrl(options.baseUrl(), s.domain) });
    })
    // Logs a customer in on the storefront: answers a URL that sets the login cookie on the shop's host.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/storefront\/login$/, async (req, res, [name]) => {
      const s = requireShop(name as string);
      const input = await readJson<{ email?: string; firstName?: string; lastName?: string }>(req);
      if (!input.email) throw new HttpError(400, { error: "email is required" });
      const customer = upsertCustomer(
        state,
        s,
        { email: input.email, firstName: input.firstName, lastName: input.lastName },
        null,
      );
      const token = randomBytes(16).toString("hex");
      logins.set(token, { shop: s.domain, customerId: customer.id });
      sendJson(res, 201, {
        customerId: gid("Customer", customer.id),
        loginUrl: `${storefrontUrl(options.baseUrl(), s.domain)}/account/emulator-login?token=${token}`,
      });
    })
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/carts\/([0-9a-f]+)$/, (_req, res, [name, token]) => {
      const s = requireShop(name as string);
      const cart = carts.get(token as string);
      if (!cart || cart.shop !== s.domain) throw new HttpError(404, { error: `Cart ${token} not found` });
      sendJson(res, 200, cartJson(cart, s));
    })
    // Checkout: an order from the cart, whose attributes become the order's note_attributes
    // (https://shopify.dev/docs/api/admin-rest/latest/resources/order: note_attributes), and its
    // orders/create webhook like any other order.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/carts\/([0-9a-f]+)\/orders$/, async (req, res, [name, token]) => {
      const s = requireShop(name as string);
      const cart = carts.get(token as string);
      if (!cart || cart.shop !== s.domain) throw new HttpError(404, { error: `Cart ${token} not found` });
      const input = await readJson<OrderWrite>(req);
      const order = createOrder(state, s, {
        ...input,
        note: input.note ?? cart.note,
        noteAttributes: Object.entries(cart.attributes).map(([key, value]) => ({ name: key, value })),
      });
      carts.delete(cart.token);
      sendJson(res, 201, { id: gid("Order", order.id), ...orderPayload(s, order) });
    });

  return {
    /** The shop whose storefront this request is for (by its Host), or null. */
    shopFor: (req: IncomingMessage) => storefrontShopFromHost(req.headers.host),
    handle,
    serveAsset,
    control,
    reset: () => {
      carts.clear();
      logins.clear();
      embeds.clear();
    },
  };
}

export type Storefront = ReturnType<typeof createStorefront>;
