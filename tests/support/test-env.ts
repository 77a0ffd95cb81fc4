import { readFileSync } from "node:fs";
import path from "node:path";

/** Fixed credentials of the test app; the emulators sign and verify with the same pair. */
export const TEST_API_KEY = "storewise-test-api-key";
export const TEST_API_SECRET = "storewise-test-api-secret";
export const TEST_SHOP = "test-shop.myshopify.com";
export const TEST_ACCESS_TOKEN = "shpat_test_offline_token";

/** The key-encryption key the app under test seals tokens with (decision 010). */
export const TEST_TOKEN_ENCRYPTION_KEYS = "test:02uxAJNcgF9s0xAdcEXEubw02JR+vgiMr+NFQPFgzt0=";

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/storewise_test";
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1";

/**
 * Every documented key, blank. Importing @prisma/client loads the project's .env into process.env
 * for keys that are not set, so a developer's sandbox .env would otherwise leak into the app under
 * test. A blank value counts as unset for the app's env parser.
 */
function blankDocumentedKeys(): Record<string, string> {
  const example = readFileSync(path.resolve(import.meta.dirname, "../../.env.example"), "utf8");
  return Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => [match[1] ?? "", ""]));
}

/** Environment for the app (web and worker) under test, pointed at the emulators. */
export function appEnv(options: { appUrl: string; shopifyUrl: string; llmUrl: string }): Record<string, string> {
  return {
    ...blankDocumentedKeys(),
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: options.appUrl,
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    OPENAI_API_KEY: "test-openai-key",
    OPENAI_BASE_URL: options.llmUrl,
    // The emulators are the only Shopify the tests know; the app refuses the override without this.
    STOREWISE_ALLOW_EMULATORS: "1",
    SHOPIFY_ADMIN_ORIGIN_OVERRIDE: options.shopifyUrl,
    TOKEN_ENCRYPTION_KEYS: TEST_TOKEN_ENCRYPTION_KEYS,
    WORKER_METRICS_PORT: "0",
    // The support chat falls back to a handoff when the model is down: sooner than in production.
    SUPPORT_LLM_BUDGET_MS: "2000",
  };
}
