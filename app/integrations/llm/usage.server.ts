import { randomUUID } from "node:crypto";

import type { PrismaClient } from "@prisma/client";

import type { LlmTask } from "~/integrations/llm/types";

/** One billed request, as stored in `LlmUsage`. */
export interface LlmUsageRecord {
  shopDomain: string;
  task: LlmTask;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

/** Where the client reports every request the provider billed. */
export interface UsageSink {
  record(usage: LlmUsageRecord): Promise<void>;
}

/**
 * Writes one `LlmUsage` row per billed request. A raw INSERT: Prisma's `create` (which also reads
 * the row back) cost the worker twice the CPU for a row nobody reads here (docs/decisions/020).
 * `createdAt` is the client's clock in UTC, as Prisma writes it (the column has no time zone).
 */
export function prismaUsageSink(db: Pick<PrismaClient, "$executeRaw">): UsageSink {
  return {
    async record(usage) {
      await db.$executeRaw`
        INSERT INTO "LlmUsage" ("id", "shopDomain", "task", "model", "promptTokens", "completionTokens", "createdAt")
        VALUES (${randomUUID()}, ${usage.shopDomain}, ${usage.task}, ${usage.model}, ${usage.promptTokens},
                ${usage.completionTokens}, ${new Date()})`;
    },
  };
}

/** Keeps records in memory (tests, scripts). */
export function memoryUsageSink(): UsageSink & { records: LlmUsageRecord[] } {
  const records: LlmUsageRecord[] = [];
  return {
    records,
    async record(usage) {
      records.push({ ...usage });
    },
  };
}
