import { Redis, type RedisOptions } from "ioredis";

import { env } from "~/config/env.server";
import { logger } from "~/lib/logger.server";

/**
 * Connection roles, configured the way BullMQ advises:
 * - `producer` (web process, Queue.add, locks, buckets): fail fast so a webhook can answer 503
 *   instead of hanging while Redis is down.
 * - `worker` (BullMQ Worker): keep retrying forever; blocking commands must never time out.
 */
export type RedisRole = "producer" | "worker";

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  producer: {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // A command on a connection to a Redis that stopped answering (no reset, no close) fails
    // instead of hanging: the web process answers 503 and the caller is not held (issue 6, defect 6).
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  },
  worker: {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5_000),
  },
};

export function createRedisConnection(role: RedisRole, name: string = role): Redis {
  const connection = new Redis(env().REDIS_URL, { ...ROLE_OPTIONS[role], connectionName: `storewise:${name}` });
  // Without an error listener ioredis logs unhandled errors; with it we log them once, structured.
  let lastError = "";
  connection.on("error", (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error, redis: name }, "redis connection error");
  });
  connection.on("ready", () => {
    lastError = "";
  });
  return connection;
}

let shared: Redis | undefined;

/** The process-wide producer-role client for queues, locks, dedupe and rate buckets. */
export function redis(): Redis {
  shared ??= createRedisConnection("producer", "shared");
  return shared;
}

/**
 * Resolves once the connection is ready. A producer connection has no offline queue, so a
 * command sent while it is still connecting (just after boot) would fail instead of waiting.
 */
export function whenReady(connection: Redis, timeoutMs = 2_000): Promise<Redis> {
  if (connection.status === "ready") return Promise.resolve(connection);
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(connection);
    };
    const timer = setTimeout(() => {
      connection.off("ready", onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${connection.status})`));
    }, timeoutMs);
    connection.once("ready", onReady);
  });
}

export async function closeSharedRedis(): Promise<void> {
  const connection = shared;
  shared = undefined;
  if (connection) await connection.quit().catch(() => connection.disconnect());
}
