// Compiles a JSON Schema into a small node tree once and caches it by the schema's JSON
// text, so repeated structured-output requests (the common case: the app sends the same
// few schemas over and over) skip $ref resolution, allOf merging and regex compilation.
import { compilePattern } from "./pattern";
import type { JsonSchema, JsonSchemaLike } from "./types";

export type SchemaNode =
  | { kind: "any" }
  | { kind: "never" }
  | { kind: "null" }
  | { kind: "const"; value: unknown }
  | { kind: "enum"; values: unknown[] }
  | {
      kind: "string";
      minLength: number;
      maxLength: number;
      format: string | undefined;
      pattern: string | undefined;
      regex: RegExp | null;
    }
  | {
      kind: "number";
      integer: boolean;
      min: number;
      max: number;
      minExclusive: boolean;
      maxExclusive: boolean;
      multipleOf: number | undefined;
    }
  | { kind: "boolean" }
  | {
      kind: "array";
      prefix: SchemaNode[];
      /** Schema of items after `prefix`; null when no further items are allowed. */
      items: SchemaNode | null;
      minItems: number;
      maxItems: number;
      unique: boolean;
    }
  | {
      kind: "object";
      properties: PropertyNode[];
      /** Schema of extra keys; null when additionalProperties is false. */
      additional: SchemaNode | null;
      minProperties: number;
    }
  /** anyOf / oneOf / type arrays: the generator takes the first non-null option. */
  | { kind: "choice"; options: SchemaNode[]; nullIndex: number }
  /** A $ref cycle: resolved at generation time once the target has been compiled. */
  | { kind: "lazy"; resolve: () => SchemaNode };

export interface PropertyNode {
  name: string;
  node: SchemaNode;
  required: boolean;
}

const ANY: SchemaNode = { kind: "any" };
const NULL_NODE: SchemaNode = { kind: "null" };

interface CompileContext {
  root: JsonSchemaLike;
  memo: Map<object, SchemaNode>;
  pending: Set<object>;
}

const TYPE_NAMES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local JSON Pointer ref ("#", "#/$defs/Name", "#/definitions/a~1b"). */
function resolveRef(root: JsonSchemaLike, ref: string): JsonSchemaLike | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "boolean" || isSchemaObject(current) ? current : undefined;
}

function deref(ctx: CompileContext, schema: JsonSchemaLike, depth = 0): JsonSchemaLike {
  if (isSchemaObject(schema) && typeof schema.$ref === "string" && depth < 32) {
    const target = resolveRef(ctx.root, schema.$ref);
    return target === undefined ? true : deref(ctx, target, depth + 1);
  }
  return schema;
}

/** Shallow merge for allOf: properties are unioned, required concatenated, bounds tightened. */
function mergeAllOf(ctx: CompileContext, schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  let merged: JsonSchema = { ...rest };
  for (const part of allOf ?? []) {
    const sub = deref(ctx, part);
    if (!isSchemaObject(sub)) continue;
    const inner = sub.allOf ? mergeAllOf(ctx, sub) : sub;
    merged = {
      ...merged,
      ...inner,
      properties: { ...merged.properties, ...inner.properties },
      required: [...(merged.required ?? []), ...(inner.required ?? [])],
      minimum: maxDefined(merged.minimum, inner.minimum),
      maximum: minDefined(merged.maximum, inner.maximum),
      minLength: maxDefined(merged.minLength, inner.minLength),
      maxLength: minDefined(merged.maxLength, inner.maxLength),
    };
  }
  return merged;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function isNullSchema(schema: JsonSchemaLike): boolean {
  if (!isSchemaObject(schema)) return false;
  return (
    schema.type === "null" ||
    (Array.isArray(schema.type) && schema.type.length === 1 && schema.type[0] === "null") ||
    ("const" in schema && schema.const === null) ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)
  );
}

/** Declared types in order, or ones inferred from keywords when `type` is absent. */
function typesOf(schema: JsonSchema): string[] {
  let types: string[];
  if (typeof schema.type === "string") types = [schema.type];
  else if (Array.isArray(schema.type)) types = schema.type.filter((t) => (TYPE_NAMES as readonly string[]).includes(t));
  else if (schema.properties || schema.required || schema.additionalProperties !== undefined) types = ["object"];
  else if (schema.items !== undefined || schema.prefixItems) types = ["array"];
  else if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern || schema.format)
    types = ["string"];
  else if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined)
    types = ["number"];
  else types = [];
  if (schema.nullable === true && !types.includes("null")) types = [...types, "null"];
  return types;
}

function compile(ctx: CompileContext, schema: JsonSchemaLike): SchemaNode {
  if (schema === true) return ANY;
  if (schema === false) return { kind: "never" };
  if (!isSchemaObject(schema)) return ANY;
  const memoised = ctx.memo.get(schema);
  if (memoised) return memoised;
  if (ctx.pending.has(schema)) {
    // Recursive schema (e.g. a category tree): defer the lookup to generation time.
    return { kind: "lazy", resolve: () => ctx.memo.get(schema) ?? ANY };
  }
  ctx.pending.add(schema);
  const node = build(ctx, schema);
  ctx.pending.delete(schema);
  ctx.memo.set(schema, node);
  return node;
}

function build(ctx: CompileContext, raw: JsonSchema): SchemaNode {
  const schema = withStatedLimits(raw);
  if (typeof schema.$ref === "string") {
    const target = resolveRef(ctx.root, schema.$ref);
    return target === undefined ? ANY : compile(ctx, target);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return build(ctx, mergeAllOf(ctx, schema));
  if ("const" in schema) return { kind: "const", value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { kind: "enum", values: schema.enum };

  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union && union.length > 0) {
    return {
      kind: "choice",
      options: union.map((option) => compile(ctx, option)),
      nullIndex: union.findIndex((option) => isNullSchema(deref(ctx, option))),
    };
  }

  const types = typesOf(schema);
  if (types.length === 0) return ANY;
  if (types.length === 1) return buildTyped(ctx, schema, types[0] as string);
  return {
    kind: "choice",
    options: types.map((type) => buildTyped(ctx, schema, type)),
    nullIndex: types.indexOf("null"),
  };
}

const STATED_LIMIT = /\b(minLength|maxLength|minItems|maxItems|minimum|maximum)\b\W{0,3}(-?\d+(?:\.\d+)?)/g;

/**
 * A model reads the description too: limits a client states there in keyword form ("maxLength 70",
 * as clients do for providers that refuse the keywords) are followed when the keyword is absent.
 */
function withStatedLimits(schema: JsonSchema): JsonSchema {
  if (typeof schema.description !== "string" || !/(min|max)(Length|Items|imum)/.test(schema.description)) return schema;
  const stated: Record<string, number> = {};
  for (const match of schema.description.matchAll(STATED_LIMIT)) {
    if (schema[match[1]!] === undefined) stated[match[1]!] = Number(match[2]);
  }
  return Object.keys(stated).length > 0 ? { ...schema, ...stated } : schema;
}

function buildTyped(ctx: CompileContext, schema: JsonSchema, type: string): SchemaNode {
  switch (type) {
    case "null":
      return NULL_NODE;
    case "boolean":
      return { kind: "boolean" };
    case "string":
      return {
        kind: "string",
        minLength: schema.minLength ?? 0,
        maxLength: schema.maxLength ?? Number.POSITIVE_INFINITY,
        format: schema.format,
        pattern: schema.pattern,
        regex: schema.pattern ? compilePattern(schema.pattern) : null,
      };
    case "number":
    case "integer": {
      // Draft 4 uses boolean exclusiveMinimum next to minimum; draft 6+ uses a number.
      let min = schema.minimum ?? Number.NEGATIVE_INFINITY;
      let minExclusive = schema.exclusiveMinimum === true;
      if (typeof schema.exclusiveMinimum === "number" && schema.exclusiveMinimum >= min) {
        min = schema.exclusiveMinimum;
        minExclusive = true;
      }
      let max = schema.maximum ?? Number.POSITIVE_INFINITY;
      let maxExclusive = schema.exclusiveMaximum === true;
      if (typeof schema.exclusiveMaximum === "number" && schema.exclusiveMaximum <= max) {
        max = schema.exclusiveMaximum;
        maxExclusive = true;
      }
      return {
        kind: "number",
        integer: type === "integer",
        min,
        max,
        minExclusive,
        maxExclusive,
        multipleOf: schema.multipleOf,
      };
    }
    case "array": {
      const tupleItems = Array.isArray(schema.items) ? schema.items : undefined;
      const prefix = schema.prefixItems ?? tupleItems ?? [];
      let rest: JsonSchemaLike | undefined;
      if (schema.prefixItems) rest = Array.isArray(schema.items) ? undefined : schema.items;
      else if (tupleItems) rest = schema.additionalItems;
      else rest = schema.items as JsonSchemaLike | undefined;
      return {
        kind: "array",
        prefix: prefix.map((item) => compile(ctx, item)),
        items: rest === false ? null : compile(ctx, rest ?? true),
        minItems: schema.minItems ?? 0,
        maxItems: schema.maxItems ?? Number.POSITIVE_INFINITY,
        unique: schema.uniqueItems === true,
      };
    }
    case "object": {
      const required = new Set(schema.required ?? []);
      const properties: PropertyNode[] = Object.entries(schema.properties ?? {}).map(([name, sub]) => ({
        name,
        node: compile(ctx, sub),
        required: required.has(name),
      }));
      for (const name of required) {
        if (!(schema.properties && name in schema.properties)) properties.push({ name, node: ANY, required: true });
      }
      const additional = schema.additionalProperties;
      return {
        kind: "object",
        properties,
        additional: additional === false ? null : compile(ctx, additional ?? true),
        minProperties: schema.minProperties ?? 0,
      };
    }
    default:
      return ANY;
  }
}

/** Follows lazy (recursive) nodes. */
export function resolveNode(node: SchemaNode): SchemaNode {
  let current = node;
  for (let i = 0; current.kind === "lazy" && i < 8; i++) current = current.resolve();
  return current;
}

// ---------------------------------------------------------------------------------------
// OpenAI "strict" structured-output rules. Real OpenAI rejects strict schemas whose
// objects allow extra keys or leave properties optional; reproducing that here makes the
// app's zod→JSON-schema conversion fail in tests the same way it would in production.

/** Python-tuple rendering used by OpenAI's error messages: (), ('properties',), ('a', 'b'). */
function pyTuple(path: readonly string[]): string {
  if (path.length === 0) return "()";
  if (path.length === 1) return `('${path[0]}',)`;
  return `(${path.map((p) => `'${p}'`).join(", ")})`;
}

/** Returns OpenAI's error message for the first strict-mode violation, or null. */
export function strictSchemaError(schema: JsonSchemaLike, name: string): string | null {
  const prefix = `Invalid schema for response_format '${name}': `;
  if (!isSchemaObject(schema))
    return `${prefix}schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema)}"'.`;
  if (schema.type !== "object") {
    const got = schema.anyOf ? "anyOf" : String(schema.type ?? "None");
    return `${prefix}schema must be a JSON Schema of 'type: "object"', got 'type: "${got}"'.`;
  }
  const problem = findStrictViolation(schema, []);
  return problem ? prefix + problem : null;
}

function findStrictViolation(schema: JsonSchemaLike, path: string[]): string | null {
  if (!isSchemaObject(schema)) return null;
  const types = typesOf(schema);
  if (types.includes("object") && typeof schema.$ref !== "string") {
    if (schema.additionalProperties !== false) {
      return `In context=${pyTuple(path)}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const keys = Object.keys(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    const missing = keys.filter((key) => !required.has(key));
    if (missing.length > 0) {
      return `In context=${pyTuple(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    }
  }
  const children: Array<[string[], JsonSchemaLike]> = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) children.push([[...path, "properties", key], sub]);
  for (const defsKey of ["$defs", "definitions"] as const) {
    for (const [key, sub] of Object.entries(schema[defsKey] ?? {})) children.push([[...path, defsKey, key], sub]);
  }
  for (const listKey of ["anyOf", "oneOf", "allOf", "prefixItems"] as const) {
    const list = schema[listKey];
    if (Array.isArray(list)) list.forEach((sub, i) => children.push([[...path, listKey, String(i)], sub]));
  }
  if (schema.items !== undefined && !Array.isArray(schema.items)) children.push([[...path, "items"], schema.items]);
  for (const [childPath, sub] of children) {
    const problem = findStrictViolation(sub, childPath);
    if (problem) return problem;
  }
  return null;
}

/**
 * Keywords outside the subset some providers accept in strict mode: OpenAI's "Supported schemas"
 * list (platform.openai.com/docs/guides/structured-outputs#supported-schemas) names these as not
 * supported for fine-tuned models, plus the composition keywords it refuses for every model;
 * OpenAI-compatible servers refuse similar sets.
 */
export const RESTRICTED_KEYWORDS: readonly string[] = [
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "patternProperties",
  "unevaluatedProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "minItems",
  "maxItems",
  "uniqueItems",
  "allOf",
  "not",
  "dependentRequired",
  "dependentSchemas",
  "if",
  "then",
  "else",
];

/** The restrictive profile's 400 message for the first keyword outside the subset, or null. */
export function restrictedKeywordError(schema: JsonSchemaLike, name: string): string | null {
  const problem = findRestrictedKeyword(schema, []);
  return problem ? `Invalid schema for response_format '${name}': ${problem}` : null;
}

function findRestrictedKeyword(schema: JsonSchemaLike, path: string[]): string | null {
  if (!isSchemaObject(schema)) return null;
  for (const keyword of RESTRICTED_KEYWORDS) {
    if (schema[keyword] !== undefined) return `In context=${pyTuple(path)}, '${keyword}' is not permitted.`;
  }
  const children: Array<[string[], JsonSchemaLike]> = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) children.push([[...path, "properties", key], sub]);
  for (const defsKey of ["$defs", "definitions"] as const) {
    for (const [key, sub] of Object.entries(schema[defsKey] ?? {})) children.push([[...path, defsKey, key], sub]);
  }
  for (const listKey of ["anyOf", "oneOf", "prefixItems"] as const) {
    const list = schema[listKey];
    if (Array.isArray(list)) list.forEach((sub, i) => children.push([[...path, listKey, String(i)], sub]));
  }
  if (schema.items !== undefined && !Array.isArray(schema.items)) children.push([[...path, "items"], schema.items]);
  if (isSchemaObject(schema.additionalProperties)) {
    children.push([[...path, "additionalProperties"], schema.additionalProperties]);
  }
  for (const [childPath, sub] of children) {
    const problem = findRestrictedKeyword(sub, childPath);
    if (problem) return problem;
  }
  return null;
}

// ---------------------------------------------------------------------------------------

export interface CompiledSchema {
  root: SchemaNode;
}

const MAX_CACHED_SCHEMAS = 256;
const compiledCache = new Map<string, CompiledSchema>();

/** Compiles `schema`, reusing the cached tree for an identical `key` (its JSON text). */
export function compileSchema(schema: JsonSchemaLike, key: string = JSON.stringify(schema)): CompiledSchema {
  let compiled = compiledCache.get(key);
  if (!compiled) {
    const ctx: CompileContext = { root: schema, memo: new Map(), pending: new Set() };
    compiled = { root: compile(ctx, schema) };
    // Insertion-ordered Map: dropping the first key evicts the oldest schema.
    if (compiledCache.size >= MAX_CACHED_SCHEMAS) compiledCache.delete(compiledCache.keys().next().value as string);
    compiledCache.set(key, compiled);
  }
  return compiled;
}
