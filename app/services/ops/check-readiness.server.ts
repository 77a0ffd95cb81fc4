import type { Redis } from "ioredis";

import { whenReady } from "~/lib/redis.server";

import type { Db } from "~/services/types";

export interface ReadinessReport {
  ready: boolean;
  checks: Record<"database" | "redis", { ok: boolean; ms: number; error?: string }>;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** Ready means both stores answer; a load balancer stops routing here otherwise. */
export async function checkReadiness({ db, redis }: { db: Db; redis: Redis }): Promise<ReadinessReport> {
  const [database, redisCheck] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`, 1_500),
    timed(async () => (await whenReady(redis, 1_400)).ping(), 1_500),
  ]);
  return { ready: database.ok && redisCheck.ok, checks: { database, redis: redisCheck } };
}
