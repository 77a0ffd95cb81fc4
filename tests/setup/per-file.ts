import { afterAll, afterEach, beforeEach, inject } from "vitest";

import {
  fileEnded,
  LOG_DIR_ENV,
  recordConsoleErrors,
  recordLoggerErrors,
  testEnded,
  testStarted,
  watchLog,
} from "../support/error-logs";

// Test files import app modules (Prisma, Redis, the Admin client) that read the same validated
// env as the app under test, pointed at the same emulators.
Object.assign(process.env, inject("appEnv"));
process.env[LOG_DIR_ENV] = inject("testLogDir");

// A test fails on an unexpected console.error or error-level log line (tests/support/error-logs.ts).
// These hooks are registered before the test file's, so its after-hooks (stopping a worker) run
// first and what they log counts too.
const appUrl = inject("appUrl");
watchLog("shared web app", inject("appLogFile"));
recordConsoleErrors();

/**
 * The shared web app runs in global-setup's process and writes its log asynchronously; one more
 * request it answers lets the writes it started while serving the test's last request land.
 */
const flushSharedApp = () =>
  fetch(`${appUrl}/healthz`).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );

/**
 * The app's logger in this process, tapped at the first test: loading it here, before the test
 * file's imports, would read the app's env before a file that sets its own (vi.hoisted) could.
 */
let loggerTapped = false;
async function tapAppLogger() {
  if (loggerTapped) return;
  loggerTapped = true;
  recordLoggerErrors((await import("~/lib/logger.server")).logger);
}

beforeEach(async () => {
  await tapAppLogger();
  testStarted();
});
afterEach(async () => {
  await flushSharedApp();
  testEnded();
});
afterAll(async () => {
  await flushSharedApp();
  fileEnded();
});
