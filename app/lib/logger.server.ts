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

/**
 * Keys whose values never reach a log line, at any depth (inside errors, request and response
 * objects, headers): secrets, and the customer contact details the app must not keep. Matched
 * case-insensitively on the key's exact name.
 */
const SECRET_KEYS = [
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "sessionToken",
  "client_secret",
  "clientSecret",
  "apiSecret",
  "apiSecretKey",
  "api_secret",
  "password",
  "authorization",
  "cookie",
  "set-cookie",
  "x-shopify-access-token",
  "x-shopify-hmac-sha256",
  "x-shopify-storefront-access-token",
  "email",
  "customerEmail",
  "customer_email",
  "contact_email",
  "phone",
];
const CENSOR = "[redacted]";

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const keyAlternatives = SECRET_KEYS.map(escapeRegExp).join("|");
// `"key":<string or number>` in the serialised line, also when that JSON sits escaped inside a
// string (`\"key\":\"...\"`, e.g. a response body carried in an error message).
const SECRET_FIELD = new RegExp(
  `("(?:${keyAlternatives})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*)` +
    `|(\\\\"(?:${keyAlternatives})\\\\"\\s*:\\s*)(\\\\"(?:[^"\\\\]|\\\\[^"])*?\\\\"|-?\\d[\\d.eE+-]*)`,
  "gi",
);
// Secrets in URLs and form bodies: `?id_token=...`, `&client_secret=...`.
const SECRET_PARAM = /([?&](?:id_token|session|hmac|access_token|refresh_token|client_secret|code)=)[^&"\s\\]+/gi;

/**
 * Redacts one serialised log line. pino's own `redact` paths reach one wildcard level only, and an
 * error's nested request headers or a payload three levels down would slip through; the finished
 * line shows every level, so the rule is applied there.
 */
export function redactLogLine(line: string): string {
  return line
    .replace(SECRET_FIELD, (_match, key?: string, _value?: string, escapedKey?: string) =>
      key !== undefined ? `${key}"${CENSOR}"` : `${escapedKey}\\"${CENSOR}\\"`,
    )
    .replace(SECRET_PARAM, `$1${CENSOR}`);
}

/** The app's logger; `destination` is for tests, which read the lines it writes. */
export function createLogger(destination?: DestinationStream): Logger {
  const { LOG_LEVEL, LOG_PRETTY } = env();
  return pino(
    {
      level: LOG_LEVEL,
      base: { pid: process.pid, role: process.env.STOREWISE_ROLE ?? "web" },
      // Every line carries the request or job it belongs to.
      mixin: () => ({ ...context.getStore() }),
      // The common top-level cases cheaply; redactLogLine catches every depth.
      redact: {
        paths: ["accessToken", "refreshToken", "email", "phone", "headers.authorization"],
        censor: CENSOR,
      },
      hooks: { streamWrite: redactLogLine },
    },
    destination ?? (LOG_PRETTY ? prettyStream() : undefined),
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
