// Session tokens, token exchange, refresh, and the admin + App Bridge stand-ins.
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET, SHOP, startTestEmulator, TOKEN, type TestEmulator, type AnyJson } from "./test-helpers";

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ appUrl: "https://app.example.test", offlineTokenTtlSec: 3600 });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control.reset();
  await t.control.createShop({ shop: SHOP, accessToken: TOKEN });
});

async function tokenRequest(body: Record<string, string>, form = false) {
  const res = await fetch(`${t.emu.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: {
      "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json",
      Accept: "application/json",
    },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, AnyJson> };
}

const exchange = (subjectToken: string, extra: Record<string, string> = {}) => ({
  client_id: API_KEY,
  client_secret: API_SECRET,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: subjectToken,
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  ...extra,
});

describe("session tokens", () => {
  it("are HS256 JWTs signed with the app secret carrying Shopify's claims", async () => {
    const res = await fetch(`${t.emu.url}/_emulator/session-token?shop=${SHOP}&apiKey=${API_KEY}`);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const { token } = (await res.json()) as { token: string };
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe("HS256");
    const claims = jwt.verify(token, API_SECRET, { algorithms: ["HS256"], audience: API_KEY }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "1" });
    expect(claims.exp).toBe((claims.iat as number) + 60);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof claims.sid).toBe("string");
    expect(() => jwt.verify(token, "another-secret")).toThrow();
  });
});

describe("token exchange", () => {
  it("exchanges a session token for an expiring offline token and refreshes it", async () => {
    const sessionToken = await t.control.sessionToken(SHOP);
    const first = await tokenRequest(exchange(sessionToken, { expiring: "1" }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
      scope: expect.stringContaining("write_products"),
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_[0-9a-f]{32}$/),
      refresh_token_expires_in: 7776000,
    });
    expect((await t.gql("{ shop { name } }", undefined, first.body.access_token)).status).toBe(200);

    const refreshed = await tokenRequest(
      {
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "refresh_token",
        refresh_token: first.body.refresh_token,
      },
      true,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    // The old access token and the used refresh token stop working.
    expect((await t.gql("{ shop { name } }", undefined, first.body.access_token)).status).toBe(401);
    expect((await t.gql("{ shop { name } }", undefined, refreshed.body.access_token)).status).toBe(200);
    const reuse = await tokenRequest({
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token,
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const stats = await t.control.stats(SHOP);
    expect(stats).toMatchObject({ tokenExchanges: 1, tokenRefreshes: 1 });
  });

  it("refuses to refresh once the app is uninstalled, and an expired refresh token", async () => {
    const refresh = (token: string) =>
      tokenRequest({
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "refresh_token",
        refresh_token: token,
      });
    const first = await tokenRequest(exchange(await t.control.sessionToken(SHOP), { expiring: "1" }));
    await t.control.uninstall(SHOP);
    expect(await refresh(first.body.refresh_token as string)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    // Even a refresh token registered after the uninstall does not work on a shop without the app.
    await t.control.registerToken(SHOP, { accessToken: "shpat_late", expiresIn: 60, refreshToken: "shprt_late" });
    expect(await refresh("shprt_late")).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    await t.control.createShop({ shop: "other.myshopify.com" });
    await t.control.registerToken("other.myshopify.com", {
      accessToken: "shpat_other",
      expiresIn: -60,
      refreshToken: "shprt_expired",
      refreshTokenExpiresIn: 0,
    });
    expect(await refresh("shprt_expired")).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("issues non-expiring offline tokens and online tokens with the associated user", async () => {
    const offline = await tokenRequest(exchange(await t.control.sessionToken(SHOP)));
    expect(Object.keys(offline.body).sort()).toEqual(["access_token", "scope"]);
    const online = await tokenRequest(
      exchange(await t.control.sessionToken(SHOP), {
        requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
      }),
    );
    expect(online.body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user: { id: 1, account_owner: true },
    });
  });

  it("installs an unknown shop on first exchange", async () => {
    const token = await t.control.sessionToken("brand-new.myshopify.com");
    const res = await tokenRequest(exchange(token));
    expect(res.status).toBe(200);
    expect(
      (await t.gql("{ shop { myshopifyDomain } }", undefined, res.body.access_token)).body.data.shop.myshopifyDomain,
    ).toBe("brand-new.myshopify.com");
  });

  it("rejects a bad client secret and forged or expired session tokens", async () => {
    const good = await t.control.sessionToken(SHOP);
    expect(await tokenRequest({ ...exchange(good), client_secret: "nope" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    const forged = jwt.sign({ dest: `https://${SHOP}`, aud: API_KEY }, "not-the-secret", { algorithm: "HS256" });
    expect(await tokenRequest(exchange(forged))).toMatchObject({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
    const expired = jwt.sign(
      { dest: `https://${SHOP}`, aud: API_KEY, exp: Math.floor(Date.now() / 1000) - 60 },
      API_SECRET,
      { algorithm: "HS256" },
    );
    expect(await tokenRequest(exchange(expired))).toMatchObject({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
    const wrongAudience = jwt.sign({ dest: `https://${SHOP}`, aud: "other-app" }, API_SECRET, { algorithm: "HS256" });
    expect(await tokenRequest(exchange(wrongAudience))).toMatchObject({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
  });

  it("migrates a non-expiring offline token to an expiring one", async () => {
    const res = await tokenRequest({
      ...exchange(TOKEN, { expiring: "1" }),
      subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toMatch(/^shprt_/);
    expect((await t.gql("{ shop { name } }")).status).toBe(401);
  });
});

describe("admin page and App Bridge stand-in", () => {
  it("frames the app with the parameters Shopify sends", async () => {
    const res = await fetch(`${t.emu.url}/store/emulator-test/apps/storewise`);
    const html = await res.text();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(html).toMatch(/<title>Storewise · emulator-test · Shopify<\/title>/);
    const src = /<iframe[^>]+src="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe("https://app.example.test/app");
    expect(url.searchParams.get("embedded")).toBe("1");
    expect(url.searchParams.get("shop")).toBe(SHOP);
    expect(url.searchParams.get("locale")).toBe("en");
    expect(Buffer.from(url.searchParams.get("host") ?? "", "base64url").toString()).toBe(
      "admin.shopify.com/store/emulator-test",
    );
    const claims = jwt.verify(url.searchParams.get("id_token") ?? "", API_SECRET, {
      audience: API_KEY,
    }) as jwt.JwtPayload;
    expect(claims.dest).toBe(`https://${SHOP}`);

    const sub = await (await fetch(`${t.emu.url}/store/emulator-test/apps/storewise/app/products?tab=seo`)).text();
    const subSrc = new URL(/<iframe[^>]+src="([^"]+)"/.exec(sub)?.[1]?.replaceAll("&amp;", "&") ?? "");
    expect(subSrc.pathname).toBe("/app/products");
    expect(subSrc.searchParams.get("tab")).toBe("seo");
  });

  it("serves the App Bridge stand-in script", async () => {
    const res = await fetch(`${t.emu.url}/cdn/app-bridge.js`);
    expect(res.headers.get("content-type")).toContain("javascript");
    const js = await res.text();
    for (const needle of [
      "window.shopify",
      "idToken",
      "shopify-reload",
      "Authorization",
      "X-Shopify-Retry-Invalid-Session-Request",
      "data-api-key",
      "shopify-api-key",
    ]) {
      expect(js).toContain(needle);
    }
    // It must at least parse as a script.
    expect(() => new Function(js)).not.toThrow();
  });
});
