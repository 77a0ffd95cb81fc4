import type { Redis } from "ioredis";

import { whenReady } from "~/lib/redis.server";

/**
 * A mirror of Shopify's per-app-per-store leaky bucket, kept in Redis so every web and worker
 * process draws from the same budget. Reservations may drive the balance below zero: each caller
 * is told how long to wait for its turn, which queues concurrent callers fairly instead of letting
 * them all fire into a THROTTLED answer. Redis TIME keeps every process on one clock.
 *
 * Hash fields: avail, max, rate, ts (last update, ms), inflight (points reserved and not yet
 * settled), seq (settles so far), known (1 once Shopify has reported the plan), turns (when the
 * next refused caller's turn starts).
 */
const RESERVE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local cost = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'avail', 'max', 'rate', 'ts', 'inflight', 'seq', 'known', 'turns')
local max = tonumber(state[2]) or tonumber(ARGV[3])
local rate = tonumber(state[3]) or tonumber(ARGV[4])
local avail = tonumber(state[1]) or max
local ts = tonumber(state[4]) or nowMs
local inflight = tonumber(state[5]) or 0
local seq = tonumber(state[6]) or 0
-- While the plan is unknown, a request dearer than the assumed bucket waits for it to be full
-- and then goes: every real bucket is at least that large, and its answer tells the plan.
-- Without this such a request is refused for ever on a shop the app has not called yet.
if state[7] ~= '1' then cost = math.min(cost, max) end
-- Nothing stays in flight for minutes: a counter left by a process that died mid-request is dropped.
if nowMs - ts > 120000 then inflight = 0 end
avail = math.min(max, avail + (nowMs - ts) * rate / 1000)
local after = avail - cost
local wait = 0
if after < 0 then wait = math.ceil(-after * 1000 / rate) end
if wait > maxWait then
  local retry
  if state[7] ~= '1' then
    -- Until the first answer tells us the plan, the assumed bucket is a guess: look again soon.
    retry = math.min(wait, tonumber(ARGV[5]))
  else
    -- Refused callers get successive turns, each the refill of what the one before will really
    -- spend (the refund comes back within the request), timed to find the queue half a wait deep:
    -- they come back one by one instead of in a herd that mostly fails again.
    local slot = math.max(nowMs + wait - math.floor(maxWait / 2), tonumber(state[8]) or 0)
    redis.call('HSET', KEYS[1], 'turns', slot + math.ceil(tonumber(ARGV[6]) * 1000 / rate))
    retry = slot - nowMs
  end
  redis.call('HSET', KEYS[1], 'avail', tostring(avail), 'max', max, 'rate', rate, 'ts', nowMs, 'inflight', tostring(inflight))
  return {-retry, seq}
end
redis.call('HSET', KEYS[1], 'avail', tostring(after), 'max', max, 'rate', rate, 'ts', nowMs, 'inflight', tostring(inflight + cost))
redis.call('PEXPIRE', KEYS[1], 3600000)
return {wait, seq}
`;

// Refund what was reserved but not spent, learn the plan, and never believe we have more than
// Shopify says (the server's figure already counts this request; ours also counts other in-flight ones).
// When no other request settled since this one reserved, Shopify's figure is the freshest truth
// there is: every charge it does not include yet belongs to a reservation still in flight. Then
// the mirror may also rise to it (less what is in flight), which recovers budget the mirror lost
// (the cold start with an assumed small plan, a process that reserved and died).
const SETTLE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local refund = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'avail', 'max', 'rate', 'ts', 'inflight', 'seq')
local max = tonumber(ARGV[3]) or tonumber(state[2]) or 0
local rate = tonumber(ARGV[4]) or tonumber(state[3]) or 1
local avail = tonumber(state[1]) or max
local ts = tonumber(state[4]) or nowMs
local inflight = tonumber(state[5]) or 0
local seq = tonumber(state[6]) or 0
if nowMs - ts > 120000 then inflight = 0 end
inflight = math.max(0, inflight - (tonumber(ARGV[5]) or 0))
avail = math.min(max, avail + (nowMs - ts) * rate / 1000 + refund)
if ARGV[2] ~= '' then
  local reported = tonumber(ARGV[2])
  if ARGV[6] ~= '' and tonumber(ARGV[6]) == seq then
    avail = math.max(avail, math.min(max, reported - inflight))
  end
  avail = math.min(avail, reported)
  redis.call('HSET', KEYS[1], 'known', '1')
end
redis.call('HSET', KEYS[1], 'avail', tostring(avail), 'max', max, 'rate', rate, 'ts', nowMs, 'inflight', tostring(inflight), 'seq', seq + 1)
redis.call('PEXPIRE', KEYS[1], 3600000)
return tostring(avail)
`;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface Reservation {
  /** How long to wait before sending the request. */
  waitMs: number;
  /** Points reserved; settle() takes them out of the in-flight count. */
  cost: number;
  /** Settles seen when the reservation was made (tells settle() whether Shopify's figure is fresh). */
  seq: number;
}

export interface Settlement {
  /** Reserved minus actually spent. */
  refund: number;
  status?: ThrottleStatus;
  /** The reservation this settles (absent for a settlement that only reports Shopify's status). */
  reservation?: Reservation;
}

export interface CostBucket {
  /**
   * Reserves `cost` points and says how long to wait before sending; throws past `maxWaitMs`.
   * `expectedSpend` (what the request will likely really cost, `cost` when unknown) spaces the
   * retry times handed to refused callers.
   */
  reserve(shop: string, cost: number, maxWaitMs: number, expectedSpend?: number): Promise<Reservation>;
  settle(shop: string, settlement: Settlement): Promise<void>;
}

export class BudgetExceededError extends Error {
  override name = "BudgetExceededError";
  constructor(readonly retryInMs: number) {
    super(`cost budget exhausted; next slot in ${retryInMs} ms`);
  }
}

/** Until the first answer tells us the plan, assume the smallest bucket so we cannot overshoot. */
const UNKNOWN_PLAN = { maximumAvailable: 100, restoreRate: 50 };
/** Longest retry hint while the plan is unknown: the first answer usually shows a much larger bucket. */
const UNKNOWN_PLAN_RETRY_MS = 250;

export function redisCostBucket(redis: () => Redis, prefix = "storewise:admin-bucket"): CostBucket {
  const key = (shop: string) => `${prefix}:${shop}`;
  return {
    async reserve(shop, cost, maxWaitMs, expectedSpend = cost) {
      const [wait, seq] = (await (
        await whenReady(redis())
      ).eval(
        RESERVE,
        1,
        key(shop),
        cost,
        maxWaitMs,
        UNKNOWN_PLAN.maximumAvailable,
        UNKNOWN_PLAN.restoreRate,
        UNKNOWN_PLAN_RETRY_MS,
        Math.min(cost, Math.max(0, expectedSpend)),
      )) as [number, number];
      if (wait < 0) throw new BudgetExceededError(-wait);
      return { waitMs: wait, cost, seq };
    },
    async settle(shop, { refund, status, reservation }) {
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
        reservation ? reservation.cost : 0,
        reservation ? reservation.seq : "",
      );
    },
  };
}
