// Typed client for the emulator's /_emulator control API (tests, benchmarks, sandbox seeding).
// Only `import type` from server modules, so this file pulls no emulator code into callers.
import type { WebhookSubscription } from "./app-config";
import type { ThrottleStatus } from "./bucket";
import type { OrderWrite, RefundWrite } from "./orders";
import type { ProductWrite } from "./products";
import type { CollectionWrite, PageWrite, PolicyWrite } from "./online-store";
import type {
  CustomerDataAccess,
  RequestLogEntry,
  ShopInput,
  ShopPolicyType,
  ShopState,
  Stats,
  WriteRecord,
} from "./state";
import type { TranslatableContentEntry, TranslatableResourceType, TranslationView } from "./translations";
import type { Delivery, DeliveryAttempt } from "./webhooks";

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} failed with ${status}: ${JSON.stringify(body)}`);
  }
}

export interface ControlShop {
  id: string;
  shop: string;
  name: string;
  email: string;
  currencyCode: string;
  plan: string;
  scopes: string[];
  locales: Array<{ locale: string; name: string; primary: boolean; published: boolean }>;
  installed: boolean;
  state: ShopState;
  throttleStatus: ThrottleStatus;
  counts: { products: number; orders: number; bulkOperations: number };
  tokens: Array<{ token: string; kind: string; expiresAt: string | null; hasRefreshToken: boolean }>;
  customerDataAccess: CustomerDataAccess;
}

export interface ControlProduct {
  id: string;
  legacyResourceId: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: string;
  descriptionHtml: string;
  seo: { title: string | null; description: string | null };
  options: Array<{ id: string; name: string; values: string[] }>;
  variants: Array<{ id: string; title: string; sku: string | null; price: string }>;
  images: Array<{ id: string; url: string; altText: string | null }>;
  metafields: Array<{ id: string; namespace: string; key: string; type: string; value: string; updatedAt: string }>;
  translatableContent: TranslatableContentEntry[];
  translations: TranslationView[];
  createdAt: string;
  updatedAt: string;
  history: WriteRecord[];
}

/** A translatable resource as the control API shows it (control.ts translatableControlView). */
export interface ControlTranslatable {
  id?: string;
  resourceId: string;
  resourceType: TranslatableResourceType;
  translatableContent: TranslatableContentEntry[];
  translations: Array<TranslationView & { sourceDigest: string }>;
  nested: Array<{ resourceId: string; resourceType: TranslatableResourceType }>;
}

export interface ControlOrder {
  id: string;
  name: string;
  email: string | null;
  total_price: string;
  financial_status: string;
  fulfillment_status: string | null;
  [key: string]: unknown;
}

export interface WebhookLog {
  paused: boolean;
  pending: number;
  attempts: DeliveryAttempt[];
  deliveries: Array<Omit<Delivery, "body"> & { payload: unknown }>;
}

export interface FaultsInput {
  shop?: string;
  graphql5xx?: number;
  status?: 500 | 502 | 503 | 504;
  throttleNext?: number;
  /** The next n requests answer HTTP 429 with `Retry-After: retryAfterSeconds` (default 2). */
  http429Next?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** With latencyMs: slow only this root field (e.g. "productUpdate"), applied after the delay. */
  operation?: string;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: unknown;
  extensions?: {
    cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };
  };
}

const silentQuery = (silent?: boolean) => (silent ? "?silent=1" : "");
const enc = encodeURIComponent;

export function emulatorControl(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, "");

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) throw new EmulatorControlError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  return {
    baseUrl: base,
    health: () => call<{ ok: boolean }>("GET", "/_emulator/health"),
    reset: () => call<{ ok: boolean }>("POST", "/_emulator/reset"),

    createShop: (input: ShopInput) => call<ControlShop>("POST", "/_emulator/shops", input),
    getShop: (shop: string) => call<ControlShop>("GET", `/_emulator/shops/${enc(shop)}`),
    listShops: () => call<ControlShop[]>("GET", "/_emulator/shops"),
    /** Protected customer data approval for the shop: none, level1 or level2 (the default). */
    setCustomerDataAccess: (shop: string, level: CustomerDataAccess) =>
      call<{ customerDataAccess: CustomerDataAccess }>("PUT", `/_emulator/shops/${enc(shop)}/customer-data-access`, {
        level,
      }),
    setBucket: (
      shop: string,
      input: { currentlyAvailable?: number; restoreRate?: number; maximumAvailable?: number },
    ) => call<ThrottleStatus>("PATCH", `/_emulator/shops/${enc(shop)}/bucket`, input),
    /** Empties the shop's cost bucket; it refills at its restore rate from 0. */
    drainBucket: (shop: string) => call<ThrottleStatus>("POST", `/_emulator/shops/${enc(shop)}/bucket/drain`),
    /** "frozen" (402), "locked" (423) or "active" again. */
    setShopState: (shop: string, state: ShopState) =>
      call<{ shop: string; state: ShopState }>("PUT", `/_emulator/shops/${enc(shop)}/state`, { state }),
    uninstall: (shop: string) => call<{ ok: boolean }>("POST", `/_emulator/shops/${enc(shop)}/uninstall`),
    registerToken: (
      shop: string,
      input: {
        accessToken: string;
        expiresIn?: number | null;
        refreshToken?: string;
        refreshTokenExpiresIn?: number;
        scopes?: string[];
      },
    ) =>
      call<{ token: string; expiresAt: string | null; refreshToken: string | null }>(
        "POST",
        `/_emulator/shops/${enc(shop)}/tokens`,
        input,
      ),
    revokeToken: (shop: string, token: string) =>
      call<{ ok: boolean }>("DELETE", `/_emulator/shops/${enc(shop)}/tokens/${enc(token)}`),

    createProduct: (shop: string, input: ProductWrite, opts: { silent?: boolean } = {}) =>
      call<ControlProduct>("POST", `/_emulator/shops/${enc(shop)}/products${silentQuery(opts.silent)}`, input),
    createProducts: (shop: string, input: { count: number; template?: ProductWrite; silent?: boolean }) =>
      call<{ created: number; ids: string[] }>("POST", `/_emulator/shops/${enc(shop)}/products/bulk`, input),
    listProducts: (shop: string) =>
      call<Array<{ id: string; title: string; handle: string; status: string; updatedAt: string }>>(
        "GET",
        `/_emulator/shops/${enc(shop)}/products`,
      ),
    getProduct: (shop: string, id: string | number) =>
      call<ControlProduct>("GET", `/_emulator/shops/${enc(shop)}/products/${enc(String(id))}`),
    updateProduct: (shop: string, id: string | number, patch: ProductWrite, opts: { silent?: boolean } = {}) =>
      call<ControlProduct>(
        "PATCH",
        `/_emulator/shops/${enc(shop)}/products/${enc(String(id))}${silentQuery(opts.silent)}`,
        patch,
      ),
    deleteProduct: (shop: string, id: string | number, opts: { silent?: boolean } = {}) =>
      call<{ deletedProductId: string }>(
        "DELETE",
        `/_emulator/shops/${enc(shop)}/products/${enc(String(id))}${silentQuery(opts.silent)}`,
      ),

    createOrder: (shop: string, input: OrderWrite = {}, opts: { silent?: boolean } = {}) =>
      call<ControlOrder>("POST", `/_emulator/shops/${enc(shop)}/orders${silentQuery(opts.silent)}`, input),
    createOrders: (shop: string, input: { count: number; template?: OrderWrite; silent?: boolean }) =>
      call<{ created: number; ids: string[] }>("POST", `/_emulator/shops/${enc(shop)}/orders/bulk`, input),
    getOrder: (shop: string, id: string | number) =>
      call<ControlOrder>("GET", `/_emulator/shops/${enc(shop)}/orders/${enc(String(id))}`),
    updateOrder: (shop: string, id: string | number, patch: OrderWrite, opts: { silent?: boolean } = {}) =>
      call<ControlOrder>(
        "PATCH",
        `/_emulator/shops/${enc(shop)}/orders/${enc(String(id))}${silentQuery(opts.silent)}`,
        patch,
      ),

    /** Refunds an order (fully with `full`, or some lines and shipping), dated `createdAt`. */
    refundOrder: (shop: string, id: string | number, refund: RefundWrite, opts: { silent?: boolean } = {}) =>
      call<{ id: number; admin_graphql_api_id: string; [key: string]: unknown }>(
        "POST",
        `/_emulator/shops/${enc(shop)}/orders/${enc(String(id))}/refunds${silentQuery(opts.silent)}`,
        refund,
      ),

    /** The shop's Admin GraphQL requests that ran, oldest first; `rootField` keeps those that ran it. */
    requestLog: (shop: string, filter: { rootField?: string; since?: number } = {}) => {
      const q = new URLSearchParams();
      if (filter.rootField) q.set("rootField", filter.rootField);
      if (filter.since !== undefined) q.set("since", String(filter.since));
      return call<RequestLogEntry[]>("GET", `/_emulator/shops/${enc(shop)}/requests?${q}`);
    },

    stats: (shop?: string) =>
      call<Stats & { throttleStatus?: ThrottleStatus }>("GET", `/_emulator/stats${shop ? `?shop=${enc(shop)}` : ""}`),

    webhookLog: (filter: { shop?: string; topic?: string; webhookId?: string; limit?: number } = {}) => {
      const q = new URLSearchParams(
        Object.entries(filter)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      return call<WebhookLog>("GET", `/_emulator/webhooks${q.size ? `?${q}` : ""}`);
    },
    /** Queue a webhook for any topic; without payload Shopify's documented default for the topic is used. */
    triggerWebhook: (shop: string, topic: string, payload?: unknown) =>
      call<{ webhookIds: string[]; eventId: string | null }>(
        "POST",
        `/_emulator/shops/${enc(shop)}/webhooks/${topic}`,
        payload === undefined ? {} : { payload },
      ),
    redeliverWebhook: (webhookId: string) =>
      call<{ webhookId: string; state: string }>("POST", `/_emulator/webhooks/${enc(webhookId)}/redeliver`),
    pauseWebhooks: () => call<{ paused: boolean }>("POST", "/_emulator/webhooks/pause"),
    resumeWebhooks: () => call<{ paused: boolean }>("POST", "/_emulator/webhooks/resume"),
    waitForWebhooks: (timeoutMs = 10_000) =>
      call<{ idle: boolean; pending: number }>("POST", `/_emulator/webhooks/wait-idle?timeoutMs=${timeoutMs}`),
    getWebhookSubscriptions: () => call<WebhookSubscription[]>("GET", "/_emulator/webhooks/subscriptions"),
    setWebhookSubscriptions: (subscriptions: WebhookSubscription[]) =>
      call<WebhookSubscription[]>("PUT", "/_emulator/webhooks/subscriptions", { subscriptions }),

    setFaults: (input: FaultsInput) => call<Record<string, unknown>>("POST", "/_emulator/faults", input),
    clearFaults: () => call<{ ok: boolean }>("DELETE", "/_emulator/faults"),

    sessionToken: async (shop: string, apiKey?: string) =>
      (
        await call<{ token: string }>(
          "GET",
          `/_emulator/session-token?shop=${enc(shop)}${apiKey ? `&apiKey=${enc(apiKey)}` : ""}`,
        )
      ).token,

    // ---------------------------------------------------------------- translations (online-store.ts)
    createCollection: (shop: string, input: CollectionWrite, opts: { silent?: boolean } = {}) =>
      call<ControlTranslatable & { handle: string }>(
        "POST",
        `/_emulator/shops/${enc(shop)}/collections${silentQuery(opts.silent)}`,
        input,
      ),
    updateCollection: (shop: string, id: string, patch: CollectionWrite, opts: { silent?: boolean } = {}) =>
      call<ControlTranslatable & { handle: string }>(
        "PATCH",
        `/_emulator/shops/${enc(shop)}/collections/${enc(id)}${silentQuery(opts.silent)}`,
        patch,
      ),
    deleteCollection: (shop: string, id: string, opts: { silent?: boolean } = {}) =>
      call<{ deletedId: string }>(
        "DELETE",
        `/_emulator/shops/${enc(shop)}/collections/${enc(id)}${silentQuery(opts.silent)}`,
      ),
    createPage: (shop: string, input: PageWrite) =>
      call<ControlTranslatable & { handle: string }>("POST", `/_emulator/shops/${enc(shop)}/pages`, input),
    updatePage: (shop: string, id: string, patch: PageWrite) =>
      call<ControlTranslatable & { handle: string }>("PATCH", `/_emulator/shops/${enc(shop)}/pages/${enc(id)}`, patch),
    deletePage: (shop: string, id: string) =>
      call<{ deletedId: string }>("DELETE", `/_emulator/shops/${enc(shop)}/pages/${enc(id)}`),
    /** Creates or replaces the shop's policy of this type. */
    setPolicy: (shop: string, type: ShopPolicyType, input: PolicyWrite) =>
      call<ControlTranslatable & { type: ShopPolicyType }>(
        "PUT",
        `/_emulator/shops/${enc(shop)}/policies/${type}`,
        input,
      ),
    deletePolicy: (shop: string, type: ShopPolicyType) =>
      call<{ ok: boolean }>("DELETE", `/_emulator/shops/${enc(shop)}/policies/${type}`),
    /** Adds a locale or (un)publishes it: locales/create or locales/update, unless silent. */
    setLocale: (shop: string, locale: string, published: boolean, opts: { silent?: boolean } = {}) =>
      call<{ locale: string; published: boolean; created: boolean }>(
        "PUT",
        `/_emulator/shops/${enc(shop)}/locales/${enc(locale)}${silentQuery(opts.silent)}`,
        { published },
      ),
    /** A translatable resource's content with digests and every translation it holds (all locales). */
    translations: (shop: string, resourceId: string) =>
      call<ControlTranslatable>("GET", `/_emulator/shops/${enc(shop)}/translations/${enc(resourceId)}`),

    /** Raw Admin GraphQL call, as the app would make it. */
    // ---- storefront (storefront.ts) ----
    /** The app embed in the shop's theme: on/off and block settings. */
    setStorefrontEmbed: (shop: string, input: { enabled?: boolean; settings?: Record<string, unknown> }) =>
      call<{ storefrontUrl: string }>("PUT", `/_emulator/shops/${enc(shop)}/storefront/embed`, input),
    /** Logs a customer in on the storefront: opening loginUrl sets the login cookie on the shop's host. */
    storefrontLogin: (shop: string, input: { email: string; firstName?: string; lastName?: string }) =>
      call<{ customerId: string; loginUrl: string }>("POST", `/_emulator/shops/${enc(shop)}/storefront/login`, input),
    getCart: (shop: string, token: string) =>
      call<{ token: string; attributes: Record<string, string> }>(
        "GET",
        `/_emulator/shops/${enc(shop)}/carts/${token}`,
      ),
    /** Checkout: an order from the cart; its attributes become the order's note_attributes. */
    checkoutCart: (shop: string, token: string, order: Record<string, unknown> = {}) =>
      call<{ id: number; note_attributes: Array<{ name: string; value: string }> } & Record<string, unknown>>(
        "POST",
        `/_emulator/shops/${enc(shop)}/carts/${token}/orders`,
        order,
      ),
    getOrderPayload: (shop: string, id: string) =>
      call<Record<string, unknown>>("GET", `/_emulator/shops/${enc(shop)}/orders/${enc(id)}`),
    graphql: async <T = Record<string, unknown>>(
      accessToken: string,
      query: string,
      variables?: Record<string, unknown>,
      version = "2026-10",
    ) => {
      const res = await fetch(`${base}/admin/api/${version}/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResponse<T> };
    },
  };
}

export type EmulatorControl = ReturnType<typeof emulatorControl>;
