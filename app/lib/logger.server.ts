import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

import { pino, type DestinationStream, type Logger } from "pino";

import { env } from "~/config/env.server";

export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  shop?: string;
}

// One store per process, even when server.ts and the Remix build each load this module.
const CONTEXT_KEY = Symbol.for("storewise.logContext");
const globals = globalThis as typeof globalThis & { [CONTEXT_KEY]?: AsyncLocalStorage<LogContext> };
const context = (globals[CONTEXT_KEY] ??= new AsyncLocalStorage<LogContext>());

function createLogger(): Logger {
  const { LOG_LEVEL, LOG_PRETTY } = env();
  return pino(
    {
      level: LOG_LEVEL,
      base: { pid: process.pid, role: process.env.STOREWISE_ROLE ?? "web" },
      // Every line carries the request or job it belongs to.
      mixin: () => ({ ...context.getStore() }),
      redact: {
        paths: [
          "accessToken",
          "refreshToken",
          "*.accessToken",
          "*.refreshToken",
          "headers.authorization",
          "email",
          "*.email",
          "phone",
          "*.phone",
        ],
        censor: "[redacted]",
      },
    },
    LOG_PRETTY ? prettyStream() : undefined,
  );
}

/**
 * pino-pretty is a dev dependency, loaded only when asked for. It runs in-process rather than as a
 * worker-thread transport, which cannot resolve its target inside Vite's dev server.
 */
function prettyStream(): DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as (options: object) => DestinationStream;
  return pretty({ singleLine: true, colorize: true });
}

export const logger: Logger = createLogger();

/** Runs `fn` with ids that every log line inside it will carry. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

export function currentLogContext(): LogContext {
  return context.getStore() ?? {};
}
