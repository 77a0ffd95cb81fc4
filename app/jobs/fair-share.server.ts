import type { Redis } from "ioredis";

import { redis, whenReady } from "~/lib/redis.server";

/**
 * BullMQ priorities that keep shops from waiting on each other (docs/decisions/008). 1 runs first;
 * jobs without a priority (shop lifecycle and compliance, the queue's own polling) run before all.
 *
 * - Live work (webhook jobs, and a merchant's publish, regenerate and resume, which "approve all"
 *   or "resume" can queue by the thousand) takes the shop's next turn: a counter per shop that restarts once the
 *   shop has been quiet for ten minutes. A shop importing 2,000 products holds turns 1..2,000, so
 *   another shop's first product (turn 1) runs next, and each shop's own jobs stay in order.
 * - Bulk work (a bulk run's items) comes after all live work, the n-th item of every run sharing a
 *   priority, so concurrent runs take turns too.
 */
export const LIVE_PRIORITY_MAX = 999_999;
const BULK_PRIORITY_BASE = LIVE_PRIORITY_MAX + 1;
// BullMQ refuses anything above 2^21 - 1.
const BULLMQ_PRIORITY_MAX = 2_097_151;
const QUIET_SECONDS = 600;

const NEXT_TURN = `
local turn = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return turn
`;

/**
 * The script as a command of the connection: ioredis sends it by its SHA (EVALSHA) and the full
 * script only once Redis answers NOSCRIPT, where EVAL sent and hashed it on every enqueue.
 */
type WithNextTurn = Redis & { storewiseNextTurn(key: string, quietSeconds: number): Promise<number> };
const withNextTurn = new WeakSet<Redis>();

function nextTurnCommand(connection: Redis): WithNextTurn {
  if (!withNextTurn.has(connection)) {
    connection.defineCommand("storewiseNextTurn", { numberOfKeys: 1, lua: NEXT_TURN });
    withNextTurn.add(connection);
  }
  return connection as WithNextTurn;
}

/** The shop's next turn for live work. */
export async function liveTurn(shop: string): Promise<number> {
  // The producer connection fails fast instead of queueing commands: wait for it to be up (or
  // give up, and the caller answers 503) rather than fail the first call after a start.
  const connection = nextTurnCommand(await whenReady(redis()));
  const turn = Number(await connection.storewiseNextTurn(`storewise:turns:${shop}`, QUIET_SECONDS));
  return Math.min(turn, LIVE_PRIORITY_MAX);
}

/** The priority of a bulk run's item of this rank (0 = first, also used for retries). */
export const bulkPriority = (rank: number) => Math.min(BULK_PRIORITY_BASE + rank, BULLMQ_PRIORITY_MAX);
