// In-memory model of the Shopify shops the emulator serves. Everything is synchronous and
// plain data so GraphQL resolvers, the control API and in-process tests share one truth.
import { LeakyBucket, PLAN_LIMITS, type ShopPlan } from "./bucket";

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";
export type WriteSource = "graphql" | "control";

export interface ShopLocaleRecord {
  locale: string;
  name: string;
  primary: boolean;
  published: boolean;
}

export interface MetafieldRecord {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface VariantRecord {
  id: number;
  inventoryItemId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  inventoryQuantity: number;
  selectedOptions: Array<{ name: string; value: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface OptionRecord {
  id: number;
  name: string;
  position: number;
  values: Array<{ id: number; name: string }>;
}

export interface ImageRecord {
  /** MediaImage id (media API). */
  id: number;
  /** ProductImage id (legacy images API / REST payloads). */
  imageId: number;
  url: string;
  altText: string | null;
  width: number;
  height: number;
  createdAt: string;
}

export interface CollectionRecord {
  id: number;
  title: string;
  handle: string;
  /** Stored as Shopify stores it (stored-html.ts). */
  descriptionHtml: string;
  seo: { title: string | null; description: string | null };
  updatedAt: string;
}

/** An online-store page (https://shopify.dev/docs/api/admin-graphql/latest/objects/Page). */
export interface PageRecord {
  id: number;
  title: string;
  handle: string;
  bodyHtml: string;
  seo: { title: string | null; description: string | null };
  createdAt: string;
  updatedAt: string;
}

/** https://shopify.dev/docs/api/admin-graphql/latest/enums/ShopPolicyType */
export type ShopPolicyType =
  | "CONTACT_INFORMATION"
  | "LEGAL_NOTICE"
  | "PRIVACY_POLICY"
  | "REFUND_POLICY"
  | "SHIPPING_POLICY"
  | "SUBSCRIPTION_POLICY"
  | "TERMS_OF_SALE"
  | "TERMS_OF_SERVICE";

/** A legal policy (https://shopify.dev/docs/api/admin-graphql/latest/objects/ShopPolicy): one per type. */
export interface PolicyRecord {
  id: number;
  type: ShopPolicyType;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface TranslationRecord {
  locale: string;
  key: string;
  value: string;
  /** Digest of the source content the translation was registered against (drives `outdated`). */
  sourceDigest: string;
  updatedAt: string;
}

export interface WriteRecord {
  at: string;
  source: WriteSource;
  operation: string;
  fields: string[];
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  descriptionHtml: string;
  seo: { title: string | null; description: string | null };
  templateSuffix: string | null;
  options: OptionRecord[];
  variants: VariantRecord[];
  images: ImageRecord[];
  metafields: MetafieldRecord[];
  collections: CollectionRecord[];
  /** key = `${locale}\u0000${key}` */
  translations: Map<string, TranslationRecord>;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  history: WriteRecord[];
}

/** Whether some variant of the product has this option value (ProductOptionValue.hasVariants). */
export function optionValueHasVariants(product: ProductRecord, option: string, value: string): boolean {
  return product.variants.some((v) => v.selectedOptions.some((o) => o.name === option && o.value === value));
}

/** A billing, shipping or customer address (REST `*_address`, GraphQL MailingAddress). */
export interface AddressRecord {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface CustomerRecord {
  id: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  defaultAddress: AddressRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface ShippingLineRecord {
  id: number;
  title: string;
  code: string;
  source: string;
  price: string;
}

export interface DiscountCodeRecord {
  code: string;
  /** Money amount taken off the order (REST discount_codes[].amount). */
  amount: string;
  type: "fixed_amount" | "percentage" | "shipping";
}

export interface TaxLineRecord {
  title: string;
  /** Fraction, e.g. 0.2 for 20 %. */
  rate: number;
  price: string;
}

export interface LineItemRecord {
  id: number;
  title: string;
  quantity: number;
  sku: string | null;
  price: string;
  productId: number | null;
  variantId: number | null;
  vendor: string | null;
}

export interface FulfillmentRecord {
  id: number;
  status: "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE" | "OPEN" | "PENDING";
  trackingInfo: Array<{ number: string | null; url: string | null; company: string | null }>;
  /** The shipping service (REST `service`), "manual" for a merchant-fulfilled shipment. */
  service: string;
  createdAt: string;
  updatedAt: string;
}

/** A refunded line: which line item, how many, and the money returned for it (before tax). */
export interface RefundLineRecord {
  id: number;
  lineItemId: number;
  quantity: number;
  subtotal: string;
  totalTax: string;
}

/**
 * Money returned to the buyer (https://shopify.dev/docs/api/admin-graphql/latest/objects/Refund):
 * refunded lines, refunded shipping and one refund transaction for the total.
 */
export interface RefundRecord {
  id: number;
  createdAt: string;
  note: string | null;
  lines: RefundLineRecord[];
  shipping: string;
  /** What the buyer got back: the lines' subtotal and tax, plus shipping. */
  total: string;
  transactionId: number;
}

export type FinancialStatus =
  "AUTHORIZED" | "EXPIRED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "VOIDED";
export type FulfillmentStatus =
  "FULFILLED" | "UNFULFILLED" | "PARTIALLY_FULFILLED" | "IN_PROGRESS" | "ON_HOLD" | "OPEN";

export interface OrderRecord {
  id: number;
  number: number;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  currency: string;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  subtotalPrice: string;
  totalTax: string;
  totalDiscounts: string;
  totalShipping: string;
  totalPrice: string;
  tags: string[];
  note: string | null;
  /** Cart attributes carried into the order at checkout (storefront.ts). */
  noteAttributes: Array<{ name: string; value: string }>;
  test: boolean;
  customer: CustomerRecord | null;
  /** The locale the buyer checked out in (REST customer_locale, GraphQL customerLocale). */
  customerLocale: string | null;
  billingAddress: AddressRecord | null;
  shippingAddress: AddressRecord | null;
  shippingLines: ShippingLineRecord[];
  discountCodes: DiscountCodeRecord[];
  taxLines: TaxLineRecord[];
  /** Secret part of the order status page URL. */
  token: string;
  lineItems: LineItemRecord[];
  fulfillments: FulfillmentRecord[];
  refunds: RefundRecord[];
  /**
   * The currency the buyer paid in and how many of it one unit of the shop's currency buys
   * (presentment_money = shop_money × rate); the shop's currency and 1 by default.
   */
  presentmentCurrency: string;
  presentmentRate: number;
}

/**
 * Which protected customer data the app is approved for on this shop
 * (https://shopify.dev/docs/apps/launch/protected-customer-data): "none" (level 0: no customer
 * data, so no Order or Customer objects and no order webhooks), "level1" (customer data without
 * the name, address, email and phone fields) or "level2" (those fields too).
 */
export type CustomerDataAccess = "none" | "level1" | "level2";
export const CUSTOMER_DATA_ACCESS: readonly CustomerDataAccess[] = ["none", "level1", "level2"];

export type BulkStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

export interface BulkOperationRecord {
  id: number;
  shop: string;
  type: "QUERY" | "MUTATION";
  query: string;
  status: BulkStatus;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** JSONL result, served from /_emulator/bulk/<id>.jsonl */
  jsonl: string | null;
}

export interface Stats {
  requests: number;
  /** Root fields run, per name: an aliased field counts once per alias. */
  operations: Record<string, number>;
  /** Requests that ran each root field at least once: a request of five aliases counts once. */
  requestsWith: Record<string, number>;
  pointsSpent: number;
  throttled: number;
  validationErrors: number;
  maxCostExceeded: number;
  accessDenied: number;
  unauthorized: number;
  /** Requests refused because the shop is frozen (402) or locked (423). */
  shopUnavailable: number;
  faultsInjected: number;
  tokenExchanges: number;
  tokenRefreshes: number;
  webhooks: { delivered: number; failed: number; attempts: number };
}

export interface Faults {
  /** The next n GraphQL requests answer with a 5xx. */
  graphql5xx: number;
  /** Status used for injected 5xx answers. */
  status5xx: 500 | 502 | 503 | 504;
  /** The next n GraphQL requests are THROTTLED regardless of the bucket. */
  throttleNext: number;
  /** The next n GraphQL requests are refused with HTTP 429 Too Many Requests and `Retry-After`. */
  http429Next: number;
  /** Retry-After (seconds) sent with those 429s. */
  retryAfterSeconds: number;
  /** Extra latency added to every GraphQL request. */
  latencyMs: number;
  /**
   * Extra time a request spends before running a given root field (e.g. productUpdate), after it
   * has passed the rate limit. The field still runs when the client has given up meanwhile: a
   * server does not notice a closed connection until it answers, so a write the client timed out
   * on may land later (shopify.dev/docs/api/usage/limits: the API gives no cancel; a client
   * timeout says nothing about whether a mutation was applied).
   */
  operationLatencyMs: Record<string, number>;
}

export interface TokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scopes: string[];
  /** epoch ms, null = never expires */
  expiresAt: number | null;
  refreshToken: string | null;
  createdAt: number;
}

export interface RefreshTokenRecord {
  token: string;
  shop: string;
  accessToken: string;
  expiresAt: number;
}

/**
 * A shop's account state as the Admin API sees it (shopify.dev/docs/api/usage/response-codes):
 * "frozen" (unpaid: 402 Payment Required) and "locked" (423 Locked) refuse every Admin API call.
 */
export type ShopState = "active" | "frozen" | "locked";
export const SHOP_STATES: readonly ShopState[] = ["active", "frozen", "locked"];

export interface ShopRecord {
  id: number;
  domain: string;
  name: string;
  email: string;
  contactEmail: string;
  currencyCode: string;
  ianaTimezone: string;
  plan: ShopPlan;
  scopes: string[];
  locales: ShopLocaleRecord[];
  bucket: LeakyBucket;
  products: Map<number, ProductRecord>;
  orders: Map<number, OrderRecord>;
  /** Customers referenced by orders, keyed by lower-cased email so repeat buyers keep their id. */
  customers: Map<string, CustomerRecord>;
  bulkOperations: Map<number, BulkOperationRecord>;
  /** Every collection of the shop, whether made with a product or through the control API. */
  collections: Map<number, CollectionRecord>;
  pages: Map<number, PageRecord>;
  policies: Map<number, PolicyRecord>;
  /**
   * Translations of every translatable resource but products (which keep theirs), keyed by the
   * resource's GID, then by `${locale}\u0000${key}` (translations.ts).
   */
  translations: Map<string, Map<string, TranslationRecord>>;
  nextOrderNumber: number;
  createdAt: string;
  stats: Stats;
  faults: Faults;
  installed: boolean;
  state: ShopState;
  /** Protected customer data approval; "level2" unless a test sets it (the app's spec asks for level 2). */
  customerDataAccess: CustomerDataAccess;
  /** The shop's Admin GraphQL requests that ran, newest last (the last REQUEST_LOG_LIMIT). */
  requestLog: RequestLogEntry[];
}

/** One translationsRegister field of a request (one per alias), and what it did. */
export interface RegisterLogEntry {
  /** The response key: the alias, or "translationsRegister". */
  alias: string;
  resourceId: string;
  /** The product the resource belongs to (itself, or the owner of a nested option, value, image, metafield). */
  productId: string | null;
  /** `${locale}.${key}` of every translation sent. */
  translations: string[];
  /** Codes of the userErrors answered (empty: stored). */
  userErrors: string[];
}

/** One Admin GraphQL request that ran (not one refused before execution: throttled, invalid, 5xx). */
export interface RequestLogEntry {
  seq: number;
  at: string;
  /** Root fields in document order, one per alias (two aliases of one field appear twice). */
  rootFields: string[];
  translationsRegister: RegisterLogEntry[];
}

export const REQUEST_LOG_LIMIT = 50_000;

export interface ShopInput {
  shop: string;
  accessToken?: string;
  scopes?: string[] | string;
  plan?: ShopPlan;
  restoreRate?: number;
  bucketSize?: number;
  locales?: Array<{ locale: string; primary?: boolean; published?: boolean; name?: string }>;
  name?: string;
  email?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  customerDataAccess?: CustomerDataAccess;
  /** Seeded with the shop by the control API (online-store.ts); ignored by upsertShop itself. */
  collections?: Array<{ title?: string; handle?: string; descriptionHtml?: string; seo?: SeoFields }>;
  pages?: Array<{ title?: string; handle?: string; body?: string; seo?: SeoFields }>;
  policies?: Array<{ type: ShopPolicyType; title?: string; body?: string }>;
}

interface SeoFields {
  title?: string | null;
  description?: string | null;
}

export interface WebhookEvent {
  shop: string;
  topic: string;
  /** REST-shaped payload, snapshotted when the event happened. */
  payload: unknown;
}

export const DEFAULT_SCOPES = [
  "read_products",
  "write_products",
  "read_orders",
  "read_translations",
  "write_translations",
  "read_locales",
  "read_customers",
];

const LOCALE_NAMES: Record<string, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
  it: "Italian",
  nl: "Dutch",
  ja: "Japanese",
  "pt-BR": "Portuguese (Brazil)",
  "pt-PT": "Portuguese (Portugal)",
  sv: "Swedish",
  da: "Danish",
  pl: "Polish",
  "zh-CN": "Chinese (Simplified)",
};

export function emptyStats(): Stats {
  return {
    requests: 0,
    operations: {},
    requestsWith: {},
    pointsSpent: 0,
    throttled: 0,
    validationErrors: 0,
    maxCostExceeded: 0,
    accessDenied: 0,
    unauthorized: 0,
    shopUnavailable: 0,
    faultsInjected: 0,
    tokenExchanges: 0,
    tokenRefreshes: 0,
    webhooks: { delivered: 0, failed: 0, attempts: 0 },
  };
}

export function emptyFaults(): Faults {
  return {
    graphql5xx: 0,
    status5xx: 503,
    throttleNext: 0,
    http429Next: 0,
    retryAfterSeconds: 2,
    latencyMs: 0,
    operationLatencyMs: {},
  };
}

/** Shopify DateTime scalars carry whole seconds: 2024-01-01T00:00:00Z */
export function isoNow(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function normalizeShopDomain(shop: string): string {
  const s = shop
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "");
  return s.includes(".") ? s : `${s}.myshopify.com`;
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses `gid://shopify/Product/123` (or a bare number) into its type and numeric id. */
export function parseGid(value: unknown): { type: string; id: number } | null {
  if (typeof value === "number" && Number.isFinite(value)) return { type: "", id: value };
  if (typeof value !== "string") return null;
  if (/^\d+$/.test(value)) return { type: "", id: Number(value) };
  const m = /^gid:\/\/shopify\/(\w+)\/(\d+)(?:\?.*)?$/.exec(value);
  return m ? { type: m[1] as string, id: Number(m[2]) } : null;
}

export interface StateOptions {
  defaultRestoreRate?: number;
  defaultBucketSize?: number;
  defaultScopes?: string[];
}

export class EmulatorState {
  readonly shops = new Map<string, ShopRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly stats: Stats = emptyStats();
  readonly faults: Faults = emptyFaults();
  /** Global id sequence: ids are unique across shops and resource types, like Shopify's. */
  private seq = 1_000_000_000_000;
  private listeners: Array<(e: WebhookEvent) => void> = [];

  constructor(private readonly options: StateOptions = {}) {}

  nextId(): number {
    return ++this.seq;
  }

  onEvent(listener: (e: WebhookEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(shop: string, topic: string, payload: unknown): void {
    for (const l of this.listeners) l({ shop, topic, payload });
  }

  reset(): void {
    this.shops.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    Object.assign(this.stats, emptyStats());
    Object.assign(this.faults, emptyFaults());
  }

  get defaultScopes(): string[] {
    return this.options.defaultScopes ?? DEFAULT_SCOPES;
  }

  getShop(domain: string): ShopRecord | undefined {
    return this.shops.get(normalizeShopDomain(domain));
  }

  requireShop(domain: string): ShopRecord {
    const shop = this.getShop(domain);
    if (!shop) throw new NotFoundError(`Unknown shop ${domain}`);
    return shop;
  }

  /** Idempotent: creates the shop or updates the given settings of an existing one. */
  upsertShop(input: ShopInput): ShopRecord {
    const domain = normalizeShopDomain(input.shop);
    const handle = domain.replace(/\.myshopify\.com$/, "");
    let shop = this.shops.get(domain);
    const plan = input.plan ?? shop?.plan ?? "standard";
    const limits = PLAN_LIMITS[plan];
    const bucketSize =
      input.bucketSize ?? (input.plan ? undefined : this.options.defaultBucketSize) ?? limits.bucketSize;
    const restoreRate =
      input.restoreRate ?? (input.plan ? undefined : this.options.defaultRestoreRate) ?? limits.restoreRate;
    if (!shop) {
      shop = {
        id: this.nextId(),
        domain,
        name: input.name ?? handle,
        email: input.email ?? `owner@${domain}`,
        contactEmail: input.email ?? `owner@${domain}`,
        currencyCode: input.currencyCode ?? "USD",
        ianaTimezone: input.ianaTimezone ?? "UTC",
        plan,
        scopes: [...this.defaultScopes],
        locales: [{ locale: "en", name: "English", primary: true, published: true }],
        bucket: new LeakyBucket(bucketSize, restoreRate),
        products: new Map(),
        orders: new Map(),
        customers: new Map(),
        bulkOperations: new Map(),
        collections: new Map(),
        pages: new Map(),
        policies: new Map(),
        translations: new Map(),
        nextOrderNumber: 1001,
        createdAt: isoNow(),
        stats: emptyStats(),
        faults: emptyFaults(),
        installed: true,
        state: "active",
        customerDataAccess: input.customerDataAccess ?? "level2",
        requestLog: [],
      };
      this.shops.set(domain, shop);
    } else {
      if (input.name) shop.name = input.name;
      if (input.email) shop.email = shop.contactEmail = input.email;
      if (input.currencyCode) shop.currencyCode = input.currencyCode;
      if (input.ianaTimezone) shop.ianaTimezone = input.ianaTimezone;
      if (input.customerDataAccess) shop.customerDataAccess = input.customerDataAccess;
      shop.plan = plan;
      if (input.plan || input.bucketSize !== undefined || input.restoreRate !== undefined) {
        shop.bucket.reconfigure(
          input.bucketSize ?? (input.plan ? limits.bucketSize : shop.bucket.maximumAvailable),
          input.restoreRate ?? (input.plan ? limits.restoreRate : shop.bucket.restoreRate),
        );
      }
    }
    if (input.scopes) {
      shop.scopes = Array.isArray(input.scopes)
        ? input.scopes
        : input.scopes
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    }
    if (input.locales?.length) {
      const locales = input.locales.map((l) => ({
        locale: l.locale,
        name: l.name ?? LOCALE_NAMES[l.locale] ?? l.locale,
        primary: Boolean(l.primary),
        published: l.published ?? true,
      }));
      if (!locales.some((l) => l.primary)) (locales[0] as ShopLocaleRecord).primary = true;
      // The primary locale is always published on Shopify.
      for (const l of locales) if (l.primary) l.published = true;
      shop.locales = locales;
    }
    if (input.accessToken) this.registerToken({ shop: domain, token: input.accessToken });
    return shop;
  }

  registerToken(input: {
    shop: string;
    token: string;
    kind?: "offline" | "online";
    scopes?: string[];
    expiresInSec?: number | null;
    refreshToken?: string | null;
    refreshTokenExpiresInSec?: number;
  }): TokenRecord {
    const shop = this.requireShop(input.shop);
    const now = Date.now();
    const record: TokenRecord = {
      token: input.token,
      shop: shop.domain,
      kind: input.kind ?? "offline",
      scopes: input.scopes ?? shop.scopes,
      expiresAt:
        input.expiresInSec === undefined || input.expiresInSec === null ? null : now + input.expiresInSec * 1000,
      refreshToken: input.refreshToken ?? null,
      createdAt: now,
    };
    this.tokens.set(record.token, record);
    if (record.refreshToken) {
      this.refreshTokens.set(record.refreshToken, {
        token: record.refreshToken,
        shop: shop.domain,
        accessToken: record.token,
        expiresAt: now + (input.refreshTokenExpiresInSec ?? 90 * 24 * 3600) * 1000,
      });
    }
    return record;
  }

  revokeToken(token: string): void {
    const record = this.tokens.get(token);
    this.tokens.delete(token);
    if (record?.refreshToken) this.refreshTokens.delete(record.refreshToken);
  }

  revokeShopTokens(domain: string): void {
    for (const [t, r] of this.tokens) if (r.shop === domain) this.revokeToken(t);
  }

  /** The shop an Admin API access token belongs to, or why it is refused. */
  resolveToken(token: string | undefined): { ok: true; record: TokenRecord; shop: ShopRecord } | { ok: false } {
    if (!token) return { ok: false };
    const record = this.tokens.get(token);
    if (!record) return { ok: false };
    if (record.expiresAt !== null && record.expiresAt <= Date.now()) return { ok: false };
    const shop = this.shops.get(record.shop);
    if (!shop) return { ok: false };
    return { ok: true, record, shop };
  }

  countRequestWith(shop: ShopRecord, name: string): void {
    shop.stats.requestsWith[name] = (shop.stats.requestsWith[name] ?? 0) + 1;
    this.stats.requestsWith[name] = (this.stats.requestsWith[name] ?? 0) + 1;
  }

  /** Appends a request to the shop's log, dropping the oldest past REQUEST_LOG_LIMIT. */
  logRequest(shop: ShopRecord, entry: Omit<RequestLogEntry, "seq" | "at">): void {
    shop.requestLog.push({ seq: ++this.requestSeq, at: isoNow(), ...entry });
    if (shop.requestLog.length > REQUEST_LOG_LIMIT)
      shop.requestLog.splice(0, shop.requestLog.length - REQUEST_LOG_LIMIT);
  }
  private requestSeq = 0;

  countOperation(shop: ShopRecord, name: string): void {
    shop.stats.operations[name] = (shop.stats.operations[name] ?? 0) + 1;
    this.stats.operations[name] = (this.stats.operations[name] ?? 0) + 1;
  }

  /** Increment a numeric stat on the shop and globally. */
  bump(
    shop: ShopRecord | undefined,
    key: Exclude<keyof Stats, "operations" | "requestsWith" | "webhooks">,
    by = 1,
  ): void {
    this.stats[key] += by;
    if (shop) shop.stats[key] += by;
  }

  bumpWebhook(domain: string, key: keyof Stats["webhooks"]): void {
    this.stats.webhooks[key]++;
    const shop = this.shops.get(domain);
    if (shop) shop.stats.webhooks[key]++;
  }
}

export class NotFoundError extends Error {}
