import type { Redis } from "ioredis";

import { logger } from "~/lib/logger.server";
import { whenReady } from "~/lib/redis.server";
import { withTimeout } from "~/lib/with-timeout";
import type { Db } from "~/services/types";

type CheckName = "database" | "redis";

/**
 * What /readyz answers: which check failed, nothing more. The error itself (driver messages name
 * hosts, ports, users and database names) goes to the log, never to an unauthenticated caller.
 */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<CheckName, "up" | "down">;
}

async function check(name: CheckName, probe: () => Promise<unknown>, timeoutMs: number): Promise<"up" | "down"> {
  const started = performance.now();
  try {
    await withTimeout(probe(), timeoutMs, `no answer within ${timeoutMs} ms`);
    return "up";
  } catch (error) {
    logger.warn({ err: error, check: name, ms: Math.round(performance.now() - started) }, "readiness check failed");
    return "down";
  }
}

/** Ready means both stores answer; a load balancer stops routing here otherwise. */
export async function checkReadiness({ db, redis }: { db: Db; redis: Redis }): Promise<ReadinessReport> {
  const [database, redisCheck] = await Promise.all([
    check("database", () => db.$queryRaw`SELECT 1`, 1_500),
    check("redis", async () => (await whenReady(redis, 1_400)).ping(), 1_500),
  ]);
  return { ready: database === "up" && redisCheck === "up", checks: { database, redis: redisCheck } };
}
