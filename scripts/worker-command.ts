import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The worker exactly as production starts it: package.json's `worker` script (`VAR=value ... node
 * <flags> <script>`; its memory settings are docs/decisions/009-worker-memory.md), run with this
 * Node. Used by the sandbox and the tests, so both run what production runs.
 */
export function workerCommand(): { env: Record<string, string>; nodeArgs: string[] } {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  const words = (scripts.worker ?? "").trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name = "", ...value] = (words.shift() ?? "").split("=");
    env[name] = value.join("=");
  }
  if (words.shift() !== "node") throw new Error(`package.json's worker script must run node: ${scripts.worker}`);
  return { env, nodeArgs: words };
}
