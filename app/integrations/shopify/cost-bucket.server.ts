import type { Redis } from "ioredis";

import { whenReady } from "~/lib/redis.server";

/**
 * A mirror of Shopify's per-app-per-store leaky bucket, kept in Redis so every web and worker
 * process draws from the same budget. Reservations may drive the balance below zero: each caller
 * is told how long to wait for its turn, which queues concurrent callers fairly instead of letting
 * them all fire into a THROTTLED answer. Redis TIME keeps every process on one clock.
 */
const RESERVE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local cost = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'avail', 'max', 'rate', 'ts')
local max = tonumber(state[2]) or tonumber(ARGV[3])
local rate = tonumber(state[3]) or tonumber(ARGV[4])
local avail = tonumber(state[1]) or max
local ts = tonumber(state[4]) or nowMs
avail = math.min(max, avail + (nowMs - ts) * rate / 1000)
local after = avail - cost
local wait = 0
if after < 0 then wait = math.ceil(-after * 1000 / rate) end
if wait > maxWait then
  redis.call('HSET', KEYS[1], 'avail', tostring(avail), 'max', max, 'rate', rate, 'ts', nowMs)
  return -wait
end
redis.call('HSET', KEYS[1], 'avail', tostring(after), 'max', max, 'rate', rate, 'ts', nowMs)
redis.call('PEXPIRE', KEYS[1], 3600000)
return wait
`;

// Refund what was reserved but not spent, learn the plan, and never believe we have more than
// Shopify says (the server's figure already counts this request; ours also counts other in-flight ones).
const SETTLE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local refund = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'avail', 'max', 'rate', 'ts')
local max = tonumber(ARGV[3]) or tonumber(state[2]) or 0
local rate = tonumber(ARGV[4]) or tonumber(state[3]) or 1
local avail = tonumber(state[1]) or max
local ts = tonumber(state[4]) or nowMs
avail = math.min(max, avail + (nowMs - ts) * rate / 1000 + refund)
if ARGV[2] ~= '' then avail = math.min(avail, tonumber(ARGV[2])) end
redis.call('HSET', KEYS[1], 'avail', tostring(avail), 'max', max, 'rate', rate, 'ts', nowMs)
redis.call('PEXPIRE', KEYS[1], 3600000)
return tostring(avail)
`;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostBucket {
  /** Reserves `cost` points; resolves to the ms to wait before sending, or throws past `maxWaitMs`. */
  reserve(shop: string, cost: number, maxWaitMs: number): Promise<number>;
  settle(shop: string, settlement: { refund: number; status?: ThrottleStatus }): Promise<void>;
}

export class BudgetExceededError extends Error {
  override name = "BudgetExceededError";
  constructor(readonly retryInMs: number) {
    super(`cost budget exhausted; next slot in ${retryInMs} ms`);
  }
}

/** Until the first answer tells us the plan, assume the smallest bucket so we cannot overshoot. */
const UNKNOWN_PLAN = { maximumAvailable: 100, restoreRate: 50 };

export function redisCostBucket(redis: () => Redis, prefix = "storewise:admin-bucket"): CostBucket {
  const key = (shop: string) => `${prefix}:${shop}`;
  return {
    async reserve(shop, cost, maxWaitMs) {
      const result = Number(
        await (
          await whenReady(redis())
        ).eval(RESERVE, 1, key(shop), cost, maxWaitMs, UNKNOWN_PLAN.maximumAvailable, UNKNOWN_PLAN.restoreRate),
      );
      if (result < 0) throw new BudgetExceededError(-result);
      return result;
    },
    async settle(shop, { refund, status }) {
      await (
        await whenReady(redis())
      ).eval(
        SETTLE,
        1,
        key(shop),
        refund,
        status ? status.currentlyAvailable : "",
        status ? status.maximumAvailable : "",
        status ? status.restoreRate : "",
      );
    },
  };
}
