import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";

import { AppError, type AppErrorCode } from "~/lib/errors";

/** What one failed attempt means for the call. */
export interface AttemptFailure {
  /** The error the call ends with if it is not retried. */
  error: AppError;
  /** Another attempt may succeed. */
  retryable: boolean;
  /** Counts toward opening the circuit (the service, not our request, is the problem). */
  outage: boolean;
  /** The server said when to come back (retry-after-ms / retry-after). */
  retryAfterMs?: number;
  status?: number;
}

const USER_MESSAGES = {
  busy: "The AI service is busy right now; the work will resume shortly.",
  down: "The AI service is not responding right now. Please try again later.",
  slow: "The AI service took too long to answer. Please try again.",
  refused: "The AI declined this request. Try rewording it or editing the details it was given.",
  misconfigured: "The AI service is not configured correctly. Please contact the app's administrator.",
  outOfCredit:
    "The AI account Storewise uses has run out of credit, so no copy can be written. Add credit or raise the spending limit in the AI provider's billing settings, then retry the failed jobs.",
} as const;

/** The user message of LLM_QUOTA_EXHAUSTED (the admin home says the same in its banner). */
export const OUT_OF_CREDIT_MESSAGE = USER_MESSAGES.outOfCredit;

/** Maps an SDK (or network) error to an AppError and whether retrying makes sense. */
export function classifyFailure(error: unknown, context: { timedOut: boolean; model: string }): AttemptFailure {
  const { model } = context;
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return transient("LLM_TIMEOUT", "LLM request timed out", USER_MESSAGES.slow, error, { model });
  }
  if (error instanceof APIConnectionError) {
    return transient("LLM_UNAVAILABLE", `LLM connection failed: ${error.message}`, USER_MESSAGES.down, error, {
      model,
    });
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    // Not a provider answer we understand (e.g. a proxy returned garbage): retrying will not fix it.
    const message = `LLM request failed: ${(error as Error)?.message ?? String(error)}`;
    return {
      error: new AppError("LLM_UNAVAILABLE", message, { cause: error, details: { model } }),
      retryable: false,
      outage: false,
    };
  }

  const status = error.status;
  const details = { model, status, type: error.type, code: error.code, param: error.param, requestId: error.requestID };
  const retryAfterMs = retryAfterFrom(error.headers);
  const withStatus = (failure: AttemptFailure): AttemptFailure => ({ ...failure, status, retryAfterMs });

  if (status === 429 && error.code === "insufficient_quota") {
    // Billing, not load: waiting does not clear it, so it is final (no retry, no reschedule) and
    // does not count against the breaker (the service answered).
    return withStatus(
      permanent(
        "LLM_QUOTA_EXHAUSTED",
        `LLM quota exhausted: ${error.message}`,
        USER_MESSAGES.outOfCredit,
        error,
        details,
      ),
    );
  }
  if (status === 429)
    return withStatus(
      transient("LLM_RATE_LIMITED", `LLM rate limited: ${error.message}`, USER_MESSAGES.busy, error, details),
    );
  if (status === 408)
    return withStatus(transient("LLM_TIMEOUT", `LLM request timed out (HTTP 408)`, USER_MESSAGES.slow, error, details));
  if (status === 409 || status >= 500) {
    return withStatus(
      transient("LLM_UNAVAILABLE", `LLM provider error: ${error.message}`, USER_MESSAGES.down, error, details),
    );
  }
  if (status === 400 && (error.code === "content_policy_violation" || error.code === "content_filter")) {
    return withStatus(
      permanent("LLM_REFUSED", `LLM refused the request: ${error.message}`, USER_MESSAGES.refused, error, details),
    );
  }
  if (status === 401 || status === 403) {
    const message = `LLM provider rejected the credentials (HTTP ${status}); check OPENAI_API_KEY and OPENAI_BASE_URL: ${error.message}`;
    return withStatus(permanent("LLM_REQUEST_REJECTED", message, USER_MESSAGES.misconfigured, error, details));
  }
  if (status === 404) {
    const message = `LLM model or endpoint not found (HTTP 404); check OPENAI_MODEL_* and OPENAI_BASE_URL: ${error.message}`;
    return withStatus(permanent("LLM_REQUEST_REJECTED", message, USER_MESSAGES.misconfigured, error, details));
  }
  // 400, 422 and friends: our request is wrong, and sending it again will not change that.
  const message = `LLM provider rejected the request (HTTP ${status}): ${error.message}`;
  return withStatus(permanent("LLM_REQUEST_REJECTED", message, USER_MESSAGES.misconfigured, error, details));
}

/** The error a call ends with when the server asks us to wait longer than the call may. */
export function waitTooLongError(failure: AttemptFailure, waitMs: number): AppError {
  const code: AppErrorCode = failure.status === 429 ? "LLM_RATE_LIMITED" : failure.error.code;
  return new AppError(
    code,
    `${failure.error.message} (server asked to wait ${Math.round(waitMs)} ms, more than this call may)`,
    {
      retryable: true,
      cause: failure.error,
      userMessage: failure.error.userMessage,
      details: { ...failure.error.details, retryAfterMs: Math.round(waitMs) },
    },
  );
}

/** `retry-after-ms` (OpenAI, Azure) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterFrom(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failure worth another attempt: the provider or the network, not the request, is at fault. */
function transient(...args: FailureArgs): AttemptFailure {
  return failure(true, ...args);
}

/** A failure no retry can mend (a bad request, a refusal, no credit). */
function permanent(...args: FailureArgs): AttemptFailure {
  return failure(false, ...args);
}

type FailureArgs = [
  code: AppErrorCode,
  message: string,
  userMessage: string,
  cause: unknown,
  details: Record<string, unknown>,
];

function failure(retryable: boolean, ...[code, message, userMessage, cause, details]: FailureArgs): AttemptFailure {
  return {
    error: new AppError(code, message, { retryable, userMessage, cause, details }),
    retryable,
    outage: retryable,
  };
}
