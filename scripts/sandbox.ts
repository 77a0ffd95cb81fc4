// Runs the sandbox: both emulators (in this process), the web app and a worker (child processes),
// seeds the demo shop, prints the URLs, and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { startLlmEmulator } from "../tests/emulators/llm/server";
import { emulatorControl } from "../tests/emulators/shopify/control-client";
import { startShopifyEmulator } from "../tests/emulators/shopify/server";
import { storefrontUrl } from "../tests/emulators/shopify/storefront";
import { seedSandbox, SANDBOX_SHOP } from "./seed-sandbox";
import { workerCommand } from "./worker-command";

const ROOT = path.resolve(import.meta.dirname, "..");
const env = process.env;
const say = (message: string) => console.warn(`\x1b[1;34m[sandbox]\x1b[0m ${message}`);

const shopifyPort = Number(env.EMULATOR_SHOPIFY_PORT ?? 4010);
const llmPort = Number(env.EMULATOR_LLM_PORT ?? 4020);

const shopify = await startShopifyEmulator({
  port: shopifyPort,
  apiKey: env.SHOPIFY_API_KEY ?? "",
  apiSecret: env.SHOPIFY_API_SECRET ?? "",
  appUrl: env.SHOPIFY_APP_URL,
  tomlPath: path.join(ROOT, "shopify.app.toml"),
  strict: true,
});
const llm = env.SANDBOX_REAL_LLM
  ? null
  : await startLlmEmulator({ port: llmPort, baseLatencyMs: 150, tokensPerSecond: 400 });
say(`shopify emulator on ${shopify.url}`);
say(
  llm
    ? `llm emulator on ${llm.url}`
    : `using the real OpenAI API${env.OPENAI_BASE_URL ? ` at ${env.OPENAI_BASE_URL}` : ""}`,
);

const children: ChildProcess[] = [];
function run(name: string, nodeArgs: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  const child: ChildProcess = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    // The sandbox is the one place that opts in to the emulator overrides (.env leaves the flag blank).
    env: { ...env, STOREWISE_ALLOW_EMULATORS: "1", ...extraEnv } as NodeJS.ProcessEnv,
    stdio: "inherit",
  });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the sandbox`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say("stopping");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  await shopify.close();
  await llm?.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

const seeded = await seedSandbox(emulatorControl(shopify.url));
say(
  `reset ${SANDBOX_SHOP}: ${seeded.reset.rows} rows, ${seeded.reset.queuedJobs} queued jobs, ${seeded.reset.redisKeys} Redis keys from an earlier run`,
);
say(
  `seeded ${SANDBOX_SHOP}: ${seeded.products} products, ${seeded.orders} orders, locales ${seeded.locales.join(", ")}`,
);

run("web", ["--import", "tsx", "server.ts"]);
// The worker as production starts it (package.json's `worker` script, memory flags included).
const worker = workerCommand();
run("worker", worker.nodeArgs, { ...worker.env, STOREWISE_ROLE: "worker" });
await waitFor(`http://127.0.0.1:${env.PORT ?? 3000}/healthz`);

const handle = SANDBOX_SHOP.replace(".myshopify.com", "");
console.warn(`
  Storewise sandbox is running.

  Shopify admin (embedded app):  ${shopify.url}/store/${handle}/apps/storewise
  Storefront (support chat):     ${storefrontUrl(shopify.url, SANDBOX_SHOP)}/
  App (direct):                  ${env.SHOPIFY_APP_URL}
  Health / readiness / metrics:  ${env.SHOPIFY_APP_URL}/healthz  /readyz  /metrics
  Shopify emulator control:      ${shopify.url}/_emulator/stats
  LLM:                           ${llm ? llm.url : "OpenAI"}

  Create a product (fires products/create to the app):
    curl -s -X POST ${shopify.url}/_emulator/shops/${SANDBOX_SHOP}/products \\
      -H 'Content-Type: application/json' -d '{"title":"Linen Shirt","vendor":"Acme","productType":"Shirts"}'

  Ctrl-C stops everything.
`);
