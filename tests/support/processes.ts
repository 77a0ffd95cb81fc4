import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import path from "node:path";

import { workerCommand } from "../../scripts/worker-command";
import { logTail, newProcessLog } from "./error-logs";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface RunningProcess {
  child: ChildProcess;
  /** The file its stdout and stderr go to, watched for error-level lines (tests/support/error-logs.ts). */
  logFile: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node --import tsx <script>` with the given env, keeping its output for failure reports. */
export function startNodeProcess(script: string, args: string[], env: Record<string, string>): RunningProcess {
  return spawnNode(script, ["--import", "tsx", script, ...args], env);
}

function spawnNode(name: string, nodeArgs: string[], env: Record<string, string>): RunningProcess {
  const logFile = newProcessLog(name);
  // Straight into the file, so what the process wrote is there when a test's afterEach reads it.
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    // Only what the test passes: a developer's .env (or anything Vite loaded from it) must not leak in.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logFile,
    output: () => logTail(logFile),
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `url` until it answers 2xx, or fails with the process's output. */
export async function waitForHttp(url: string, processHandle: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processHandle.child.exitCode !== null) {
      throw new Error(
        `process exited with ${processHandle.child.exitCode} before ${url} answered:\n${processHandle.output()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${processHandle.output()}`);
}

/** The web app served from the production build (NODE_ENV stays "test" so the emulator override is allowed). */
export async function startAppServer(
  env: Record<string, string>,
  port: number,
): Promise<RunningProcess & { url: string }> {
  const app = startNodeProcess("server.ts", ["--build"], { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, app);
  return { ...app, url };
}

export async function startWorker(env: Record<string, string>): Promise<RunningProcess> {
  const command = workerCommand();
  const worker = spawnNode("worker", command.nodeArgs, { ...command.env, ...env, LOG_LEVEL: "info" });
  // The worker logs this line once every queue has a Worker attached.
  const deadline = Date.now() + 30_000;
  while (!worker.output().includes("storewise worker started")) {
    if (worker.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`worker did not start:\n${worker.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker;
}
