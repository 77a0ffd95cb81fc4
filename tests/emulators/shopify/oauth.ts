// POST /admin/oauth/access_token — token exchange (session token → offline/online access token,
// optionally expiring with a refresh token), refresh, migration of a non-expiring offline token
// to an expiring one, and client credentials. Shops are identified by the session token's
// `dest`, the refresh token, the migrated token, or (client credentials) the Host header.
import { randomBytes, randomInt } from "node:crypto";
import jwt, { type JwtPayload } from "jsonwebtoken";
import { normalizeShopDomain, type EmulatorState, type ShopRecord } from "./state";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface OAuthOptions {
  apiKey: string;
  apiSecret: string;
  /** Lifetime of expiring offline access tokens (Shopify: 1 hour). */
  offlineTokenTtlSec: number;
  /** Lifetime of refresh tokens (Shopify: 90 days). */
  refreshTokenTtlSec: number;
  /** Create unknown shops on first token exchange (an install). */
  autoCreateShops: boolean;
}

export interface OAuthResponse {
  status: number;
  body: Record<string, unknown>;
}

const error = (status: number, code: string, description: string): OAuthResponse => ({
  status,
  body: { error: code, error_description: description },
});

export function newAccessToken(prefix: "shpat" | "shpua" | "shprt" = "shpat"): string {
  return `${prefix}_${randomBytes(16).toString("hex")}`;
}

export function parseTokenRequest(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes("application/json")) {
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function issueOffline(
  state: EmulatorState,
  opts: OAuthOptions,
  shop: ShopRecord,
  expiring: boolean,
): Record<string, unknown> {
  const accessToken = newAccessToken("shpat");
  if (!expiring) {
    state.registerToken({ shop: shop.domain, token: accessToken, kind: "offline" });
    return { access_token: accessToken, scope: shop.scopes.join(",") };
  }
  const refreshToken = newAccessToken("shprt");
  state.registerToken({
    shop: shop.domain,
    token: accessToken,
    kind: "offline",
    expiresInSec: opts.offlineTokenTtlSec,
    refreshToken,
    refreshTokenExpiresInSec: opts.refreshTokenTtlSec,
  });
  return {
    access_token: accessToken,
    scope: shop.scopes.join(","),
    expires_in: opts.offlineTokenTtlSec,
    refresh_token: refreshToken,
    refresh_token_expires_in: opts.refreshTokenTtlSec,
  };
}

export function handleAccessTokenRequest(
  state: EmulatorState,
  opts: OAuthOptions,
  params: Record<string, string>,
  host: string | undefined,
): OAuthResponse {
  if (params.client_id !== opts.apiKey || params.client_secret !== opts.apiSecret) {
    return error(401, "invalid_client", "Client authentication failed: client_id or client_secret is invalid.");
  }
  const grant = params.grant_type;
  if (grant === TOKEN_EXCHANGE) return tokenExchange(state, opts, params);
  if (grant === "refresh_token") return refresh(state, opts, params);
  if (grant === "client_credentials") {
    const shop = host ? state.getShop(host.split(":")[0] ?? "") : undefined;
    if (!shop)
      return error(400, "invalid_request", "Client credentials require the request to be sent to the shop's domain.");
    const token = newAccessToken("shpat");
    state.registerToken({ shop: shop.domain, token, kind: "offline", expiresInSec: 86399 });
    return { status: 200, body: { access_token: token, scope: shop.scopes.join(","), expires_in: 86399 } };
  }
  return error(400, "unsupported_grant_type", `Grant type '${grant ?? ""}' is not supported.`);
}

function tokenExchange(state: EmulatorState, opts: OAuthOptions, params: Record<string, string>): OAuthResponse {
  const expiring = params.expiring === "1" || params.expiring === "true";
  if (params.subject_token_type === OFFLINE) {
    // Migration of a non-expiring offline token to an expiring one; the old token stops working.
    const old = state.tokens.get(params.subject_token ?? "");
    if (!old || old.kind !== "offline" || old.expiresAt !== null) {
      return error(400, "invalid_subject_token", "The subject token is not a valid non-expiring offline access token.");
    }
    const shop = state.requireShop(old.shop);
    state.revokeToken(old.token);
    state.bump(shop, "tokenExchanges");
    return { status: 200, body: issueOffline(state, opts, shop, true) };
  }
  if (params.subject_token_type !== ID_TOKEN) {
    return error(400, "invalid_request", "subject_token_type must be urn:ietf:params:oauth:token-type:id_token");
  }
  let claims: JwtPayload;
  try {
    claims = jwt.verify(params.subject_token ?? "", opts.apiSecret, {
      algorithms: ["HS256"],
      audience: opts.apiKey,
      clockTolerance: 10,
    }) as JwtPayload;
  } catch (err) {
    return error(400, "invalid_subject_token", `The session token is invalid: ${(err as Error).message}`);
  }
  const dest = typeof claims.dest === "string" ? claims.dest : "";
  const domain = normalizeShopDomain(dest);
  let shop = state.getShop(domain);
  if (!shop) {
    if (!opts.autoCreateShops) return error(400, "invalid_subject_token", `Unknown shop ${domain}`);
    shop = state.upsertShop({ shop: domain });
  }
  shop.installed = true;
  state.bump(shop, "tokenExchanges");
  if (params.requested_token_type === ONLINE) {
    const token = newAccessToken("shpua");
    const userId = Number(claims.sub ?? 1) || 1;
    state.registerToken({ shop: shop.domain, token, kind: "online", expiresInSec: 86399 });
    return {
      status: 200,
      body: {
        access_token: token,
        scope: shop.scopes.join(","),
        expires_in: 86399,
        associated_user_scope: shop.scopes.join(","),
        session: randomBytes(16).toString("hex"),
        account_number: randomInt(1, 1e6),
        associated_user: {
          id: userId,
          first_name: "Emulator",
          last_name: "Owner",
          email: shop.email,
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      },
    };
  }
  if (params.requested_token_type !== OFFLINE) {
    return error(400, "invalid_request", "requested_token_type must be an online or offline access token type");
  }
  return { status: 200, body: issueOffline(state, opts, shop, expiring) };
}

function refresh(state: EmulatorState, opts: OAuthOptions, params: Record<string, string>): OAuthResponse {
  const record = state.refreshTokens.get(params.refresh_token ?? "");
  if (!record || record.expiresAt <= Date.now()) {
    return error(400, "invalid_grant", "The refresh token is invalid or has expired.");
  }
  const shop = state.requireShop(record.shop);
  // Uninstalling revokes every token of the app on the shop, refresh tokens included: "stays
  // valid until the store uninstalls your app" and "revoked only when the app is uninstalled"
  // (https://shopify.dev/docs/apps/build/security/credentials-and-data/use-expiring-offline-access-tokens,
  // https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens).
  // The uninstall control route already drops the shop's tokens; this also covers a refresh token
  // registered on a shop that is not installed.
  if (!shop.installed) {
    return error(400, "invalid_grant", "The refresh token is invalid or has expired.");
  }
  // Rotation: the old access token and the used refresh token stop working.
  state.revokeToken(record.accessToken);
  state.refreshTokens.delete(record.token);
  state.bump(shop, "tokenRefreshes");
  return { status: 200, body: issueOffline(state, opts, shop, true) };
}
