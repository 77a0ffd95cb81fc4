// Environment → options, shared by main.ts and any launcher that starts all emulators.
import type { LlmEmulatorOptions } from "./types";

export const DEFAULT_LLM_EMULATOR_PORT = 4020;

/** Plain record rather than NodeJS.ProcessEnv, whose project augmentations require keys. */
type Env = Readonly<Record<string, string | undefined>>;

function numberFrom(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/**
 * EMULATOR_LLM_PORT (default 4020; 0 = random), EMULATOR_LLM_HOST, EMULATOR_LLM_API_KEY,
 * EMULATOR_LLM_RPM, EMULATOR_LLM_TPM, EMULATOR_LLM_LATENCY_MS,
 * EMULATOR_LLM_TOKENS_PER_SECOND, EMULATOR_LLM_RESTRICTIVE_SCHEMAS ("all" or comma-separated model ids),
 * EMULATOR_LLM_COMPLETION_LATENCY_MS ("1000-3000": each admitted completion takes a random time in the range).
 */
export function llmEmulatorOptionsFromEnv(env: Env = process.env): LlmEmulatorOptions {
  const options: LlmEmulatorOptions = { port: numberFrom(env, "EMULATOR_LLM_PORT") ?? DEFAULT_LLM_EMULATOR_PORT };
  if (env.EMULATOR_LLM_HOST) options.host = env.EMULATOR_LLM_HOST;
  if (env.EMULATOR_LLM_API_KEY) options.apiKey = env.EMULATOR_LLM_API_KEY;
  const rpm = numberFrom(env, "EMULATOR_LLM_RPM");
  if (rpm) options.rpm = rpm;
  const tpm = numberFrom(env, "EMULATOR_LLM_TPM");
  if (tpm) options.tpm = tpm;
  const latency = numberFrom(env, "EMULATOR_LLM_LATENCY_MS");
  if (latency !== undefined) options.baseLatencyMs = latency;
  const tps = numberFrom(env, "EMULATOR_LLM_TOKENS_PER_SECOND");
  if (tps) options.tokensPerSecond = tps;
  const range = env.EMULATOR_LLM_COMPLETION_LATENCY_MS?.trim();
  if (range) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!match) throw new Error(`EMULATOR_LLM_COMPLETION_LATENCY_MS must be "min-max" in ms, got "${range}"`);
    const min = Number(match[1]);
    options.completionLatencyMs = { min, max: match[2] === undefined ? min : Number(match[2]) };
  }
  const restrictive = env.EMULATOR_LLM_RESTRICTIVE_SCHEMAS?.trim();
  if (restrictive) {
    options.restrictiveSchemas =
      restrictive === "all"
        ? true
        : restrictive
            .split(",")
            .map((model) => model.trim())
            .filter(Boolean);
  }
  return options;
}
