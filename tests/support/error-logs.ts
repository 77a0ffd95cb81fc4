/**
 * Error-level logs a test did not ask for fail it (tests/setup/per-file.ts), as epic-stack's set-up
 * does with console.error: an error the app logs and swallows is otherwise invisible to a green
 * test. Collected from the test process (console.error and the app's pino logger imported in it)
 * and from the processes tests start (the web app, workers: their pino lines at level >= 50).
 *
 * A test that provokes an error on purpose says so, inside the test, with the message it expects:
 *   allowErrorLogs(/could not record job run/);
 * A file whose every test does (fault injection) calls allowErrorLogsInFile at its top level.
 */

/** pino's numeric levels: 50 error, 60 fatal. */
const ERROR_LEVEL = 50;

export interface ErrorLog {
  /** Where it was logged: "test process", "web app", "worker" or the script a test started. */
  source: string;
  line: string;
}

const captured: ErrorLog[] = [];
let testAllowances: RegExp[] = [];
const fileAllowances: RegExp[] = [];
let inTest = false;

/** Lets error logs matching one of `patterns` through for the running test only. */
export function allowErrorLogs(...patterns: RegExp[]): void {
  if (!inTest) throw new Error("allowErrorLogs is for inside a test; at a file's top level use allowErrorLogsInFile");
  testAllowances.push(...patterns);
}

/** Lets error logs matching one of `patterns` through for every test of the file. */
export function allowErrorLogsInFile(...patterns: RegExp[]): void {
  fileAllowances.push(...patterns);
}

/** Records one error log line (called by the collectors). */
export function recordErrorLog(source: string, line: string): void {
  captured.push({ source, line: line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line });
}

/** The pino lines at error level or above in a chunk of a process's output. */
export function errorLinesIn(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"level":')) continue;
    try {
      const level = (JSON.parse(line) as { level?: unknown }).level;
      if (typeof level === "number" && level >= ERROR_LEVEL) lines.push(line);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/**
 * Splits a process's output stream into lines and records the error-level ones. Chunks can end
 * mid-line, so the remainder waits for the next chunk.
 */
export function errorLogCollector(source: string): (chunk: string) => void {
  let partial = "";
  return (chunk) => {
    const text = partial + chunk;
    const end = text.lastIndexOf("\n");
    if (end === -1) {
      partial = text;
      return;
    }
    partial = text.slice(end + 1);
    for (const line of errorLinesIn(text.slice(0, end))) recordErrorLog(source, line);
  };
}

/** Opens a test's window; what was logged since the last test ended (the file's set-up) counts for it. */
export function startTest(): void {
  inTest = true;
  testAllowances = [];
}

/** The error logs since the test (or the file's hooks) began that nothing allowed; clears them. */
export function takeUnexpected(): ErrorLog[] {
  const allowed = [...testAllowances, ...fileAllowances];
  const unexpected = captured.filter((entry) => !allowed.some((pattern) => pattern.test(entry.line)));
  captured.length = 0;
  inTest = false;
  testAllowances = [];
  return unexpected;
}

export function describeUnexpected(logs: ErrorLog[]): string {
  return [
    `${logs.length} unexpected error-level log${logs.length === 1 ? "" : "s"} (a test that expects one calls allowErrorLogs(/pattern/)):`,
    ...logs.slice(0, 10).map((entry) => `  [${entry.source}] ${summary(entry.line)}`),
    ...(logs.length > 10 ? [`  … and ${logs.length - 10} more`] : []),
  ].join("\n");
}

/** A pino line as its message, error and ids; anything else as it is. */
function summary(line: string): string {
  try {
    const { msg, err, shop, jobId, queue, requestId } = JSON.parse(line) as Record<string, unknown>;
    const error = err as { type?: string; message?: string } | undefined;
    const ids = Object.entries({ shop, jobId, queue, requestId })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${String(value)}`);
    return [String(msg ?? ""), error ? `(${error.type ?? "Error"}: ${error.message ?? ""})` : "", ids.join(" ")]
      .filter(Boolean)
      .join(" ");
  } catch {
    return line;
  }
}
