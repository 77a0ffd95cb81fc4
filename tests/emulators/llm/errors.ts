// OpenAI's error envelope. The SDK maps status codes to error classes and reads
// `error.type/code/param` from this body, so shapes and wording follow the real API.

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAiErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error.message);
  }
}

export function errorBody(message: string, type: string, param: string | null, code: string | null): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null, status = 400) {
  return new ApiError(status, errorBody(message, "invalid_request_error", param, code));
}

export function missingParam(param: string): ApiError {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  null: "null",
};

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "bigint" ? "number" : typeof value;
}

export function invalidType(param: string, expected: string, value: unknown): ApiError {
  return invalidRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${TYPE_NAMES[jsonTypeOf(value)] ?? "a value"} instead.`,
    param,
    "invalid_type",
  );
}

export function invalidValue(param: string, value: unknown, supported: readonly string[]): ApiError {
  const list =
    supported.length <= 1
      ? `'${supported[0] ?? ""}'`
      : `${supported
          .slice(0, -1)
          .map((s) => `'${s}'`)
          .join(", ")}${supported.length > 2 ? "," : ""} and '${supported[supported.length - 1]}'`;
  return invalidRequest(`Invalid value: '${String(value)}'. Supported values are: ${list}.`, param, "invalid_value");
}

export const PARSE_ERROR_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

export function serverError(): OpenAiErrorBody {
  return errorBody(
    "The server had an error while processing your request. Sorry about that!",
    "server_error",
    null,
    null,
  );
}

export function overloaded(): OpenAiErrorBody {
  return errorBody("The server is overloaded or not ready yet.", "server_error", null, null);
}

/**
 * 429 for an account without credit (platform.openai.com/docs/guides/error-codes): unlike a
 * rate limit it carries no retry-after, and waiting does not clear it, only billing does.
 */
export function insufficientQuota(): ApiError {
  return new ApiError(
    429,
    errorBody(
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      "insufficient_quota",
      null,
      "insufficient_quota",
    ),
  );
}

export function redactKey(key: string): string {
  if (key.length <= 8) return `${key.slice(0, 2)}***`;
  return `${key.slice(0, 3)}${"*".repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}
