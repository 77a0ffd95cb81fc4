// POST /admin/api/<version>/graphql.json — the request pipeline in Shopify's order:
// auth → injected faults → parse/validate (cached) → requested cost → single-query max →
// leaky bucket (THROTTLED inside HTTP 200) → execute → refund requested−actual → respond
// with extensions.cost on every executed response.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { expandScopes, type EmulatorRuntime, type ResolverContext } from "./context";
import { MAX_QUERY_COST } from "./cost";
import type { Executor } from "./executor";
import { HttpError, readBody, sendJson } from "./http";
import { isSupportedVersion } from "./schema";
import type { EmulatorState, Faults, ShopRecord } from "./state";

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

/**
 * What Shopify answers for a shop that cannot use the Admin API (shopify.dev/docs/api/usage/response-codes):
 * 402 Payment Required, "The shop is frozen. The shop owner will need to pay the outstanding balance
 * to unfreeze the shop."; 423 Locked, "The shop isn't available. This can happen when stores
 * repeatedly exceed API rate limits or due to fraud risk." The page gives no body; the one below is
 * what Shopify sends a frozen shop's API clients (github.com/Shopify/shopify-cli/issues/1770:
 * `402{"errors":"Unavailable Shop"}`), used for both.
 */
export const SHOP_UNAVAILABLE_STATUS = { frozen: 402, locked: 423 } as const;
export const SHOP_UNAVAILABLE_BODY = { errors: "Unavailable Shop" };

/** The REST Admin API's wording for a 429 (shopify.dev/docs/api/admin-rest/usage/rate-limits). */
export const TOO_MANY_REQUESTS_BODY = {
  errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
};

export interface GraphQLHandlerDeps {
  state: EmulatorState;
  executor: Executor;
  runtime: EmulatorRuntime;
  /** Enforce access scopes from the token (Shopify's ACCESS_DENIED). */
  enforceScopes: boolean;
}

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Consumes one unit of a countdown fault, preferring the shop-specific setting. */
function takeFault(
  shop: ShopRecord,
  global: Faults,
  key: "graphql5xx" | "throttleNext" | "http429Next",
): Faults | null {
  if (shop.faults[key] > 0) {
    shop.faults[key]--;
    return shop.faults;
  }
  if (global[key] > 0) {
    global[key]--;
    return global;
  }
  return null;
}

export function createGraphQLHandler(deps: GraphQLHandlerDeps) {
  const { state, executor, runtime } = deps;

  return async (req: IncomingMessage, res: ServerResponse, version: string): Promise<void> => {
    const headers = { "X-Request-Id": randomUUID(), "X-Shopify-API-Version": version };
    state.stats.requests++;
    if (!isSupportedVersion(version)) {
      sendJson(res, 404, { errors: "Not Found" }, headers);
      return;
    }
    const tokenHeader = req.headers["x-shopify-access-token"];
    const auth = state.resolveToken(Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader);
    const host = req.headers.host?.split(":")[0] ?? "";
    // A token only opens its own shop; calls addressed to another *.myshopify.com host fail like Shopify.
    if (!auth.ok || (host.endsWith(".myshopify.com") && host !== auth.shop.domain)) {
      state.bump(undefined, "unauthorized");
      await readBody(req).catch(() => "");
      sendJson(res, 401, INVALID_TOKEN_BODY, headers);
      return;
    }
    const { shop, record } = auth;
    shop.stats.requests++;

    // A frozen or locked shop answers every call with its status, before anything is read or charged.
    if (shop.state !== "active") {
      state.bump(shop, "shopUnavailable");
      await readBody(req).catch(() => "");
      sendJson(res, SHOP_UNAVAILABLE_STATUS[shop.state], SHOP_UNAVAILABLE_BODY, headers);
      return;
    }

    const latency = shop.faults.latencyMs || state.faults.latencyMs;
    const raw = await readBody(req);
    if (latency > 0) await sleep(latency);
    const fault5xx = takeFault(shop, state.faults, "graphql5xx");
    if (fault5xx) {
      state.bump(shop, "faultsInjected");
      const status = fault5xx.status5xx;
      sendJson(
        res,
        status,
        { errors: status === 503 ? "Unavailable Shop" : status === 502 ? "Bad Gateway" : "Internal Server Error" },
        headers,
      );
      return;
    }

    // A throttle storm (bucket.ts) refuses part of the traffic with 429 before the query is read,
    // and so does an injected `http429Next` fault (a 429 from GraphQL: see bucket.ts).
    const refusal = shop.bucket.stormRefusal();
    const fault429 = refusal ? null : takeFault(shop, state.faults, "http429Next");
    if (refusal || fault429) {
      state.bump(shop, "throttled");
      const retryAfter = refusal?.retryAfterSeconds ?? fault429?.retryAfterSeconds ?? 2;
      sendJson(res, 429, TOO_MANY_REQUESTS_BODY, { ...headers, "Retry-After": retryAfter.toFixed(1) });
      return;
    }

    let body: GraphQLBody;
    try {
      body = (
        req.headers["content-type"]?.includes("application/graphql") ? { query: raw } : JSON.parse(raw)
      ) as GraphQLBody;
    } catch {
      throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof body?.query !== "string" || !body.query.trim()) {
      throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const variables =
      body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
    const prepared = executor.prepare(
      body.query,
      typeof body.operationName === "string" ? body.operationName : null,
      variables,
    );
    if (!prepared.ok) {
      state.bump(shop, "validationErrors");
      sendJson(res, 200, { errors: prepared.errors }, headers);
      return;
    }

    const requested = executor.requestedCost(prepared);
    if (requested > MAX_QUERY_COST) {
      state.bump(shop, "maxCostExceeded");
      sendJson(
        res,
        200,
        {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() },
          },
        },
        headers,
      );
      return;
    }

    const forcedThrottle = takeFault(shop, state.faults, "throttleNext");
    if (forcedThrottle || !shop.bucket.tryTake(requested)) {
      state.bump(shop, "throttled");
      sendJson(
        res,
        200,
        {
          errors: [
            {
              message: "Throttled",
              extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
            },
          ],
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() },
          },
        },
        headers,
      );
      return;
    }

    const ctx: ResolverContext = {
      state,
      shop,
      runtime,
      bulk: false,
      scopes: deps.enforceScopes ? expandScopes(record.scopes) : null,
      unimplemented: [],
      registered: [],
    };
    const rootFields = executor.rootFields(prepared);
    // A slow operation still runs after its delay, whether or not the client is still waiting.
    const slowest = Math.max(
      0,
      ...rootFields.map((name) => shop.faults.operationLatencyMs[name] ?? state.faults.operationLatencyMs[name] ?? 0),
    );
    if (slowest > 0) await sleep(slowest);
    for (const name of rootFields) state.countOperation(shop, name);
    for (const name of new Set(rootFields)) state.countRequestWith(shop, name);
    const result = executor.run(prepared, ctx);
    state.logRequest(shop, { rootFields, translationsRegister: ctx.registered ?? [] });
    const actual = executor.actualCost(prepared, result.data as Record<string, unknown> | null | undefined, requested);
    shop.bucket.refund(requested - actual);
    state.bump(shop, "pointsSpent", actual);
    if (result.errors?.some((e) => e.extensions?.code === "ACCESS_DENIED")) state.bump(shop, "accessDenied");
    if (ctx.unimplemented.length)
      runtime.warn("unimplemented root fields requested", { fields: ctx.unimplemented, shop: shop.domain });

    const response: Record<string, unknown> = {};
    if (result.errors?.length) response.errors = result.errors.map((e) => e.toJSON());
    response.data = result.data ?? null;
    response.extensions = {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() },
    };
    sendJson(res, 200, response, headers);
  };
}
