import { closeSync, openSync, readSync, statSync } from "node:fs";
import { format } from "node:util";

import { pino } from "pino";
import { afterAll, afterEach, beforeEach, inject } from "vitest";

import { describeUnexpected, errorLinesIn, recordErrorLog, startTest, takeUnexpected } from "../support/error-logs";

// Test files import app modules (Prisma, Redis, the Admin client) that read the same validated
// env as the app under test, pointed at the same emulators.
Object.assign(process.env, inject("appEnv"));

// Unexpected error-level logs fail the test (tests/support/error-logs.ts). Collected from:
// 1. console.error in this process;
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  recordErrorLog("console.error", format(...args));
  consoleError(...args);
};

// 2. the app's own logger, as imported by the test (its children share its destination);
const { logger } = await import("~/lib/logger.server");
const stream = (logger as unknown as Record<symbol, { write(line: string): unknown }>)[pino.symbols.streamSym];
if (stream) {
  const write = stream.write.bind(stream);
  stream.write = (line: string) => {
    for (const errorLine of errorLinesIn(line)) recordErrorLog("test process", errorLine);
    return write(line);
  };
}

// 3. the shared web app of the global set-up, through its log file. Processes a test starts
//    itself (workers, other app servers) report theirs directly (tests/support/processes.ts).
const appLogFile = inject("appLogFile");
let appLogOffset = appLogFile ? statSync(appLogFile).size : 0;
function readAppLog(): void {
  if (!appLogFile) return;
  const size = statSync(appLogFile).size;
  if (size <= appLogOffset) return;
  const buffer = Buffer.alloc(size - appLogOffset);
  const fd = openSync(appLogFile, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, appLogOffset);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString();
  // Only whole lines: a line still being written is read next time.
  const end = text.lastIndexOf("\n");
  if (end === -1) return;
  appLogOffset += Buffer.byteLength(text.slice(0, end + 1));
  for (const line of errorLinesIn(text.slice(0, end))) recordErrorLog("web app", line);
}

function failOnUnexpected(): void {
  readAppLog();
  const unexpected = takeUnexpected();
  if (unexpected.length) throw new Error(describeUnexpected(unexpected));
}

beforeEach(() => {
  // What the file's set-up (beforeAll) logged is checked with the first test.
  readAppLog();
  startTest();
});
afterEach(failOnUnexpected);
afterAll(failOnUnexpected);
