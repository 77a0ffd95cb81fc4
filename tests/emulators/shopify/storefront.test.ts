// The emulator's storefront: the theme page with the app embed, the app proxy (signature, customer,
// cookies), the Ajax Cart API and checkout's note_attributes. The stand-in app behind the proxy
// checks signatures with @shopify/shopify-api's own validation.
import { createHmac } from "node:crypto";
import { request } from "node:http";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startChatStandIn, type ChatStandIn } from "./chat-stand-in";
import { appProxySignature, storefrontShopFromHost } from "./storefront";
import { API_KEY, API_SECRET, SHOP, startTestEmulator, type TestEmulator } from "./test-helpers";

let app: ChatStandIn;
let t: TestEmulator;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request to the shop's storefront host (Node's fetch does not let a caller set Host). */
function storefront(pathname: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: t.emu.port,
        path: pathname,
        method: init.method ?? "GET",
        headers: { host: `emulator-test.localhost:${t.emu.port}`, ...init.headers },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const json = (body: unknown) => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});

beforeAll(async () => {
  app = await startChatStandIn(API_KEY, API_SECRET);
  t = await startTestEmulator({
    appUrl: app.url,
    tomlPath: path.resolve(import.meta.dirname, "../../../shopify.app.toml"),
  });
  await t.control.createShop({
    shop: SHOP,
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: true },
      { locale: "ar", published: true },
      { locale: "de", published: false },
    ],
  });
});

afterAll(async () => {
  await t?.close();
  await app?.close();
});

beforeEach(() => {
  app.requests.length = 0;
});

describe("the signature", () => {
  it("is Shopify's documented example: sorted key=value pairs, repeated values joined by commas", () => {
    // https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies
    const query = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
    const expected = createHmac("sha256", "hush")
      .update(
        "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
      )
      .digest("hex");
    expect(appProxySignature(query, "hush")).toBe(expected);
  });

  it("maps the shop's storefront host to the shop", () => {
    expect(storefrontShopFromHost("emulator-test.localhost:4000")).toBe(SHOP);
    expect(storefrontShopFromHost("emulator-test.myshopify.com")).toBe(SHOP);
    expect(storefrontShopFromHost("127.0.0.1:4000")).toBeNull();
    expect(storefrontShopFromHost("localhost:4000")).toBeNull();
  });
});

describe("the app proxy", () => {
  it("forwards /apps/storewise/chat to the app's /proxy/chat with a query the library accepts", async () => {
    const answer = await storefront("/apps/storewise/chat?extra=1&extra=2", json({ message: "Hello" }));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ answer: "You said: Hello", action: "answer" });
    const [seen] = app.requests;
    expect(seen?.signatureValid).toBe(true);
    expect(seen?.path).toBe("/proxy/chat");
    expect(seen?.method).toBe("POST");
    expect(seen?.body).toEqual({ message: "Hello" });
    expect(seen?.query.getAll("extra")).toEqual(["1", "2"]);
    expect(seen?.query.get("shop")).toBe(SHOP);
    expect(seen?.query.get("path_prefix")).toBe("/apps/storewise");
    expect(seen?.query.get("logged_in_customer_id")).toBe("");
    expect(Math.abs(Number(seen?.query.get("timestamp")) - Date.now() / 1000)).toBeLessThan(5);
  });

  it("is what the stand-in's library validation checks: a forged or unsigned call is refused", async () => {
    const forged = new URLSearchParams({
      shop: SHOP,
      logged_in_customer_id: "1",
      path_prefix: "/apps/storewise",
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    forged.set("signature", appProxySignature(forged, "not-the-secret"));
    const answer = await fetch(`${app.url}/proxy/chat?${forged}`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(401);
    expect(app.requests[0]?.signatureValid).toBe(false);
  });

  it("drops the shopper's cookies and the app's Set-Cookie", async () => {
    const answer = await storefront("/apps/storewise/chat", {
      ...json({ message: "Hi" }),
      headers: { "Content-Type": "application/json", Cookie: "_secure_session_id=abc; cart=1" },
    });
    expect(answer.status).toBe(200);
    expect(app.requests[0]?.headers.cookie).toBeUndefined();
    expect(answer.headers["set-cookie"]).toBeUndefined();
  });

  it("overwrites a shop or customer id the shopper puts in the query", async () => {
    await storefront("/apps/storewise/chat?logged_in_customer_id=42&shop=other.myshopify.com", json({ message: "Hi" }));
    const [seen] = app.requests;
    expect(seen?.signatureValid).toBe(true);
    expect(seen?.query.getAll("logged_in_customer_id")).toEqual([""]);
    expect(seen?.query.getAll("shop")).toEqual([SHOP]);
  });

  it("forwards the logged-in customer's id once the storefront login cookie is set", async () => {
    const login = await t.control.storefrontLogin(SHOP, { email: "ada@example.com", firstName: "Ada" });
    const loginUrl = new URL(login.loginUrl);
    const landing = await storefront(`${loginUrl.pathname}${loginUrl.search}`);
    expect(landing.status).toBe(302);
    const cookie = String(landing.headers["set-cookie"]).split(";")[0] as string;
    const page = await storefront("/", { headers: { Cookie: cookie } });
    expect(page.body).toContain("Signed in as ada@example.com");
    await storefront("/apps/storewise/chat", {
      ...json({ message: "Where is my order?" }),
      headers: { "Content-Type": "application/json", Cookie: cookie },
    });
    expect(app.requests[0]?.query.get("logged_in_customer_id")).toBe(login.customerId.split("/").pop());
    expect(app.requests[0]?.signatureValid).toBe(true);
  });

  it("passes the app's error statuses and JSON bodies through", async () => {
    const answer = await storefront("/apps/storewise/chat", json({ message: "rate limit please" }));
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "rate_limited" });
  });
});

describe("the theme page", () => {
  it("injects the app embed as Shopify does: the block before </body>", async () => {
    const page = await storefront("/");
    expect(page.status).toBe(200);
    const head = page.body.slice(0, page.body.indexOf("</head>"));
    // Nothing from the extension in the head: the block loads its launcher after the load event.
    expect(head).not.toContain("support-chat");
    expect(page.body).toMatch(
      /script\.src = "http:\/\/127\.0\.0\.1:\d+\/extensions\/support-chat\/assets\/support-chat\.js";/,
    );
    expect(page.body.indexOf('id="storewise-chat"')).toBeGreaterThan(page.body.indexOf("<footer>"));
    expect(page.body).toContain("Chat with us");
    expect(page.body).toContain('"locale": "en"');
    expect(page.body).not.toContain("translation missing");
  });

  it("renders the block in the storefront's locale, and RTL for Arabic", async () => {
    const fr = await storefront("/fr/");
    expect(fr.body).toContain('<html lang="fr" dir="ltr">');
    expect(fr.body).toContain("Discuter avec nous");
    expect(fr.body).toContain('"locale": "fr"');
    expect(fr.body).toContain('"root":"/fr/"');
    const ar = await storefront("/ar/");
    expect(ar.body).toContain('<html lang="ar" dir="rtl">');
    expect(ar.body).toContain("تحدث معنا");
    // An unpublished locale is not a storefront locale: the path is the primary locale's 404.
    expect((await storefront("/de/")).status).toBe(404);
  });

  it("applies the merchant's settings and can be switched off", async () => {
    await t.control.setStorefrontEmbed(SHOP, {
      settings: {
        accent_color: "#8a2be2",
        position: "start",
        greeting: "Welcome to the shop!",
        handoff_email: "help@example.com",
      },
    });
    const page = await storefront("/");
    expect(page.body).toContain("--sw-accent: #8a2be2");
    expect(page.body).toContain('class="sw-chat sw-start"');
    expect(page.body).toContain('"greeting": "Welcome to the shop!"');
    expect(page.body).toContain('"handoffEmail": "help@example.com"');
    await t.control.setStorefrontEmbed(SHOP, { enabled: false });
    const off = await storefront("/");
    expect(off.body).not.toContain("storewise-chat");
    expect(off.body).not.toContain("support-chat");
    await t.control.setStorefrontEmbed(SHOP, {
      enabled: true,
      settings: { accent_color: "#1f5c4a", position: "end", greeting: "", handoff_email: "" },
    });
  });

  it("serves the extension's assets from its own origin, like Shopify's CDN", async () => {
    const asset = await fetch(`${t.emu.url}/extensions/support-chat/assets/support-chat-ui.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${t.emu.url}/extensions/support-chat/assets/..%2Fblocks%2Fsupport-chat.liquid`)).status).toBe(
      404,
    );
  });
});

describe("the Ajax Cart API and checkout", () => {
  it("keeps cart attributes and carries them into the order's note_attributes", async () => {
    const first = await storefront("/cart/update.js", json({ attributes: { storewise_chat_dialog: "abc123" } }));
    expect(first.status).toBe(200);
    const cookie = String(first.headers["set-cookie"]).split(";")[0] as string;
    const token = cookie.split("=")[1] as string;
    const cart = JSON.parse((await storefront("/cart.js", { headers: { Cookie: cookie } })).body);
    expect(cart).toMatchObject({ token, attributes: { storewise_chat_dialog: "abc123" }, item_count: 0 });

    // Locale-aware URL (window.Shopify.routes.root) reaches the same cart.
    await storefront("/fr/cart/update.js", {
      ...json({ attributes: { other: "x" } }),
      headers: { "Content-Type": "application/json", Cookie: cookie },
    });
    const order = await t.control.checkoutCart(SHOP, token);
    expect(order.note_attributes).toEqual([
      { name: "storewise_chat_dialog", value: "abc123" },
      { name: "other", value: "x" },
    ]);
    const read = await t.control.getOrderPayload(SHOP, String(order.id));
    expect(read.note_attributes).toEqual(order.note_attributes);
  });

  it("removes an attribute set to an empty string, and refuses what it does not model", async () => {
    const first = await storefront("/cart/update.js", json({ attributes: { a: "1", b: "2" } }));
    const cookie = String(first.headers["set-cookie"]).split(";")[0] as string;
    const second = await storefront("/cart/update.js", {
      ...json({ attributes: { a: "" } }),
      headers: { "Content-Type": "application/json", Cookie: cookie },
    });
    expect(JSON.parse(second.body).attributes).toEqual({ b: "2" });
    const lines = await storefront("/cart/update.js", {
      ...json({ updates: { "123": 1 } }),
      headers: { "Content-Type": "application/json", Cookie: cookie },
    });
    expect(lines.status).toBe(501);
    expect(
      (
        await storefront("/cart/update.js", {
          method: "POST",
          body: "{",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(400);
  });
});
