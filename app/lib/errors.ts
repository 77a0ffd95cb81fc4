/** Codes for failures the app knows how to name. The user message is safe to show a merchant. */
export type AppErrorCode =
  | "SHOP_NOT_INSTALLED"
  | "ADMIN_API_THROTTLED"
  | "ADMIN_API_BUDGET_EXHAUSTED"
  | "ADMIN_API_HTTP_ERROR"
  | "ADMIN_API_GRAPHQL_ERROR"
  | "ADMIN_API_USER_ERRORS"
  | "ADMIN_API_UNAUTHORIZED"
  | "ADMIN_API_ACCESS_DENIED"
  | "ADMIN_API_NETWORK_ERROR"
  // The shop is frozen (402, unpaid) or locked (423): no Admin API call can succeed until it is not.
  | "SHOP_UNAVAILABLE"
  | "RESOURCE_NOT_FOUND"
  | "TOKEN_REFRESH_FAILED"
  | "LLM_CIRCUIT_OPEN"
  | "LLM_RATE_LIMITED"
  | "LLM_UNAVAILABLE"
  /** The LLM account is out of credit (insufficient_quota): final, never an outage to wait out. */
  | "LLM_QUOTA_EXHAUSTED"
  | "LLM_REQUEST_REJECTED"
  | "LLM_TIMEOUT"
  | "LLM_INVALID_OUTPUT"
  | "LLM_REFUSED"
  | "QUEUE_UNAVAILABLE"
  | "CONTENT_BEING_PUBLISHED"
  | "INVALID_INPUT"
  | "ADMIN_API_TIMEOUT"
  | "DATABASE_UNAVAILABLE"
  | "REDIS_UNAVAILABLE"
  | "WORKER_STOPPING";

export interface AppErrorOptions {
  userMessage?: string;
  /** Whether trying again later can succeed (false maps to BullMQ's UnrecoverableError). */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.userMessage = options.userMessage ?? "Something went wrong. Please try again.";
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** Why Shopify refuses every Admin API call of a shop: frozen (402, unpaid) or locked (423). */
export type ShopUnavailableState = "frozen" | "locked";

/**
 * SHOP_UNAVAILABLE: not retried (it does not pass in seconds) and not an outage of the app's own
 * dependencies; the shop's jobs fail with this message until Shopify serves the shop again.
 */
export function shopUnavailableError(shop: string, state: ShopUnavailableState, status?: number): AppError {
  return new AppError("SHOP_UNAVAILABLE", `Shopify refuses the Admin API for ${shop}: the shop is ${state}`, {
    retryable: false,
    details: { shop, state, status },
    userMessage:
      state === "frozen"
        ? "Shopify has frozen this store until its outstanding bill is paid. Storewise has paused its work for the store."
        : "Shopify has locked this store. Storewise has paused its work for the store until Shopify unlocks it.",
  });
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/**
 * AppError codes that mean "a dependency is out or pacing us", not "this job is wrong": the job
 * harness reschedules them without spending an attempt (docs/decisions/011).
 */
const OUTAGE_CODES: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  "ADMIN_API_BUDGET_EXHAUSTED",
  "ADMIN_API_THROTTLED",
  "LLM_CIRCUIT_OPEN",
  "LLM_RATE_LIMITED",
  "LLM_UNAVAILABLE",
  "QUEUE_UNAVAILABLE",
  "DATABASE_UNAVAILABLE",
  "REDIS_UNAVAILABLE",
  // A stopping worker aborted the job at its deadline: it runs again elsewhere.
  "WORKER_STOPPING",
  // Another job holds the version's publish claim: come back when it is recorded or goes stale.
  "CONTENT_BEING_PUBLISHED",
]);

// Prisma error codes for "cannot reach / lost / pool exhausted" (prisma.io/docs/orm/reference/error-reference).
const PRISMA_UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// Driver-adapter error kinds (@prisma/adapter-pg) for the same conditions.
const ADAPTER_UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "DatabaseAccessDenied",
]);
// Node socket errors, and Postgres SQLSTATE classes 08 (connection) and 57P (shutdown / cannot connect now).
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);

/** Which dependency a thrown error says is unreachable: Postgres, Redis, or neither. */
export function unavailableDependency(error: unknown): "database" | "redis" | null {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (typeof current !== "object") return null;
    const e = current as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    const name = typeof e.name === "string" ? e.name : "";
    const code = typeof e.code === "string" ? e.code : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (isAppError(current, "DATABASE_UNAVAILABLE")) return "database";
    if (isAppError(current, "REDIS_UNAVAILABLE") || isAppError(current, "QUEUE_UNAVAILABLE")) return "redis";
    if (name === "PrismaClientInitializationError") return "database";
    if (name.startsWith("PrismaClient") && PRISMA_UNAVAILABLE_CODES.has(code)) return "database";
    if (name === "DriverAdapterError") {
      const kind = (e.cause as { kind?: unknown } | undefined)?.kind;
      if (typeof kind === "string" && ADAPTER_UNAVAILABLE_KINDS.has(kind)) return "database";
    }
    // A hung server (no refusal, no answer) surfaces as pg's read timeout, pg-pool's checkout
    // timeout, or a statement cancelled by statement_timeout (57014): an outage just the same.
    if (
      /^(08|57P0[1-3]|57014)/.test(code) ||
      /Connection terminated|connection timeout|Can't reach database|Query read timeout|timeout exceeded when trying to connect/i.test(
        message,
      )
    )
      return "database";
    if (
      name === "MaxRetriesPerRequestError" ||
      /Connection is closed|enableOfflineQueue options is false/.test(message)
    )
      return "redis";
    if (SOCKET_CODES.has(code)) return /6379|redis/i.test(message) ? "redis" : "database";
    current = e.cause;
  }
  return null;
}

/**
 * Whether an error is an outage or pacing of a dependency (LLM circuit open or rate-limited,
 * Admin API throttled or out of budget, Postgres or Redis unreachable): trying again in a while
 * can succeed, and the job itself is not at fault, so no attempt is spent on it.
 */
export function isOutage(error: unknown): boolean {
  if (isAppError(error)) return OUTAGE_CODES.has(error.code);
  return unavailableDependency(error) !== null;
}

/**
 * What a caught error means for a job's own record of it: an outage is no failure (the job is
 * rescheduled, docs/decisions/011) while the harness may still reschedule it, a retryable error
 * before the last attempt will be tried again, and anything else is final (what a merchant is
 * shown as failed). `rescheduleAllowed` is false once a job has used up its reschedules.
 */
export function failureKind(
  error: unknown,
  finalAttempt: boolean,
  rescheduleAllowed = true,
): "rescheduled" | "retrying" | "final" {
  if (isOutage(error)) return rescheduleAllowed ? "rescheduled" : "final";
  return finalAttempt || !isAppError(error) || !error.retryable ? "final" : "retrying";
}

/**
 * The HTTP status an admin action answers with a known failure: a resource that is not the shop's
 * (or no longer exists) is 404, whatever id was sent; other failures are shown on the page (200).
 */
export function actionStatus(error: AppError): 200 | 404 {
  return error.code === "RESOURCE_NOT_FOUND" ? 404 : 200;
}
