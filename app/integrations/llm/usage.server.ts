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

/** Writes one `LlmUsage` row per billed request. */
export function prismaUsageSink(db: Pick<PrismaClient, "llmUsage">): UsageSink {
  return {
    async record(usage) {
      await db.llmUsage.create({ data: usage });
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
