/** Codes for failures the app knows how to name. The user message is safe to show a merchant. */
export type AppErrorCode =
  | "SHOP_NOT_INSTALLED"
  | "ADMIN_API_THROTTLED"
  | "ADMIN_API_BUDGET_EXHAUSTED"
  | "ADMIN_API_HTTP_ERROR"
  | "ADMIN_API_GRAPHQL_ERROR"
  | "ADMIN_API_USER_ERRORS"
  | "ADMIN_API_UNAUTHORIZED"
  | "ADMIN_API_NETWORK_ERROR"
  | "RESOURCE_NOT_FOUND"
  | "TOKEN_REFRESH_FAILED"
  | "LLM_CIRCUIT_OPEN"
  | "LLM_RATE_LIMITED"
  | "LLM_UNAVAILABLE"
  | "LLM_REQUEST_REJECTED"
  | "LLM_TIMEOUT"
  | "LLM_INVALID_OUTPUT"
  | "LLM_REFUSED"
  | "QUEUE_UNAVAILABLE"
  | "CONTENT_BEING_PUBLISHED"
  | "INVALID_INPUT";

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

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/**
 * What a caught error means for a job's own record of it: out of Admin API budget is no failure
 * (the job is rescheduled), a retryable error before the last attempt will be tried again, and
 * anything else is final (what a merchant is shown as failed).
 */
export function failureKind(error: unknown, finalAttempt: boolean): "rescheduled" | "retrying" | "final" {
  if (isAppError(error, "ADMIN_API_BUDGET_EXHAUSTED")) return "rescheduled";
  return finalAttempt || !isAppError(error) || !error.retryable ? "final" : "retrying";
}

/**
 * The HTTP status an admin action answers with a known failure: a resource that is not the shop's
 * (or no longer exists) is 404, whatever id was sent; other failures are shown on the page (200).
 */
export function actionStatus(error: AppError): 200 | 404 {
  return error.code === "RESOURCE_NOT_FOUND" ? 404 : 200;
}
