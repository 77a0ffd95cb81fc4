import type { Redis } from "ioredis";

export type RateLimitVerdict =
  { limited: false } | { limited: true; scope: "visitor" | "shop"; retryAfterSeconds: number };

/**
 * Chat messages per minute, per visitor and per shop: fixed one-minute windows counted in Redis,
 * shared by every web process. Every request counts, refused ones too, so hammering does not reset
 * anything. The shop's limit protects its LLM spend from one busy (or hostile) storefront.
 */
export async function checkChatRate(options: {
  redis: Redis;
  shop: string;
  visitorKey: string;
  visitorPerMinute: number;
  shopPerMinute: number;
  now?: number;
}): Promise<RateLimitVerdict> {
  const now = options.now ?? Date.now();
  const window = Math.floor(now / 60_000);
  const visitorKey = `storewise:support:rate:visitor:${options.shop}:${options.visitorKey}:${window}`;
  const shopKey = `storewise:support:rate:shop:${options.shop}:${window}`;
  const results = await options.redis
    .multi()
    .incr(visitorKey)
    .expire(visitorKey, 120)
    .incr(shopKey)
    .expire(shopKey, 120)
    .exec();
  const visitorCount = Number(results?.[0]?.[1] ?? 0);
  const shopCount = Number(results?.[2]?.[1] ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
  if (visitorCount > options.visitorPerMinute) return { limited: true, scope: "visitor", retryAfterSeconds };
  if (shopCount > options.shopPerMinute) return { limited: true, scope: "shop", retryAfterSeconds };
  return { limited: false };
}

/** Failed order lookups a visitor may make per 15 minutes before the order step stops trying. */
const ORDER_FAILURES_ALLOWED = 5;
const ORDER_FAILURE_WINDOW_SECONDS = 15 * 60;

const orderFailureKey = (shop: string, visitorKey: string) => `storewise:support:order-failures:${shop}:${visitorKey}`;

export async function orderLookupsThrottled(redis: Redis, shop: string, visitorKey: string): Promise<boolean> {
  return Number((await redis.get(orderFailureKey(shop, visitorKey))) ?? 0) >= ORDER_FAILURES_ALLOWED;
}

export async function recordFailedOrderLookup(redis: Redis, shop: string, visitorKey: string): Promise<void> {
  const key = orderFailureKey(shop, visitorKey);
  await redis.multi().incr(key).expire(key, ORDER_FAILURE_WINDOW_SECONDS, "NX").exec();
}

/**
 * Failed guest lookups of one order name per 15 minutes, whoever makes them: a visitor can get a
 * new identity at will, so the per-visitor count alone does not stop guessing one order's email.
 * Counted for names that exist and names that do not alike, so being throttled reveals nothing.
 */
const ORDER_NAME_FAILURES_ALLOWED = 10;

const orderNameFailureKey = (shop: string, orderName: string) =>
  `storewise:support:order-name-failures:${shop}:${orderName.toLowerCase()}`;

export async function orderNameLookupsThrottled(redis: Redis, shop: string, orderName: string): Promise<boolean> {
  return Number((await redis.get(orderNameFailureKey(shop, orderName))) ?? 0) >= ORDER_NAME_FAILURES_ALLOWED;
}

export async function recordFailedOrderNameLookup(redis: Redis, shop: string, orderName: string): Promise<void> {
  const key = orderNameFailureKey(shop, orderName);
  await redis.multi().incr(key).expire(key, ORDER_FAILURE_WINDOW_SECONDS, "NX").exec();
}
