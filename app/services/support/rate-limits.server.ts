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
/**
 * Failed guest lookups of one order name, from every visitor together, per 15 minutes. A visitor
 * can drop their token to reset their own count, so guessing the email of a known order name
 * from many identities is stopped here instead.
 */
const ORDER_NAME_FAILURES_ALLOWED = 10;
const ORDER_FAILURE_WINDOW_SECONDS = 15 * 60;

const orderFailureKey = (shop: string, visitorKey: string) => `storewise:support:order-failures:${shop}:${visitorKey}`;
const orderNameFailureKey = (shop: string, orderName: string) =>
  `storewise:support:order-name-failures:${shop}:${orderName.replace(/[^0-9A-Za-z]/g, "").toLowerCase()}`;

/**
 * Whether the order step stops trying for this lookup: the visitor failed too often, or (for a
 * guest naming an order) that order name was failed too often across visitors.
 */
export async function orderLookupsThrottled(
  redis: Redis,
  shop: string,
  visitorKey: string,
  orderName: string | null = null,
): Promise<boolean> {
  const keys = [orderFailureKey(shop, visitorKey), ...(orderName ? [orderNameFailureKey(shop, orderName)] : [])];
  const counts = await redis.mget(...keys);
  if (Number(counts[0] ?? 0) >= ORDER_FAILURES_ALLOWED) return true;
  return orderName !== null && Number(counts[1] ?? 0) >= ORDER_NAME_FAILURES_ALLOWED;
}

export async function recordFailedOrderLookup(
  redis: Redis,
  shop: string,
  visitorKey: string,
  orderName: string | null = null,
): Promise<void> {
  const key = orderFailureKey(shop, visitorKey);
  const multi = redis.multi().incr(key).expire(key, ORDER_FAILURE_WINDOW_SECONDS, "NX");
  if (orderName) {
    const nameKey = orderNameFailureKey(shop, orderName);
    multi.incr(nameKey).expire(nameKey, ORDER_FAILURE_WINDOW_SECONDS, "NX");
  }
  await multi.exec();
}
