// CLI: `tsx tests/emulators/shopify/main.ts` — runs the emulator for the sandbox / e2e runs.
// Env: EMULATOR_SHOPIFY_PORT (4010), EMULATOR_SHOPIFY_HOST (127.0.0.1), SHOPIFY_API_KEY,
// SHOPIFY_API_SECRET, SHOPIFY_APP_URL, SHOPIFY_APP_TOML (default ./shopify.app.toml),
// EMULATOR_SHOPIFY_SHOP + EMULATOR_SHOPIFY_TOKEN (optional shop seeded at start),
// EMULATOR_LOG_LEVEL (warn).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { startShopifyEmulator } from "./server";

const env = process.env;
const logger = pino({ name: "shopify-emulator", level: env.EMULATOR_LOG_LEVEL ?? "warn" });
const apiKey = env.SHOPIFY_API_KEY ?? "storewise-dev-api-key";
const apiSecret = env.SHOPIFY_API_SECRET ?? "storewise-dev-api-secret";
if (!env.SHOPIFY_API_KEY || !env.SHOPIFY_API_SECRET)
  logger.warn("SHOPIFY_API_KEY/SHOPIFY_API_SECRET not set; using development defaults");
const tomlPath = env.SHOPIFY_APP_TOML ?? resolve(process.cwd(), "shopify.app.toml");

const emulator = await startShopifyEmulator({
  port: Number(env.EMULATOR_SHOPIFY_PORT ?? 4010),
  host: env.EMULATOR_SHOPIFY_HOST ?? "127.0.0.1",
  apiKey,
  apiSecret,
  appUrl: env.SHOPIFY_APP_URL,
  tomlPath: existsSync(tomlPath) ? tomlPath : undefined,
  shops: env.EMULATOR_SHOPIFY_SHOP
    ? [{ shop: env.EMULATOR_SHOPIFY_SHOP, accessToken: env.EMULATOR_SHOPIFY_TOKEN }]
    : [],
  // EMULATOR_SHOPIFY_STRICT=0 turns strict mode off (unmodelled fields answer defaults).
  strict: env.EMULATOR_SHOPIFY_STRICT !== "0",
  logger,
});
// The sandbox/e2e launchers wait for this exact line.
process.stdout.write(`shopify emulator listening on ${emulator.url}\n`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
