import { describe, expect, onTestFailed, test } from "vitest";

import { logger } from "~/lib/logger.server";
import { allowErrorLogs, errorLines } from "../support/error-logs";
import { startNodeProcess } from "../support/processes";

// The guard (tests/support/error-logs.ts) fails a test in its afterEach. `test.fails` turns that
// failure into a pass, and the test after it checks the failure was the guard's, about that line.
const failures = new Map<string, string>();
const keepFailure = (name: string) =>
  onTestFailed(({ task }) => {
    failures.set(name, (task.result?.errors ?? []).map((error) => error.message).join("\n"));
  });

/** A process that writes `line` to stdout and exits, as a worker logging through pino would. */
async function processWriting(line: string): Promise<void> {
  const child = startNodeProcess("-e", [`process.stdout.write(${JSON.stringify(line + "\n")})`], {});
  expect(await new Promise((resolve) => child.child.once("exit", resolve))).toBe(0);
}

const pinoLine = (level: number, msg: string) => JSON.stringify({ level, time: Date.now(), pid: 1, msg });

describe("console.error in the test process", () => {
  test.fails("fails the test when nothing allows it", () => {
    keepFailure("console");
    console.error("an unexpected %s", "failure");
  });

  test("…and the failure names the call", () => {
    expect(failures.get("console")).toMatch(/1 unexpected error log[\s\S]*\[console\.error\] an unexpected failure/);
  });

  test("passes when the test allows that message", () => {
    allowErrorLogs(/^an expected failure$/);
    console.error("an expected failure");
  });
});

describe("error-level lines from a process a test started", () => {
  test.fails("fail the test that was running", async () => {
    keepFailure("process");
    await processWriting(pinoLine(50, "job exploded"));
  });

  test("…and the failure carries the line", () => {
    expect(failures.get("process")).toMatch(/\[-e\] job exploded\n +\{"level":50,.*"msg":"job exploded"\}/);
  });

  test("pass when allowed, and warnings never count", async () => {
    allowErrorLogs(/^job exploded on purpose$/);
    await processWriting(pinoLine(50, "job exploded on purpose"));
    await processWriting(pinoLine(40, "only a warning"));
  });
});

describe("the app's logger in the test process", () => {
  test.fails("fails the test on an error it logs, also through a child logger", () => {
    keepFailure("logger");
    logger.child({ queue: "content" }).error({ err: new Error("Admin API 502") }, "job failed");
  });

  test("…and the failure carries the message and the error's", () => {
    expect(failures.get("logger")).toMatch(/\[test process\] job failed: Admin API 502/);
  });

  test("passes when allowed", () => {
    allowErrorLogs(/^job failed: Admin API 502$/);
    logger.error({ err: new Error("Admin API 502") }, "job failed");
  });
});

describe("errorLines", () => {
  test("takes pino lines at error and fatal, with the logged error's message", () => {
    const text = [
      pinoLine(30, "info"),
      JSON.stringify({ level: 50, msg: "job failed", err: { message: "Admin API 502" } }),
      pinoLine(60, "fatal"),
      "plain text on stderr",
      '{"level":50,"msg":"half a li',
    ].join("\n");
    expect(errorLines("worker", text).map((log) => log.text)).toEqual(["job failed: Admin API 502", "fatal"]);
  });
});
