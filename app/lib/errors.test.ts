import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { AppError, failureKind, isOutage, unavailableDependency } from "~/lib/errors";

// The errors come from the real clients pointed at a port nothing listens on, so the classifier
// is checked against what Prisma (with the pg adapter) and ioredis really throw.
async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("outages are told apart from failures of the job itself", () => {
  it("Postgres unreachable", async () => {
    const db = new PrismaClient({
      adapter: new PrismaPg({
        connectionString: "postgresql://postgres@127.0.0.1:1/none",
        connectionTimeoutMillis: 1_000,
      }),
    });
    const error = await caught(() => db.jobRun.count());
    await db.$disconnect().catch(() => undefined);
    expect(unavailableDependency(error)).toBe("database");
    expect(isOutage(error)).toBe(true);
    expect(failureKind(error, true)).toBe("rescheduled");
    expect(failureKind(error, false, false)).toBe("final");
  });

  it("Redis unreachable", async () => {
    const redis = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    redis.on("error", () => undefined);
    await redis.connect().catch(() => undefined);
    const error = await caught(() => redis.get("x"));
    redis.disconnect();
    expect(unavailableDependency(error)).toBe("redis");
    expect(isOutage(error)).toBe(true);
  });

  it("dependency pacing and outages by code, and nothing else", () => {
    for (const code of ["LLM_CIRCUIT_OPEN", "LLM_RATE_LIMITED", "ADMIN_API_THROTTLED", "QUEUE_UNAVAILABLE"] as const) {
      expect(isOutage(new AppError(code, code, { retryable: true }))).toBe(true);
    }
    expect(isOutage(new AppError("LLM_INVALID_OUTPUT", "bad reply"))).toBe(false);
    expect(isOutage(new AppError("ADMIN_API_TIMEOUT", "slow", { retryable: true }))).toBe(false);
    expect(isOutage(new TypeError("x is undefined"))).toBe(false);
    expect(isOutage(z.string().safeParse(1).error)).toBe(false);
    expect(failureKind(new AppError("ADMIN_API_TIMEOUT", "slow", { retryable: true }), false)).toBe("retrying");
  });
});
