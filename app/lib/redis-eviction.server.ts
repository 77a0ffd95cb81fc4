import type { Redis } from "ioredis";

/**
 * BullMQ requires Redis `maxmemory-policy noeviction`: with any other policy Redis may evict job
 * keys under memory pressure, and jobs vanish (docs.bullmq.io/guide/going-to-production).
 * Reads the policy with CONFIG GET and, where managed Redis disables CONFIG, from INFO memory.
 * Returns the policy, or null when neither command tells.
 */
export async function evictionPolicy(connection: Pick<Redis, "call" | "info">): Promise<string | null> {
  try {
    const reply = (await connection.call("CONFIG", "GET", "maxmemory-policy")) as unknown;
    if (Array.isArray(reply) && typeof reply[1] === "string") return reply[1];
  } catch {
    // CONFIG is often renamed or disabled on managed Redis; INFO still reports the policy.
  }
  try {
    const info = await connection.info("memory");
    return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
  } catch {
    return null;
  }
}

export class EvictionPolicyError extends Error {
  override name = "EvictionPolicyError";
}

/**
 * Checks the policy at start: `refuse` throws a clear error unless it is noeviction, `warn` only
 * calls `warn`. An unknown policy (neither command answered) is warned about in both modes.
 */
export async function checkEvictionPolicy(
  connection: Pick<Redis, "call" | "info">,
  mode: "refuse" | "warn",
  warn: (message: string) => void,
): Promise<string | null> {
  const policy = await evictionPolicy(connection);
  if (policy === "noeviction") return policy;
  const message =
    policy === null
      ? "could not read Redis maxmemory-policy (CONFIG and INFO refused); BullMQ requires noeviction: make sure it is set"
      : `Redis maxmemory-policy is "${policy}", but BullMQ requires "noeviction" (jobs could be evicted and lost). ` +
        `Set maxmemory-policy noeviction on the Redis server, or REDIS_EVICTION_CHECK=warn to start anyway.`;
  if (policy !== null && mode === "refuse") throw new EvictionPolicyError(message);
  warn(message);
  return policy;
}

/**
 * The start-up check both processes run (workers/index.ts, server.ts): exits the process with a
 * clear message when the policy is wrong and REDIS_EVICTION_CHECK=refuse. A Redis that cannot be
 * reached at start is only warned about (the web app answers 503 meanwhile; the worker retries).
 */
export async function checkEvictionPolicyAtStart(
  connection: () => Promise<Pick<Redis, "call" | "info">>,
  mode: "refuse" | "warn",
  log: { warn: (message: string | object, msg?: string) => void; fatal: (message: string) => void },
): Promise<void> {
  try {
    await checkEvictionPolicy(await connection(), mode, (message) => log.warn(message));
  } catch (error) {
    if (error instanceof EvictionPolicyError) {
      log.fatal(error.message);
      process.exit(1);
    }
    log.warn({ err: error }, "could not check Redis maxmemory-policy at start");
  }
}
