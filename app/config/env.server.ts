import { hkdfSync } from "node:crypto";
import { isIP, isIPv4 } from "node:net";

import { z } from "zod";

import { parseKeyEncryptionKeys, TokenKeyError, type KeyEncryptionKey } from "~/lib/token-cipher.server";

const DEFAULT_SCOPES =
  "read_products,write_products,read_orders,read_locales,read_translations,write_translations,read_legal_policies,read_content,write_app_proxy";

const booleanString = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/**
 * Which peers are trusted to say, in X-Forwarded-*, what the client's host, scheme and address
 * were: "false" (nobody: the default), a hop count ("1": the nearest proxy), or a comma list of
 * addresses, CIDR subnets and Express's names loopback / linklocal / uniquelocal. "true" (trust
 * everyone) is refused: any client could then spoof its host and scheme.
 */
const TRUST_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  const text = value.trim().toLowerCase();
  if (text === "false" || text === "0") return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !TRUST_NAMES.has(entry) && !isAddressOrSubnet(entry));
  if (text === "true" || bad.length > 0 || entries.length === 0) {
    ctx.addIssue({
      code: "custom",
      message: `must be false, a hop count, or proxy addresses/subnets (loopback, 10.0.0.0/8, ...); got ${value}`,
    });
    return z.NEVER;
  }
  return entries;
});

function isAddressOrSubnet(entry: string): boolean {
  const [address = "", bits, ...rest] = entry.split("/");
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/** A required string whose message says what to put there. */
const required = (hint: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required (${hint})` : undefined) })
    .min(1, `is required (${hint})`);

const EnvShape = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),

  SHOPIFY_API_KEY: required("the app's client id"),
  SHOPIFY_API_SECRET: required("the app's client secret"),
  SHOPIFY_APP_URL: z.url({
    error: (issue) =>
      issue.input === undefined ? "is required (the app's public URL)" : "must be the app's public URL",
  }),
  SCOPES: z.string().min(1).default(DEFAULT_SCOPES),

  DATABASE_URL: z.string().min(1).default("postgresql://postgres@127.0.0.1:5432/storewise"),
  // Connections this process keeps to Postgres. A worker running many jobs at once needs more than
  // the default: with every connection busy a query waits, and past DB_CONNECT_TIMEOUT_MS that reads
  // as a Postgres outage and reschedules the job for minutes (bench/results/create-to-live.json).
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),

  OPENAI_API_KEY: required("any value works with a local OpenAI-compatible server"),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL_CONTENT: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_TRANSLATION: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_SUPPORT: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_INSIGHTS: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_EMBEDDING: z.string().min(1).default("text-embedding-3-small"),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  LLM_MAX_CONCURRENCY: z.coerce.number().int().positive().default(8),
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(500),
  // Support chat: one visitor's messages per minute, and the model's time budget per answer.
  SUPPORT_VISITOR_MESSAGES_PER_MINUTE: z.coerce.number().int().positive().default(10),
  SUPPORT_LLM_BUDGET_MS: z.coerce.number().int().positive().default(8_000),

  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(16),
  WORKER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9464),
  // Where the worker's /metrics listens: loopback unless a scraper elsewhere needs it (then
  // METRICS_TOKEN is required), e.g. 0.0.0.0 in a container scraped over the network.
  WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  // Jobs hit by an outage (LLM circuit open or rate-limited, Admin API throttled, Postgres or Redis
  // unreachable) are rescheduled without spending an attempt: BASE, doubling with jitter up to MAX,
  // at most LIMIT times; then the job fails visibly (docs/decisions/011).
  JOB_RESCHEDULE_BASE_MS: z.coerce.number().int().positive().default(15_000),
  JOB_RESCHEDULE_MAX_MS: z.coerce.number().int().positive().default(600_000),
  JOB_RESCHEDULE_LIMIT: z.coerce.number().int().nonnegative().default(40),
  // How long a stopping worker waits for active jobs before aborting them (>= LLM_TIMEOUT_MS + margin
  // when unset). The container's stop grace period must be longer than this.
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().optional(),
  // Per-request timeout of Admin API calls; the publish claim window is derived from it.
  ADMIN_API_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  // How often the worker sweeps publish claims left by dead attempts.
  PUBLISH_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  // BullMQ requires Redis maxmemory-policy=noeviction: refuse to start (default) or only warn.
  REDIS_EVICTION_CHECK: z.enum(["refuse", "warn"]).default("refuse"),

  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PRETTY: booleanString.default(false),

  // Which peers may set X-Forwarded-Host/-Proto/-For: off (default), a hop count, or proxies'
  // addresses and subnets (server/trust-proxy.ts).
  TRUST_PROXY: trustProxy.default(false),

  // Key-encryption keys for access and refresh tokens at rest, `<id>:<base64 of 32 bytes>`, newest
  // first (decision 010). Required in production.
  TOKEN_ENCRYPTION_KEYS: z.string().optional(),

  // The key of the order table's keyed email hash (HMAC-SHA256, decision 018), base64 of at least
  // 32 bytes. Unset: derived from SHOPIFY_API_SECRET with HKDF. Changing it orphans stored hashes
  // (guest order lookups fail until orders are recorded again).
  ORDER_EMAIL_HASH_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length >= 32, "must be base64 of at least 32 bytes")
    .optional(),

  // Dev/test only, and only with STOREWISE_ALLOW_EMULATORS=1: the emulator overrides below.
  STOREWISE_ALLOW_EMULATORS: booleanString.default(false),
  // Sends every Admin API and OAuth call (access and refresh tokens included) to the local Shopify emulator.
  SHOPIFY_ADMIN_ORIGIN_OVERRIDE: z.url().optional(),
  // The library's App Bridge script override: the emulator's stand-in for Shopify's CDN script.
  APP_BRIDGE_URL: z.url().optional(),
});

/** Keys that point the app at local emulators: never allowed to reach anything but this machine. */
export const EMULATOR_OVERRIDE_KEYS = ["SHOPIFY_ADMIN_ORIGIN_OVERRIDE", "APP_BRIDGE_URL"] as const;

/** 127.0.0.0/8, ::1 and localhost: a host that cannot be another machine. */
export function isLoopbackHost(value: string): boolean {
  const host = value.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host === "::1") return true;
  return isIPv4(host) && host.startsWith("127.");
}

/** An http(s) URL whose host is loopback. */
export function isLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return isLoopbackHost(url.hostname);
}

// An override sends tokens where it points, so it takes three things: not production, an explicit
// opt-in, and a loopback target. A copied .env in a container (NODE_ENV=production in the image)
// or a typo pointing at another host both stop the process at boot.
const EnvSchema = EnvShape.superRefine((env, ctx) => {
  for (const key of EMULATOR_OVERRIDE_KEYS) {
    const value = env[key];
    if (!value) continue;
    const refusal =
      env.NODE_ENV === "production"
        ? "is a dev/test-only emulator override and is refused in production (remove it)"
        : !env.STOREWISE_ALLOW_EMULATORS
          ? "is a dev/test-only emulator override: set STOREWISE_ALLOW_EMULATORS=1 to use it, or remove it"
          : !isLoopbackUrl(value)
            ? "must point at this machine (127.0.0.0/8, ::1 or localhost): it is a dev/test-only emulator override"
            : null;
    if (refusal) ctx.addIssue({ code: "custom", path: [key], message: refusal });
  }
  if (!isLoopbackHost(env.WORKER_METRICS_HOST) && !env.METRICS_TOKEN) {
    ctx.addIssue({
      code: "custom",
      path: ["WORKER_METRICS_HOST"],
      message: "serves the worker's /metrics beyond this machine, so METRICS_TOKEN is required",
    });
  }
  if (env.TOKEN_ENCRYPTION_KEYS) {
    try {
      parseKeyEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS);
    } catch (error) {
      if (!(error instanceof TokenKeyError)) throw error;
      ctx.addIssue({ code: "custom", path: ["TOKEN_ENCRYPTION_KEYS"], message: error.message });
    }
  } else if (env.NODE_ENV === "production") {
    ctx.addIssue({
      code: "custom",
      path: ["TOKEN_ENCRYPTION_KEYS"],
      message: "is required in production (<id>:<base64 of 32 bytes>, newest first; openssl rand -base64 32)",
    });
  }
});

/**
 * Outside production, a missing TOKEN_ENCRYPTION_KEYS falls back to this key. It is public (it is
 * in the source), so it protects nothing: it only keeps development and test databases in the
 * same sealed format as production.
 */
const DEVELOPMENT_TOKEN_KEY = "dev:HC957Kntsxv/HUmOn/tD+J5elhemPpuO468loiOm2gQ=";

/** The key-encryption keys for tokens at rest, newest first. */
export function tokenEncryptionKeys(config: Env): KeyEncryptionKey[] {
  return parseKeyEncryptionKeys(config.TOKEN_ENCRYPTION_KEYS ?? DEVELOPMENT_TOKEN_KEY);
}

/** The key for the order table's keyed email hashes: its own, or derived from the app secret. */
export function orderEmailHashKey(config: Env): Buffer {
  if (config.ORDER_EMAIL_HASH_KEY) return Buffer.from(config.ORDER_EMAIL_HASH_KEY, "base64");
  return Buffer.from(hkdfSync("sha256", config.SHOPIFY_API_SECRET, "storewise", "order-email-hash-v1", 32));
}

/** Every configuration key the app reads (.env.example documents each one). */
export const ENV_KEYS = Object.keys(EnvShape.shape);

export type Env = z.infer<typeof EnvSchema>;

export class InvalidEnvironmentError extends Error {
  override name = "InvalidEnvironmentError";
}

/** Parses an environment; throws one readable message listing every bad key. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const emptyAsUnset = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(emptyAsUnset);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(env)"} ${issue.message}`);
  throw new InvalidEnvironmentError(`Invalid configuration; fix these keys (see .env.example):\n${lines.join("\n")}`);
}

let cached: Env | undefined;

/** The process environment, validated once at first use (boot). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
