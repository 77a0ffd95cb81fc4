// `npm run emulators`: only the two emulators, for running the app by other means (docker compose,
// a debugger). Ports and credentials come from the environment (.env.example documents them).
import path from "node:path";

import { startLlmEmulator } from "../tests/emulators/llm/server";
import { startShopifyEmulator } from "../tests/emulators/shopify/server";

const env = process.env;
const shopify = await startShopifyEmulator({
  port: Number(env.EMULATOR_SHOPIFY_PORT ?? 4010),
  apiKey: env.SHOPIFY_API_KEY ?? "storewise-sandbox-api-key",
  apiSecret: env.SHOPIFY_API_SECRET ?? "storewise-sandbox-api-secret",
  appUrl: env.SHOPIFY_APP_URL ?? "http://localhost:3000",
  tomlPath: path.resolve(import.meta.dirname, "../shopify.app.toml"),
  strict: true,
});
const llm = await startLlmEmulator({ port: Number(env.EMULATOR_LLM_PORT ?? 4020) });
console.warn(`shopify emulator: ${shopify.url}\nllm emulator:     ${llm.url}`);
const stop = () => void Promise.all([shopify.close(), llm.close()]).then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
