import { isIP } from "node:net";

import { z } from "zod";

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
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),

  OPENAI_API_KEY: required("any value works with a local OpenAI-compatible server"),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL_CONTENT: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_TRANSLATION: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_CHAT: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_INSIGHTS: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_MODEL_EMBEDDING: z.string().min(1).default("text-embedding-3-small"),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  LLM_MAX_CONCURRENCY: z.coerce.number().int().positive().default(8),
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(500),

  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(16),
  WORKER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9464),

  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PRETTY: booleanString.default(false),

  // Which peers may set X-Forwarded-Host/-Proto/-For: off (default), a hop count, or proxies'
  // addresses and subnets (server/trust-proxy.ts).
  TRUST_PROXY: trustProxy.default(false),

  // Dev/test only: send every Admin API and OAuth call to the local Shopify emulator.
  SHOPIFY_ADMIN_ORIGIN_OVERRIDE: z.url().optional(),
});

const EnvSchema = EnvShape.superRefine((env, ctx) => {
  if (env.NODE_ENV === "production" && env.SHOPIFY_ADMIN_ORIGIN_OVERRIDE) {
    ctx.addIssue({
      code: "custom",
      path: ["SHOPIFY_ADMIN_ORIGIN_OVERRIDE"],
      message: "is a dev/test-only emulator override and is refused in production",
    });
  }
});

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
