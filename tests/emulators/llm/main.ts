// CLI: `npx tsx tests/emulators/llm/main.ts` starts the emulator for the local sandbox and
// benchmarks. Configured through EMULATOR_LLM_* variables (see config.ts).
import { llmEmulatorOptionsFromEnv } from "./config";
import { startLlmEmulator } from "./server";

const emulator = await startLlmEmulator(llmEmulatorOptionsFromEnv());
// stdout, not console.log: launchers wait for exactly this line.
process.stdout.write(`llm emulator listening on ${emulator.url}\n`);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`llm emulator stopping (${signal})\n`);
  void emulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
