import { env, type Env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { LlmClient, type LlmClientOptions } from "~/integrations/llm/llm-client.server";
import { prismaUsageSink, type UsageSink } from "~/integrations/llm/usage.server";
import { redis } from "~/lib/redis.server";

/** Client options from the validated environment (the same rules the app runs with). */
export function llmClientOptionsFromEnv(
  config: Env,
  usage: UsageSink,
  shared?: Pick<LlmClientOptions, "redis">,
): LlmClientOptions {
  return {
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    models: {
      content: config.OPENAI_MODEL_CONTENT,
      translation: config.OPENAI_MODEL_TRANSLATION,
      support: config.OPENAI_MODEL_SUPPORT,
      insights: config.OPENAI_MODEL_INSIGHTS,
      embedding: config.OPENAI_MODEL_EMBEDDING,
    },
    usage,
    timeoutMs: config.LLM_TIMEOUT_MS,
    limiter: { maxConcurrency: config.LLM_MAX_CONCURRENCY, requestsPerMinute: config.LLM_REQUESTS_PER_MINUTE },
    redis: shared?.redis,
  };
}

// One client per process, so the breaker and bulkhead see every call (the requests-per-minute
// bucket and schema modes are shared by all processes through Redis); kept on globalThis so
// Vite's module reloads in development do not start a second one with fresh limits.
const CLIENT_KEY = Symbol.for("storewise.llmClient");
const globals = globalThis as typeof globalThis & { [CLIENT_KEY]?: LlmClient };

/** The process-wide LLM client, recording usage in Postgres (`LlmUsage`). */
export function llm(): LlmClient {
  return (globals[CLIENT_KEY] ??= new LlmClient(
    llmClientOptionsFromEnv(env(), prismaUsageSink(prisma), { redis: redis() }),
  ));
}
