import { randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

import { logger } from "~/lib/logger.server";
import { whenReady } from "~/lib/redis.server";

const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface LockOptions {
  ttlMs: number;
  /** How long a process that lost the race waits for the holder to finish. */
  waitMs: number;
  pollMs?: number;
}

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `fn` while holding a Redis lock across processes. A caller that finds the lock taken waits
 * until it is released (or `waitMs` passes) and returns `{ acquired: false }`, so it can re-read
 * whatever the holder produced instead of doing the work a second time.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  options: LockOptions,
  fn: () => Promise<T>,
): Promise<LockOutcome<T>> {
  const token = randomUUID();
  await whenReady(redis);
  const acquired = await redis.set(key, token, "PX", options.ttlMs, "NX");
  if (acquired === "OK") {
    try {
      return { acquired: true, value: await fn() };
    } finally {
      // Not released: the lock expires after ttlMs, so a waiter is only delayed. The key names the
      // shop; the job or request id comes from the log context.
      await redis
        .eval(RELEASE_SCRIPT, 1, key, token)
        .catch((error: unknown) => logger.warn({ err: error, lock: key }, "could not release a Redis lock"));
    }
  }
  const deadline = Date.now() + options.waitMs;
  const pollMs = options.pollMs ?? 50;
  while (Date.now() < deadline && (await redis.exists(key)) === 1) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return { acquired: false };
}
