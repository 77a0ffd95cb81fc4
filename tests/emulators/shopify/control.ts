// /_emulator/* — the control and inspection API used by tests, benchmarks and the sandbox to
// seed shops, play the merchant (edits that fire webhooks), inject faults and read what the
// app did (stats, webhook log, product write history).
import type { ServerResponse } from "node:http";
import {
  createManyProducts,
  createProduct,
  deleteProduct,
  slugify,
  updateProduct,
  type ProductWrite,
} from "./products";
import { createOrder, refundOrder, RefundRefused, updateOrder, type OrderWrite, type RefundWrite } from "./orders";
import { CORS_HEADERS, HttpError, readJson, Router, sendJson, sendText } from "./http";
import { defaultTopicPayload, orderPayload, productPayload, refundPayload } from "./payloads";
import { mintSessionToken } from "./session-token";
import {
  CUSTOMER_DATA_ACCESS,
  emptyFaults,
  gid,
  NotFoundError,
  parseGid,
  SHOP_STATES,
  type CustomerDataAccess,
  type EmulatorState,
  type Faults,
  type ProductRecord,
  type ShopInput,
  type ShopRecord,
  type ShopState,
  type ShopPolicyType,
  type CollectionRecord,
  type PageRecord,
  type PolicyRecord,
} from "./state";
import {
  allTranslations,
  contentOf,
  translatableById,
  translatableContent,
  translationView,
  type Translatable,
} from "./translations";
import {
  createCollection,
  createPage,
  deleteCollection,
  deletePage,
  deletePolicy,
  OnlineStoreInputError,
  setShopLocale,
  updateCollection,
  updatePage,
  upsertPolicy,
  type CollectionWrite,
  type PageWrite,
  type PolicyWrite,
} from "./online-store";
import type { WebhookDispatcher } from "./webhooks";
import type { WebhookSubscription } from "./app-config";
import { PLAN_LIMITS } from "./bucket";

export interface ControlDeps {
  state: EmulatorState;
  dispatcher: WebhookDispatcher;
  apiKey: string;
  apiSecret: string;
  autoCreateShops: boolean;
  /** Clears state and reloads configuration (webhook subscriptions). */
  reset(): void;
}

const truthy = (v: string | null) => v === "1" || v === "true";

export function productControlView(shop: ShopRecord, p: ProductRecord) {
  return {
    id: gid("Product", p.id),
    legacyResourceId: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    status: p.status,
    descriptionHtml: p.descriptionHtml,
    seo: p.seo,
    templateSuffix: p.templateSuffix,
    options: p.options.map((o) => ({
      id: gid("ProductOption", o.id),
      name: o.name,
      values: o.values.map((v) => v.name),
    })),
    variants: p.variants.map((v) => ({ ...v, id: gid("ProductVariant", v.id) })),
    images: p.images.map((i) => ({ id: gid("MediaImage", i.id), url: i.url, altText: i.altText })),
    metafields: p.metafields.map((m) => ({ ...m, id: gid("Metafield", m.id) })),
    collections: p.collections.map((c) => ({ ...c, id: gid("Collection", c.id) })),
    translatableContent: translatableContent(shop, p),
    translations: [...p.translations.values()].map((t) => translationView(shop, p, t)),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    publishedAt: p.publishedAt,
    history: p.history,
  };
}

function shopControlView(state: EmulatorState, shop: ShopRecord) {
  return {
    id: gid("Shop", shop.id),
    shop: shop.domain,
    name: shop.name,
    email: shop.email,
    currencyCode: shop.currencyCode,
    ianaTimezone: shop.ianaTimezone,
    plan: shop.plan,
    scopes: shop.scopes,
    locales: shop.locales,
    installed: shop.installed,
    state: shop.state,
    throttleStatus: shop.bucket.status(),
    counts: { products: shop.products.size, orders: shop.orders.size, bulkOperations: shop.bulkOperations.size },
    tokens: [...state.tokens.values()]
      .filter((t) => t.shop === shop.domain)
      .map((t) => ({
        token: t.token,
        kind: t.kind,
        expiresAt: t.expiresAt && new Date(t.expiresAt).toISOString(),
        hasRefreshToken: Boolean(t.refreshToken),
      })),
    faults: shop.faults,
    customerDataAccess: shop.customerDataAccess,
  };
}

function requireProduct(shop: ShopRecord, id: string): ProductRecord {
  const parsed = parseGid(id);
  const p = parsed ? shop.products.get(parsed.id) : undefined;
  if (!p) throw new HttpError(404, { error: `Product ${id} not found in ${shop.domain}` });
  return p;
}

function translatableControlView(shop: ShopRecord, t: Translatable) {
  return {
    resourceId: t.resourceId,
    resourceType: t.resourceType,
    translatableContent: contentOf(shop, t),
    translations: allTranslations(shop, t),
    nested: t.nested().map((n) => ({ resourceId: n.resourceId, resourceType: n.resourceType })),
  };
}

/** A collection, page or policy with its translatable content (the control API's answer). */
function resourceControlView(shop: ShopRecord, record: CollectionRecord | PageRecord | PolicyRecord) {
  const gidType = "type" in record ? "ShopPolicy" : "bodyHtml" in record ? "Page" : "Collection";
  const t = translatableById(shop, gid(gidType, record.id));
  return { ...record, id: gid(gidType, record.id), ...(t ? translatableControlView(shop, t) : {}) };
}

/**
 * Seeds a shop's collections, pages and policies with the shop (ShopInput), silently and
 * idempotently: a collection or page whose handle exists is left as it is, a policy is replaced.
 */
function seedOnlineStore(state: EmulatorState, shop: ShopRecord, input: ShopInput) {
  const handles = (list: Iterable<{ handle: string }>) => new Set([...list].map((r) => r.handle));
  for (const c of input.collections ?? []) {
    if (!handles(shop.collections.values()).has(c.handle || slugify(c.title ?? "")))
      createCollection(state, shop, c, { silent: true });
  }
  for (const page of input.pages ?? []) {
    if (!handles(shop.pages.values()).has(page.handle || slugify(page.title ?? ""))) createPage(state, shop, page);
  }
  for (const policy of input.policies ?? []) upsertPolicy(state, shop, policy.type, policy);
}

function requireRecord<T>(map: Map<number, T>, id: string, type: string): T {
  const parsed = parseGid(id);
  const record = parsed && (!parsed.type || parsed.type === type) ? map.get(parsed.id) : undefined;
  if (!record) throw new HttpError(404, { error: `${type} ${id} not found` });
  return record;
}

function onlineStore<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof OnlineStoreInputError) throw new HttpError(400, { error: err.message });
    throw err;
  }
}

function applyFaults(target: Faults, input: Record<string, unknown>): void {
  if (typeof input.graphql5xx === "number") target.graphql5xx = input.graphql5xx;
  if (input.status === 500 || input.status === 502 || input.status === 503 || input.status === 504)
    target.status5xx = input.status;
  if (typeof input.throttleNext === "number") target.throttleNext = input.throttleNext;
  if (typeof input.http429Next === "number") target.http429Next = input.http429Next;
  if (typeof input.retryAfterSeconds === "number") target.retryAfterSeconds = input.retryAfterSeconds;
  // {operation: "productUpdate", latencyMs} slows only that root field; latencyMs alone, every request.
  if (typeof input.operation === "string" && typeof input.latencyMs === "number") {
    target.operationLatencyMs = { ...target.operationLatencyMs, [input.operation]: input.latencyMs };
  } else if (typeof input.latencyMs === "number") target.latencyMs = input.latencyMs;
}

export function createControlRouter(deps: ControlDeps): Router {
  const { state, dispatcher } = deps;
  const shopOf = (param: string): ShopRecord => {
    const shop = state.getShop(param);
    if (!shop) throw new HttpError(404, { error: `Unknown shop ${param}` });
    return shop;
  };
  const ok = (res: ServerResponse, body: unknown, status = 200) => sendJson(res, status, body);
  const router = new Router();

  router
    .add("GET", /^\/_emulator\/health$/, (_req, res) => ok(res, { ok: true }))
    .add("POST", /^\/_emulator\/reset$/, (_req, res) => {
      deps.reset();
      ok(res, { ok: true });
    })
    // ------------------------------------------------------------ shops
    .add("POST", /^\/_emulator\/shops$/, async (req, res) => {
      const input = await readJson<ShopInput>(req);
      if (!input.shop) throw new HttpError(400, { error: "shop is required" });
      if (input.plan && !(input.plan in PLAN_LIMITS)) throw new HttpError(400, { error: `Unknown plan ${input.plan}` });
      const shopRecord = state.upsertShop(input);
      onlineStore(() => seedOnlineStore(state, shopRecord, input));
      ok(res, shopControlView(state, shopRecord));
    })
    .add("GET", /^\/_emulator\/shops$/, (_req, res) =>
      ok(
        res,
        [...state.shops.values()].map((s) => shopControlView(state, s)),
      ),
    )
    .add("GET", /^\/_emulator\/shops\/([^/]+)$/, (_req, res, [shop]) =>
      ok(res, shopControlView(state, shopOf(shop as string))),
    )
    .add("PATCH", /^\/_emulator\/shops\/([^/]+)\/bucket$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ currentlyAvailable?: number; restoreRate?: number; maximumAvailable?: number }>(
        req,
      );
      if (input.maximumAvailable !== undefined || input.restoreRate !== undefined) {
        s.bucket.reconfigure(
          input.maximumAvailable ?? s.bucket.maximumAvailable,
          input.restoreRate ?? s.bucket.restoreRate,
        );
      }
      if (input.currentlyAvailable !== undefined) s.bucket.setAvailable(input.currentlyAvailable);
      ok(res, s.bucket.status());
    })
    // Drains the bucket to 0 (it refills at its restore rate from there): the next costly query is THROTTLED.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/bucket\/drain$/, (_req, res, [shop]) => {
      const s = shopOf(shop as string);
      s.bucket.setAvailable(0);
      ok(res, s.bucket.status());
    })
    // The shop's account state: "frozen" answers 402, "locked" 423, "active" serves again (graphql-handler.ts).
    .add("PUT", /^\/_emulator\/shops\/([^/]+)\/state$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ state?: string }>(req);
      if (!SHOP_STATES.includes(input.state as ShopState))
        throw new HttpError(400, { error: `state must be one of ${SHOP_STATES.join(", ")}` });
      s.state = input.state as ShopState;
      ok(res, { shop: s.domain, state: s.state });
    })
    // Protected customer data approval (state.ts CustomerDataAccess): none, level1 or level2.
    .add("PUT", /^\/_emulator\/shops\/([^/]+)\/customer-data-access$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const { level } = await readJson<{ level?: unknown }>(req);
      if (!CUSTOMER_DATA_ACCESS.includes(level as CustomerDataAccess)) {
        throw new HttpError(400, { error: `level must be one of ${CUSTOMER_DATA_ACCESS.join(", ")}` });
      }
      s.customerDataAccess = level as CustomerDataAccess;
      ok(res, { customerDataAccess: s.customerDataAccess });
    })
    // A throttle storm (bucket.ts): the bucket stays empty for `seconds` and a share of requests gets 429.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/throttle-storm$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ seconds?: number; http429Share?: number; retryAfterSeconds?: number }>(req);
      if (typeof input.seconds !== "number" || input.seconds <= 0)
        throw new HttpError(400, { error: "seconds must be a positive number" });
      s.bucket.startStorm(input.seconds, input);
      ok(res, { ...s.bucket.stormStatus(), throttleStatus: s.bucket.status() });
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/throttle-storm$/, (_req, res, [shop]) => {
      const s = shopOf(shop as string);
      s.bucket.endStorm();
      ok(res, { ...s.bucket.stormStatus(), throttleStatus: s.bucket.status() });
    })
    // How many times each product was written, by operation (productUpdate, metafieldsSet, ...):
    // what the fault suite checks for "nothing written twice".
    // The shop's request log (state.ts RequestLogEntry): ?rootField=translationsRegister keeps the
    // requests that ran that field, ?since=<seq> those after a point.
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/requests$/, (_req, res, [shop], url) => {
      const s = shopOf(shop as string);
      const rootField = url.searchParams.get("rootField");
      const since = Number(url.searchParams.get("since") ?? 0);
      ok(
        res,
        s.requestLog.filter((entry) => entry.seq > since && (!rootField || entry.rootFields.includes(rootField))),
      );
    })
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/product-writes$/, (_req, res, [shop], url) => {
      const s = shopOf(shop as string);
      const source = url.searchParams.get("source") ?? "graphql";
      ok(
        res,
        [...s.products.values()].map((p) => {
          const counts: Record<string, number> = {};
          for (const entry of p.history)
            if (entry.source === source) counts[entry.operation] = (counts[entry.operation] ?? 0) + 1;
          return { id: gid("Product", p.id), counts };
        }),
      );
    })
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/uninstall$/, (_req, res, [shop]) => {
      const s = shopOf(shop as string);
      state.revokeShopTokens(s.domain);
      s.installed = false;
      // Shopify drops the shop's API-created webhook subscriptions on uninstall.
      for (const sub of dispatcher.getSubscriptions())
        if (sub.shop === s.domain && sub.id) dispatcher.removeSubscription(sub.id);
      state.emit(s.domain, "app/uninstalled", defaultTopicPayload(s, "app/uninstalled"));
      ok(res, { ok: true });
    })
    // ------------------------------------------------------------ tokens
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/tokens$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{
        accessToken?: string;
        expiresIn?: number | null;
        refreshToken?: string;
        /** Lifetime of the refresh token (Shopify: 90 days); 0 makes it already expired. */
        refreshTokenExpiresIn?: number;
        scopes?: string[];
        kind?: "offline" | "online";
      }>(req);
      if (!input.accessToken) throw new HttpError(400, { error: "accessToken is required" });
      const record = state.registerToken({
        shop: s.domain,
        token: input.accessToken,
        kind: input.kind,
        scopes: input.scopes,
        expiresInSec: input.expiresIn,
        refreshToken: input.refreshToken,
        refreshTokenExpiresInSec: input.refreshTokenExpiresIn,
      });
      ok(res, {
        token: record.token,
        expiresAt: record.expiresAt && new Date(record.expiresAt).toISOString(),
        refreshToken: record.refreshToken,
      });
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/tokens\/([^/]+)$/, (_req, res, [shop, token]) => {
      shopOf(shop as string);
      state.revokeToken(token as string);
      ok(res, { ok: true });
    })
    // ------------------------------------------------------------ products
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/products\/bulk$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ count?: number; template?: ProductWrite; silent?: boolean }>(req);
      const count = Math.max(0, Math.min(100_000, Number(input.count ?? 0)));
      const created = createManyProducts(state, s, count, input.template, { silent: input.silent ?? true });
      ok(res, { created: created.length, ids: created.map((p) => gid("Product", p.id)) }, 201);
    })
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/products$/, (_req, res, [shop]) => {
      const s = shopOf(shop as string);
      ok(
        res,
        [...s.products.values()].map((p) => ({
          id: gid("Product", p.id),
          title: p.title,
          handle: p.handle,
          status: p.status,
          updatedAt: p.updatedAt,
        })),
      );
    })
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/products$/, async (req, res, [shop], url) => {
      const s = shopOf(shop as string);
      const result = createProduct(state, s, await readJson<ProductWrite>(req), {
        source: "control",
        operation: "create",
        silent: truthy(url.searchParams.get("silent")),
      });
      if (!result.ok) throw new HttpError(422, { errors: result.errors });
      ok(res, productControlView(s, result.product), 201);
    })
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/products\/([^/]+)$/, (_req, res, [shop, id]) => {
      const s = shopOf(shop as string);
      ok(res, productControlView(s, requireProduct(s, id as string)));
    })
    .add("PATCH", /^\/_emulator\/shops\/([^/]+)\/products\/([^/]+)$/, async (req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const p = requireProduct(s, id as string);
      const result = updateProduct(state, s, p, await readJson<ProductWrite>(req), {
        source: "control",
        operation: "merchantEdit",
        silent: truthy(url.searchParams.get("silent")),
      });
      if (!result.ok) throw new HttpError(422, { errors: result.errors });
      ok(res, productControlView(s, result.product));
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/products\/([^/]+)$/, (_req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const p = requireProduct(s, id as string);
      deleteProduct(state, s, p.id, { silent: truthy(url.searchParams.get("silent")) });
      ok(res, { deletedProductId: gid("Product", p.id) });
    })
    // ------------------------------------------------------------ online store (translations)
    // Collections, pages and policies (online-store.ts); a 400 names a bad input.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/collections$/, async (req, res, [shop], url) => {
      const s = shopOf(shop as string);
      const input = await readJson<CollectionWrite>(req);
      const c = onlineStore(() =>
        createCollection(state, s, input, { silent: truthy(url.searchParams.get("silent")) }),
      );
      ok(res, resourceControlView(s, c), 201);
    })
    .add("PATCH", /^\/_emulator\/shops\/([^/]+)\/collections\/([^/]+)$/, async (req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const c = requireRecord(s.collections, id as string, "Collection");
      const input = await readJson<CollectionWrite>(req);
      onlineStore(() => updateCollection(state, s, c, input, { silent: truthy(url.searchParams.get("silent")) }));
      ok(res, resourceControlView(s, c));
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/collections\/([^/]+)$/, (_req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const c = requireRecord(s.collections, id as string, "Collection");
      deleteCollection(state, s, c, { silent: truthy(url.searchParams.get("silent")) });
      ok(res, { deletedId: gid("Collection", c.id) });
    })
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/pages$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<PageWrite>(req);
      ok(
        res,
        resourceControlView(
          s,
          onlineStore(() => createPage(state, s, input)),
        ),
        201,
      );
    })
    .add("PATCH", /^\/_emulator\/shops\/([^/]+)\/pages\/([^/]+)$/, async (req, res, [shop, id]) => {
      const s = shopOf(shop as string);
      const page = requireRecord(s.pages, id as string, "Page");
      const input = await readJson<PageWrite>(req);
      ok(
        res,
        resourceControlView(
          s,
          onlineStore(() => updatePage(s, page, input)),
        ),
      );
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/pages\/([^/]+)$/, (_req, res, [shop, id]) => {
      const s = shopOf(shop as string);
      const page = requireRecord(s.pages, id as string, "Page");
      deletePage(s, page);
      ok(res, { deletedId: gid("Page", page.id) });
    })
    .add("PUT", /^\/_emulator\/shops\/([^/]+)\/policies\/([A-Z_]+)$/, async (req, res, [shop, type]) => {
      const s = shopOf(shop as string);
      const input = await readJson<PolicyWrite>(req);
      ok(
        res,
        resourceControlView(
          s,
          onlineStore(() => upsertPolicy(state, s, type as ShopPolicyType, input)),
        ),
      );
    })
    .add("DELETE", /^\/_emulator\/shops\/([^/]+)\/policies\/([A-Z_]+)$/, (_req, res, [shop, type]) => {
      const s = shopOf(shop as string);
      if (!deletePolicy(s, type as ShopPolicyType)) throw new HttpError(404, { error: `No ${type} in ${s.domain}` });
      ok(res, { ok: true });
    })
    // Adds a locale or (un)publishes it, firing locales/create or locales/update unless ?silent=1.
    .add("PUT", /^\/_emulator\/shops\/([^/]+)\/locales\/([^/]+)$/, async (req, res, [shop, locale], url) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ published?: unknown; name?: string }>(req);
      if (typeof input.published !== "boolean") throw new HttpError(400, { error: "published must be a boolean" });
      const published = input.published;
      ok(
        res,
        onlineStore(() =>
          setShopLocale(state, s, decodeURIComponent(locale as string), published, {
            silent: truthy(url.searchParams.get("silent")),
            name: input.name,
          }),
        ),
      );
    })
    // Any translatable resource's content with digests and every translation it holds, with the
    // digest each was registered against: what a test checks after the app registered.
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/translations\/(.+)$/, (_req, res, [shop, id]) => {
      const s = shopOf(shop as string);
      const t = translatableById(s, decodeURIComponent(id as string));
      if (!t) throw new HttpError(404, { error: `No translatable resource ${id} in ${s.domain}` });
      ok(res, translatableControlView(s, t));
    })
    // ------------------------------------------------------------ orders
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/orders\/bulk$/, async (req, res, [shop]) => {
      const s = shopOf(shop as string);
      const input = await readJson<{ count?: number; template?: OrderWrite; silent?: boolean }>(req);
      const count = Math.max(0, Math.min(100_000, Number(input.count ?? 0)));
      const ids: string[] = [];
      for (let i = 0; i < count; i++)
        ids.push(gid("Order", createOrder(state, s, input.template ?? {}, { silent: input.silent ?? true }).id));
      ok(res, { created: ids.length, ids }, 201);
    })
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/orders$/, async (req, res, [shop], url) => {
      const s = shopOf(shop as string);
      const order = createOrder(state, s, await readJson<OrderWrite>(req), {
        silent: truthy(url.searchParams.get("silent")),
      });
      ok(res, { id: gid("Order", order.id), ...orderPayload(s, order) }, 201);
    })
    .add("GET", /^\/_emulator\/shops\/([^/]+)\/orders\/([^/]+)$/, (_req, res, [shop, id]) => {
      const s = shopOf(shop as string);
      const o = s.orders.get(parseGid(id)?.id ?? -1);
      if (!o) throw new HttpError(404, { error: `Order ${id} not found` });
      ok(res, { id: gid("Order", o.id), ...orderPayload(s, o) });
    })
    .add("PATCH", /^\/_emulator\/shops\/([^/]+)\/orders\/([^/]+)$/, async (req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const o = s.orders.get(parseGid(id)?.id ?? -1);
      if (!o) throw new HttpError(404, { error: `Order ${id} not found` });
      updateOrder(state, s, o, await readJson<OrderWrite>(req), { silent: truthy(url.searchParams.get("silent")) });
      ok(res, { id: gid("Order", o.id), ...orderPayload(s, o) });
    })
    // Refunds lines and shipping (refundOrder): 422 with Shopify's message when it cannot.
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/orders\/([^/]+)\/refunds$/, async (req, res, [shop, id], url) => {
      const s = shopOf(shop as string);
      const o = s.orders.get(parseGid(id)?.id ?? -1);
      if (!o) throw new HttpError(404, { error: `Order ${id} not found` });
      try {
        const refund = refundOrder(state, s, o, await readJson<RefundWrite>(req), {
          silent: truthy(url.searchParams.get("silent")),
        });
        ok(res, refundPayload(s, o, refund), 201);
      } catch (error) {
        if (error instanceof RefundRefused) throw new HttpError(422, { error: error.message });
        throw error;
      }
    })
    // ------------------------------------------------------------ webhooks
    .add("POST", /^\/_emulator\/shops\/([^/]+)\/webhooks\/(.+)$/, async (req, res, [shop, topic]) => {
      const s = shopOf(shop as string);
      const body = await readJson<{ payload?: unknown } & Record<string, unknown>>(req);
      let payload = body.payload;
      if (payload === undefined) {
        if (topic === "products/update" || topic === "products/create") {
          const first = body.productId ? requireProduct(s, String(body.productId)) : undefined;
          payload = first ? productPayload(s, first) : defaultTopicPayload(s, topic as string, body);
        } else payload = defaultTopicPayload(s, topic as string, body);
      }
      const queued = dispatcher.enqueue({ shop: s.domain, topic: topic as string, payload });
      ok(res, { webhookIds: queued.map((d) => d.webhookId), eventId: queued[0]?.eventId ?? null }, 202);
    })
    .add("GET", /^\/_emulator\/webhooks$/, (_req, res, _p, url) => {
      const q = url.searchParams;
      const shopParam = q.get("shop");
      const filter = {
        shop: shopParam ? (state.getShop(shopParam)?.domain ?? shopParam) : undefined,
        topic: q.get("topic") ?? undefined,
        webhookId: q.get("webhookId") ?? undefined,
      };
      const limit = Number(q.get("limit") ?? 0);
      const attempts = dispatcher.listAttempts(filter);
      ok(res, {
        paused: dispatcher.isPaused(),
        pending: dispatcher.pending(),
        attempts: limit ? attempts.slice(-limit) : attempts,
        deliveries: dispatcher.listDeliveries(filter, limit),
      });
    })
    // Delivery counts without the payloads: per state, per answered status, and how many were retried.
    .add("GET", /^\/_emulator\/webhooks\/summary$/, (_req, res, _p, url) => {
      const q = url.searchParams;
      const shopParam = q.get("shop");
      const filter = {
        shop: shopParam ? (state.getShop(shopParam)?.domain ?? shopParam) : undefined,
        topic: q.get("topic") ?? undefined,
      };
      const byState: Record<string, number> = {};
      const byStatus: Record<string, number> = {};
      let deliveries = 0;
      let retried = 0;
      for (const d of dispatcher.listDeliveries(filter)) {
        deliveries++;
        byState[d.state] = (byState[d.state] ?? 0) + 1;
        if (d.attempts > 1) retried++;
      }
      const attempts = dispatcher.listAttempts(filter);
      // How long the app took to answer an attempt that failed (Shopify gives up after 5 s).
      let slowestFailedMs = 0;
      for (const a of attempts) {
        const key = a.status === null ? (a.error ?? "error") : String(a.status);
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (a.status === null || a.status >= 300) slowestFailedMs = Math.max(slowestFailedMs, a.durationMs);
      }
      ok(res, {
        pending: dispatcher.pending(),
        deliveries,
        attempts: attempts.length,
        retried,
        byState,
        byStatus,
        slowestFailedMs,
      });
    })
    .add("GET", /^\/_emulator\/webhooks\/subscriptions$/, (_req, res) => ok(res, dispatcher.getSubscriptions()))
    .add("PUT", /^\/_emulator\/webhooks\/subscriptions$/, async (req, res) => {
      const body = await readJson<{ subscriptions?: WebhookSubscription[] }>(req);
      dispatcher.setSubscriptions(body.subscriptions ?? []);
      ok(res, dispatcher.getSubscriptions());
    })
    .add("POST", /^\/_emulator\/webhooks\/pause$/, (_req, res) => {
      dispatcher.pause();
      ok(res, { paused: true });
    })
    .add("POST", /^\/_emulator\/webhooks\/resume$/, (_req, res) => {
      dispatcher.resume();
      ok(res, { paused: false });
    })
    .add("POST", /^\/_emulator\/webhooks\/wait-idle$/, async (_req, res, _p, url) => {
      const timeout = Number(url.searchParams.get("timeoutMs") ?? 10_000);
      const idle = await Promise.race([
        dispatcher.idle().then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), timeout).unref()),
      ]);
      ok(res, { idle, pending: dispatcher.pending() });
    })
    .add("POST", /^\/_emulator\/webhooks\/([^/]+)\/redeliver$/, (_req, res, [webhookId]) => {
      const d = dispatcher.redeliver(webhookId as string);
      if (!d) throw new HttpError(404, { error: `Unknown webhook ${webhookId}` });
      ok(res, { webhookId: d.webhookId, state: d.state }, 202);
    })
    // ------------------------------------------------------------ stats & faults
    .add("GET", /^\/_emulator\/stats$/, (_req, res, _p, url) => {
      const shop = url.searchParams.get("shop");
      if (!shop) return ok(res, state.stats);
      ok(res, { ...shopOf(shop).stats, throttleStatus: shopOf(shop).bucket.status() });
    })
    .add("GET", /^\/_emulator\/faults$/, (_req, res) =>
      ok(res, {
        global: state.faults,
        shops: Object.fromEntries([...state.shops.values()].map((s) => [s.domain, s.faults])),
      }),
    )
    .add("POST", /^\/_emulator\/faults$/, async (req, res) => {
      const input = await readJson(req);
      const target = typeof input.shop === "string" ? shopOf(input.shop).faults : state.faults;
      applyFaults(target, input);
      ok(res, target);
    })
    .add("DELETE", /^\/_emulator\/faults$/, (_req, res) => {
      Object.assign(state.faults, emptyFaults());
      for (const s of state.shops.values()) Object.assign(s.faults, emptyFaults());
      ok(res, { ok: true });
    })
    // ------------------------------------------------------------ session tokens & bulk files
    .add("GET", /^\/_emulator\/session-token$/, (_req, res, _p, url) => {
      const shopParam = url.searchParams.get("shop");
      const apiKey = url.searchParams.get("apiKey") ?? deps.apiKey;
      if (!shopParam) throw new HttpError(400, { error: "shop is required" });
      if (apiKey !== deps.apiKey) throw new HttpError(400, { error: "Unknown apiKey" });
      let shop = state.getShop(shopParam);
      if (!shop && deps.autoCreateShops) shop = state.upsertShop({ shop: shopParam });
      if (!shop) throw new HttpError(404, { error: `Unknown shop ${shopParam}` });
      const token = mintSessionToken({
        shop: shop.domain,
        apiKey,
        secret: deps.apiSecret,
        userId: url.searchParams.get("userId") ?? "1",
      });
      sendJson(res, 200, { token }, { ...CORS_HEADERS, "Cache-Control": "no-store" });
    })
    .add("GET", /^\/_emulator\/bulk\/(\d+)\.jsonl$/, (_req, res, [id]) => {
      for (const shop of state.shops.values()) {
        const op = shop.bulkOperations.get(Number(id));
        if (op?.jsonl !== null && op?.jsonl !== undefined) {
          sendText(res, 200, op.jsonl, "application/jsonl");
          return;
        }
      }
      throw new HttpError(404, { error: "Not found" });
    });
  return router;
}

/** Wraps route errors (HttpError / NotFoundError) into JSON answers. */
export function controlErrorStatus(err: unknown): { status: number; body: unknown } | null {
  if (err instanceof HttpError) return { status: err.status, body: err.body };
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.message } };
  return null;
}
