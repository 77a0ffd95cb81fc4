import { zodResponseFormat } from "openai/helpers/zod";
import type { z } from "zod";

import { AppError } from "~/lib/errors";

/** The `response_format` body field for strict JSON-schema output. */
export interface JsonSchemaResponseFormat {
  type: "json_schema";
  json_schema: { name: string; strict: true; schema: Record<string, unknown> };
}

/** A compact, data-free description of why a reply failed its schema (safe to log and re-send). */
export interface OutputIssue {
  path: string;
  message: string;
}

export type StructuredParse<T> =
  { ok: true; data: T } | { ok: false; reason: "not_json" | "schema"; issues: OutputIssue[] };

const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

// Converting a schema walks it; the app sends the same few schemas over and over.
const formats = new WeakMap<z.ZodType, Map<string, JsonSchemaResponseFormat>>();

/**
 * Builds a strict json_schema response format from a zod v4 schema using the SDK's helper,
 * which already applies OpenAI's strict-mode rules (every property required,
 * additionalProperties: false). Optional fields must be written `.nullable()`; a schema the
 * API cannot take fails here with INVALID_INPUT instead of as a 400 from the provider.
 */
export function responseFormatFor(schema: z.ZodType, name: string): JsonSchemaResponseFormat {
  let byName = formats.get(schema);
  const cached = byName?.get(name);
  if (cached) return cached;
  if (!SCHEMA_NAME.test(name)) {
    throw new AppError("INVALID_INPUT", `schemaName "${name}" must match ${SCHEMA_NAME.source}`);
  }
  let built: ReturnType<typeof zodResponseFormat>;
  try {
    built = zodResponseFormat(schema, name);
  } catch (error) {
    throw new AppError(
      "INVALID_INPUT",
      `schema "${name}" cannot be used for structured output: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  // Copy the plain fields: the helper's object also carries SDK parsing hooks we do not use.
  const format: JsonSchemaResponseFormat = {
    type: "json_schema",
    json_schema: { name, strict: true, schema: built.json_schema.schema as Record<string, unknown> },
  };
  if (!byName) formats.set(schema, (byName = new Map()));
  byName.set(name, format);
  return format;
}

/** Parses a model reply as JSON and validates it against `schema`. */
export function parseStructured<S extends z.ZodType>(
  content: string | null | undefined,
  schema: S,
): StructuredParse<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(content ?? "");
  } catch (error) {
    return {
      ok: false,
      reason: "not_json",
      issues: [{ path: "", message: `reply is not valid JSON (${(error as Error).message})` }],
    };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    reason: "schema",
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  };
}

/** The follow-up user message of the single re-ask. */
export function reaskMessage(issues: OutputIssue[]): string {
  const list = issues
    .slice(0, 20)
    .map((issue) => `- ${issue.path || "(root)"}: ${issue.message}`)
    .join("\n");
  return `Your previous reply did not match the required JSON schema:\n${list}\nReply again with only JSON that satisfies the schema exactly, respecting every length and format limit.`;
}
