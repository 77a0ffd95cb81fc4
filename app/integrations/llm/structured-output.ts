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

/**
 * How a model is sent a schema. OpenAI takes strict json_schema with length and count limits;
 * some models and OpenAI-compatible servers (Azure deployments, Ollama, vLLM) refuse part of that
 * subset with a 400. The client then steps down once per model and remembers it: "relaxed" sends
 * the schema without the refused keywords (the limits move into descriptions), "json_object" only
 * asks for a JSON object and gives the schema in the prompt. zod checks every limit locally in
 * all three, with one re-ask.
 */
export type SchemaMode = "strict" | "relaxed" | "json_object";

export type ResponseFormat = JsonSchemaResponseFormat | { type: "json_object" };

/**
 * Keywords some providers refuse in strict mode: what OpenAI's "Supported schemas" page lists as
 * unsupported for fine-tuned models, plus composition keywords it refuses for every model.
 */
const LIMIT_KEYWORDS = [
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "not",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
] as const;

const relaxedFormats = new WeakMap<JsonSchemaResponseFormat, JsonSchemaResponseFormat>();

/** The strict format without LIMIT_KEYWORDS; each removed limit is written into the description. */
export function relaxedFormat(format: JsonSchemaResponseFormat): JsonSchemaResponseFormat {
  let relaxed = relaxedFormats.get(format);
  if (!relaxed) {
    relaxed = { ...format, json_schema: { ...format.json_schema, schema: withoutLimits(format.json_schema.schema) } };
    relaxedFormats.set(format, relaxed);
  }
  return relaxed;
}

function withoutLimits(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(withoutLimits) as unknown as Record<string, unknown>;
  if (typeof node !== "object" || node === null) return node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const limits: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if ((LIMIT_KEYWORDS as readonly string[]).includes(key)) {
      limits.push(`${key} ${JSON.stringify(value)}`);
      continue;
    }
    // Property names are data, not keywords: only their schemas are rewritten.
    out[key] =
      key === "properties" || key === "$defs" || key === "definitions"
        ? Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, withoutLimits(sub)]))
        : typeof value === "object" && value !== null
          ? withoutLimits(value)
          : value;
  }
  if (limits.length > 0) {
    const described = typeof out.description === "string" ? `${out.description} ` : "";
    out.description = `${described}(Limits: ${limits.join(", ")}.)`;
  }
  return out;
}

/** The system message that carries the schema when only json_object is available. */
export function jsonObjectInstruction(format: JsonSchemaResponseFormat): string {
  return `Reply with only a JSON object that satisfies this JSON schema, respecting every limit in it:\n${JSON.stringify(format.json_schema.schema)}`;
}

/** A 400 that refuses the response format or its schema (not the prompt, not the model). */
export function isSchemaRefusal(status: number | undefined, param: unknown, message: string): boolean {
  if (status !== 400 && status !== 422) return false;
  if (param === "response_format" || (typeof param === "string" && param.startsWith("response_format"))) return true;
  return /response_format|json_schema|invalid schema|schema .*not (permitted|supported)|not (permitted|supported).*schema/i.test(
    message,
  );
}
