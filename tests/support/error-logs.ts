// A test fails when code logs at error level that the test did not expect: a `console.error` or
// an error/fatal line (pino level >= 50) of the app's logger in the test process, or such a line
// from a process the tests started (the shared web app, a worker, a test's own app). An error
// swallowed into a log is otherwise invisible to a test that checks only the happy effect. Each
// started process writes straight into its own log file (no pipe read by another process's event
// loop in between), so afterEach reads, synchronously, everything a process wrote while the test
// ran, also for the shared app that global-setup started in another process. Tests that provoke
// an error on purpose allow it with a pattern matched against the line's message (and its error's
// message): allowErrorLogs (one test) or allowErrorLogsInFile (the whole file).
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { format } from "node:util";

import { symbols, type DestinationStream, type Logger } from "pino";

/** pino's numeric level for `error`; `fatal` is 60. */
const PINO_ERROR = 50;

export interface ErrorLog {
  /** Which process (or "console.error" for the test process itself). */
  source: string;
  /** What allow patterns match: the message, and the logged error's message when there is one. */
  text: string;
  /** The line as written, for the failure report. */
  line: string;
}

interface WatchedLog {
  source: string;
  path: string;
  offset: number;
}

const watched: WatchedLog[] = [];
let seen: ErrorLog[] = [];
const fileAllowed: RegExp[] = [];
let testAllowed: RegExp[] | undefined;

/** Where started processes write; one directory per test run, made by global-setup. */
export const LOG_DIR_ENV = "STOREWISE_TEST_LOG_DIR";

function logDir(): string {
  return (process.env[LOG_DIR_ENV] ??= mkdtempSync(path.join(os.tmpdir(), "storewise-test-logs-")));
}

/** A new log file for a process about to start, watched from its first byte. */
export function newProcessLog(source: string): string {
  const file = path.join(
    logDir(),
    `${source.replace(/[^\w.-]+/g, "_")}-${process.pid}-${watched.length}-${Date.now()}.log`,
  );
  closeSync(openSync(file, "a"));
  watched.push({ source, path: file, offset: 0 });
  return file;
}

/** Watches a log file another process (global-setup) started, from what it holds now on. */
export function watchLog(source: string, file: string): void {
  watched.push({ source, path: file, offset: statSync(file).size });
}

/** The last `maxBytes` of a process's log, for failure reports and tests that read output. */
export function logTail(file: string, maxBytes = 20_000): string {
  const text = readFileSync(file);
  return text.subarray(Math.max(0, text.length - maxBytes)).toString();
}

/** The error-level pino lines in `text`; other lines (info, plain text, a partial line) are not. */
export function errorLines(source: string, text: string): ErrorLog[] {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return [];
    }
    if (typeof entry.level !== "number" || entry.level < PINO_ERROR) return [];
    const errorMessage = typeof entry.err?.message === "string" ? `: ${entry.err.message}` : "";
    return [{ source, text: `${String(entry.msg ?? "")}${errorMessage}`, line }];
  });
}

/** Complete lines each watched file gained since the last read (a half-written line waits). */
function readNewErrorLines(): ErrorLog[] {
  return watched.flatMap((log) => {
    const size = statSync(log.path).size;
    if (size <= log.offset) return [];
    const buffer = Buffer.alloc(size - log.offset);
    const fd = openSync(log.path, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, log.offset);
    } finally {
      closeSync(fd);
    }
    const complete = buffer.lastIndexOf("\n") + 1;
    log.offset += complete;
    return errorLines(log.source, buffer.subarray(0, complete).toString());
  });
}

/** Lets the running test log errors matching `pattern` (its message, e.g. /webhook handler failed/). */
export function allowErrorLogs(...patterns: RegExp[]): void {
  if (!testAllowed) throw new Error("allowErrorLogs is for inside a test; use allowErrorLogsInFile at file level");
  testAllowed.push(...patterns);
}

/** Lets every test in this file (and its hooks) log errors matching `pattern`. */
export function allowErrorLogsInFile(...patterns: RegExp[]): void {
  fileAllowed.push(...patterns);
}

/** Fails with the unexpected error logs since the last check, if any. */
function failOnUnexpected(when: string): void {
  const allowed = [...fileAllowed, ...(testAllowed ?? [])];
  const unexpected = [...seen, ...readNewErrorLines()].filter(
    (log) => !allowed.some((pattern) => pattern.test(log.text)),
  );
  seen = [];
  if (!unexpected.length) return;
  // An outage can log hundreds of lines: the first few in full, then one line for each message.
  const shown = unexpected.slice(0, 10).map((log) => `[${log.source}] ${log.text}\n    ${log.line.slice(0, 2_000)}`);
  const rest = new Map<string, number>();
  for (const log of unexpected.slice(10)) {
    const message = `[${log.source}] ${log.text.slice(0, 200)}`;
    rest.set(message, (rest.get(message) ?? 0) + 1);
  }
  const more = [...rest].map(([message, count]) => `\n${count} × ${message}`).join("");
  throw new Error(
    `${unexpected.length} unexpected error log(s) ${when}; if the test provokes them on purpose, ` +
      `allow them with allowErrorLogs(/message/) or allowErrorLogsInFile(/message/):\n${shown.join("\n")}${more}`,
  );
}

/** Records a `console.error` of the test process as an error log (it is still printed). */
export function recordConsoleErrors(): void {
  const printError = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    seen.push({ source: "console.error", text: format(...args), line: format(...args) });
    printError(...args);
  };
}

/**
 * Records the error-level lines of the test process's own app logger (app code a test calls
 * directly). Its children look the stream up on it, so they are covered too; a logger made with
 * its own destination (createLogger(destination)) is not.
 */
export function recordLoggerErrors(logger: Logger): void {
  const holder = logger as unknown as Record<symbol, DestinationStream>;
  const stream = holder[symbols.streamSym];
  if (!stream) return;
  const write = (line: string) => {
    seen.push(...errorLines("test process", line));
    return stream.write(line);
  };
  holder[symbols.streamSym] = new Proxy(stream, {
    get: (target, key) => {
      if (key === "write") return write;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A test begins: allowErrorLogs now applies to it. */
export function testStarted(): void {
  testAllowed = [];
}

/** A test ends: fails it with the unexpected error logs since the last check. */
export function testEnded(): void {
  try {
    failOnUnexpected("while this test (or the hooks before it) ran");
  } finally {
    testAllowed = undefined;
  }
}

/** The file ends: fails its hooks with what was logged after its last test. */
export function fileEnded(): void {
  failOnUnexpected("in this file's hooks after its last test");
}
