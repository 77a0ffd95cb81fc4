// The CLI (main.ts) as the sandbox and benchmarks run it: in its own process, configured
// by env, and fast enough (≥ 1,000 small chat completions/s on its single thread).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Readable } from "node:stream";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llmEmulatorOptionsFromEnv } from "./config";
import { LlmEmulatorControl } from "./control-client";
import { runLoad } from "./load";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

let child: ChildProcessByStdio<null, Readable, Readable>;
let url: string;
let output = "";

beforeAll(async () => {
  child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, EMULATOR_LLM_PORT: "0", EMULATOR_LLM_API_KEY: "sk-sandbox" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 20_000);
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /^llm emulator listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
});

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGTERM");
});

describe("CLI", () => {
  it("reads EMULATOR_LLM_* settings", () => {
    expect(llmEmulatorOptionsFromEnv({})).toEqual({ port: 4020 });
    expect(
      llmEmulatorOptionsFromEnv({
        EMULATOR_LLM_PORT: "0",
        EMULATOR_LLM_RPM: "60",
        EMULATOR_LLM_LATENCY_MS: "25",
        EMULATOR_LLM_API_KEY: "k",
      }),
    ).toEqual({ port: 0, rpm: 60, baseLatencyMs: 25, apiKey: "k" });
    expect(() => llmEmulatorOptionsFromEnv({ EMULATOR_LLM_RPM: "lots" })).toThrow(/EMULATOR_LLM_RPM/);
  });

  it("serves the SDK and the control API from its own process", async () => {
    const client = new OpenAI({ baseURL: url, apiKey: "sk-sandbox", maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const control = new LlmEmulatorControl(url);
    expect((await control.stats()).chatCompletions).toBe(1);
    await control.reset();
  });

  it("answers ≥ 1,000 small chat completions per second on one core", async () => {
    const body = JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Is the linen dress machine washable?" }],
    });
    await runLoad(`${url}/chat/completions`, body.replace("linen", "wool"), 500, 16, "sk-sandbox"); // warm-up (JIT)
    const result = await runLoad(`${url}/chat/completions`, body, 4_000, 32, "sk-sandbox");
    process.stdout.write(`llm emulator throughput: ${Math.round(result.perSecond)} chat completions/s\n`);
    expect(result.failures).toBe(0);
    expect(result.perSecond).toBeGreaterThanOrEqual(1_000);
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
