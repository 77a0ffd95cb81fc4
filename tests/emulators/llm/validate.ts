// Request validation mirroring the OpenAI API's 400s (same messages, params and codes
// where known), so the app's error handling sees in tests what it would see in prod.
import { type ApiError, invalidRequest, invalidType, invalidValue, missingParam } from "./errors";
import { profileOf, type ChatModelProfile } from "./models";
import { countTokens } from "./tokens";
import type { JsonSchemaLike } from "./types";
import { HOOK_PATTERN } from "./words";

export const ROLES = ["system", "assistant", "user", "function", "tool", "developer"] as const;
export type Role = (typeof ROLES)[number];

export interface ChatMessage {
  role: Role;
  /** Text content (parts joined); "" for tool-call-only assistant turns. */
  text: string;
  /** Extra text that costs prompt tokens but is not "content" (tool calls, names). */
  extraTokens: number;
}

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; strict: boolean; schema: JsonSchemaLike; schemaKey: string };

export interface ToolDef {
  name: string;
  parameters: JsonSchemaLike;
  parametersKey: string;
}

export type ToolChoice = { mode: "none" | "auto" | "required" } | { mode: "function"; name: string };

export interface ChatRequest {
  model: string;
  /** What the model accepts (context window, output limit). */
  profile: ChatModelProfile;
  messages: ChatMessage[];
  n: number;
  maxTokens: number | null;
  stream: boolean;
  includeUsage: boolean;
  responseFormat: ResponseFormat;
  tools: ToolDef[];
  toolChoice: ToolChoice;
  seed: number | null;
  stop: string[];
  /** Hooks found in the messages, e.g. "refusal", "invalid-json", "tool:lookup". */
  hooks: Set<string>;
  /** JSON of messages/tools: part of the determinism seed. */
  fingerprint: string;
}

export interface EmbeddingRequest {
  model: string;
  inputs: string[];
  dimensions: number;
  encoding: "float" | "base64";
}

type Body = Record<string, unknown>;

/** The request body as an object, or null when it is not a JSON object. */
export function parseJsonBody(raw: string): Body | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

function optionalNumber(body: Body, key: string, rule: NumberRule): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw invalidType(key, rule.integer ? "an integer" : "a number", value);
  }
  if (rule.integer && !Number.isInteger(value)) {
    throw invalidRequest(
      `Invalid type for '${key}': expected an integer, but got a decimal number instead.`,
      key,
      "invalid_type",
    );
  }
  const kind = rule.integer ? "integer" : "decimal";
  if (rule.min !== undefined && value < rule.min) {
    throw invalidRequest(
      `Invalid '${key}': ${kind} below minimum value. Expected a value >= ${rule.min}, but got ${value} instead.`,
      key,
      `${kind}_below_min_value`,
    );
  }
  if (rule.max !== undefined && value > rule.max) {
    throw invalidRequest(
      `Invalid '${key}': ${kind} above maximum value. Expected a value <= ${rule.max}, but got ${value} instead.`,
      key,
      `${kind}_above_max_value`,
    );
  }
  return value;
}

function requireModel(body: Body): string {
  const model = body.model;
  if (model === undefined || model === null || model === "") {
    throw invalidRequest("you must provide a model parameter");
  }
  if (typeof model !== "string") throw invalidType("model", "a string", model);
  return model;
}

function isObject(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text of string content or of the text parts of array content. */
function contentText(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    content.forEach((part, i) => {
      if (!isObject(part)) throw invalidType(`${param}[${i}]`, "an object", part);
      if (typeof part.text === "string") texts.push(part.text);
      else if (typeof part.refusal === "string") texts.push(part.refusal);
    });
    return texts.join("\n");
  }
  throw invalidType(param, "one of a string or array of objects", content);
}

function parseMessage(raw: unknown, i: number): ChatMessage {
  const param = `messages[${i}]`;
  if (!isObject(raw)) throw invalidType(param, "an object", raw);
  if (raw.role === undefined) throw missingParam(`${param}.role`);
  if (!(ROLES as readonly unknown[]).includes(raw.role)) throw invalidValue(`${param}.role`, raw.role, ROLES);
  const role = raw.role as Role;
  const hasToolCalls = Array.isArray(raw.tool_calls) && raw.tool_calls.length > 0;
  let text = "";
  if (raw.content === undefined || raw.content === null) {
    const optional = role === "assistant" && (hasToolCalls || raw.function_call !== undefined || raw.refusal != null);
    if (!optional) throw missingParam(`${param}.content`);
  } else {
    text = contentText(raw.content, `${param}.content`);
  }
  if (role === "tool" && typeof raw.tool_call_id !== "string") throw missingParam(`${param}.tool_call_id`);
  let extraTokens = typeof raw.name === "string" ? 1 : 0;
  if (hasToolCalls) extraTokens += countTokens(JSON.stringify(raw.tool_calls));
  return { role, text, extraTokens };
}

function parseResponseFormat(raw: unknown): ResponseFormat {
  if (raw === undefined || raw === null) return { type: "text" };
  if (!isObject(raw)) throw invalidType("response_format", "an object", raw);
  const supported = ["json_object", "json_schema", "text"];
  if (raw.type === undefined) throw missingParam("response_format.type");
  if (!supported.includes(raw.type as string)) throw invalidValue("response_format.type", raw.type, supported);
  if (raw.type !== "json_schema") return { type: raw.type as "text" | "json_object" };
  const spec = raw.json_schema;
  if (spec === undefined || spec === null) throw missingParam("response_format.json_schema");
  if (!isObject(spec)) throw invalidType("response_format.json_schema", "an object", spec);
  if (spec.name === undefined) throw missingParam("response_format.json_schema.name");
  if (typeof spec.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    throw invalidRequest(
      "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
      "response_format.json_schema.name",
      "invalid_value",
    );
  }
  const schema = spec.schema ?? {};
  if (!isObject(schema) && typeof schema !== "boolean") {
    throw invalidType("response_format.json_schema.schema", "an object", schema);
  }
  return {
    type: "json_schema",
    name: spec.name,
    strict: spec.strict === true,
    schema: schema as JsonSchemaLike,
    schemaKey: JSON.stringify(schema),
  };
}

function parseTools(raw: unknown): ToolDef[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidType("tools", "an array", raw);
  const tools: ToolDef[] = [];
  raw.forEach((tool, i) => {
    if (!isObject(tool)) throw invalidType(`tools[${i}]`, "an object", tool);
    if (tool.type === "custom") return; // free-form tools: accepted, never called
    if (tool.type !== "function") throw invalidValue(`tools[${i}].type`, tool.type, ["function", "custom"]);
    const fn = tool.function;
    if (!isObject(fn)) throw missingParam(`tools[${i}].function`);
    if (typeof fn.name !== "string" || fn.name === "") throw missingParam(`tools[${i}].function.name`);
    const parameters = (fn.parameters ?? { type: "object", properties: {} }) as JsonSchemaLike;
    tools.push({ name: fn.name, parameters, parametersKey: JSON.stringify(parameters) });
  });
  return tools;
}

function parseToolChoice(raw: unknown, tools: ToolDef[], toolsGiven: boolean): ToolChoice {
  if (raw === undefined || raw === null) return { mode: tools.length ? "auto" : "none" };
  if (!toolsGiven) {
    throw invalidRequest(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      "tool_choice",
    );
  }
  if (raw === "none" || raw === "auto" || raw === "required") return { mode: raw };
  if (isObject(raw) && raw.type === "function" && isObject(raw.function) && typeof raw.function.name === "string") {
    const name = raw.function.name;
    if (!tools.some((t) => t.name === name)) {
      throw invalidRequest(`Invalid value for 'tool_choice': function '${name}' not found in 'tools'.`, "tool_choice");
    }
    return { mode: "function", name };
  }
  if (isObject(raw)) return { mode: "auto" }; // allowed_tools / custom: accepted, treated as auto
  throw invalidValue("tool_choice", raw, ["none", "auto", "required"]);
}

/** o-series and gpt-5 reasoning models reject sampling knobs and the legacy max_tokens. */
function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model) && !model.includes("chat");
}

export function collectHooks(texts: readonly string[]): Set<string> {
  const hooks = new Set<string>();
  for (const text of texts) {
    if (!text.includes("[[emulator:")) continue;
    for (const m of text.matchAll(HOOK_PATTERN)) {
      const name = m[1]!.toLowerCase();
      hooks.add(m[2] !== undefined ? `${name}:${m[2]}` : name);
    }
  }
  return hooks;
}

/** `served`: the model ids this emulator answers for (anything else is 404 model_not_found). */
export function parseChatRequest(body: Body, served: readonly string[]): ChatRequest {
  const model = requireModel(body);
  const profile = profileOf(model, served);
  if (profile.kind !== "chat") {
    throw invalidRequest(
      "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?",
      "model",
      null,
      404,
    );
  }
  const rawMessages = body.messages;
  if (rawMessages === undefined || rawMessages === null) throw missingParam("messages");
  if (!Array.isArray(rawMessages)) throw invalidType("messages", "an array of objects", rawMessages);
  if (rawMessages.length === 0) {
    throw invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  const messages = rawMessages.map(parseMessage);

  const reasoning = isReasoningModel(model);
  if (reasoning && body.max_tokens != null) {
    throw invalidRequest(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "max_tokens",
      "unsupported_parameter",
    );
  }
  const temperature = optionalNumber(body, "temperature", { min: 0, max: 2 });
  if (reasoning && temperature !== undefined && temperature !== 1) {
    throw invalidRequest(
      `Unsupported value: 'temperature' does not support ${temperature} with this model. Only the default (1) value is supported.`,
      "temperature",
      "unsupported_value",
    );
  }
  optionalNumber(body, "top_p", { min: 0, max: 1 });
  optionalNumber(body, "presence_penalty", { min: -2, max: 2 });
  optionalNumber(body, "frequency_penalty", { min: -2, max: 2 });
  const n = optionalNumber(body, "n", { min: 1, max: 128, integer: true }) ?? 1;
  const maxCompletion = optionalNumber(body, "max_completion_tokens", { min: 1, integer: true });
  const maxTokens = maxCompletion ?? optionalNumber(body, "max_tokens", { min: 1, integer: true }) ?? null;
  const seed = optionalNumber(body, "seed", { integer: true }) ?? null;
  if (maxTokens !== null && maxTokens > profile.maxOutputTokens) {
    const param = maxCompletion !== undefined ? "max_completion_tokens" : "max_tokens";
    throw invalidRequest(
      `max_tokens is too large: ${maxTokens}. This model supports at most ${profile.maxOutputTokens} completion tokens, whereas you provided ${maxTokens}.`,
      param,
      "invalid_value",
    );
  }

  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw invalidType("stream", "a boolean", body.stream);
  }
  const stream = body.stream === true;
  if (body.stream_options != null && !stream) {
    throw invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
  }
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;

  let stop: string[] = [];
  if (typeof body.stop === "string") stop = [body.stop];
  else if (Array.isArray(body.stop)) stop = body.stop.filter((s): s is string => typeof s === "string" && s !== "");

  const responseFormat = parseResponseFormat(body.response_format);
  if (responseFormat.type === "json_object" && !messages.some((m) => /json/i.test(m.text))) {
    throw invalidRequest(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      "messages",
    );
  }
  const tools = parseTools(body.tools);
  const toolChoice = parseToolChoice(body.tool_choice, tools, Array.isArray(body.tools) && body.tools.length > 0);

  const texts = messages.map((m) => m.text);
  return {
    model,
    profile,
    messages,
    n,
    maxTokens,
    stream,
    includeUsage,
    responseFormat,
    tools,
    toolChoice,
    seed,
    stop,
    hooks: collectHooks(texts),
    fingerprint: JSON.stringify(rawMessages) + (tools.length ? JSON.stringify(body.tools) : ""),
  };
}

const MAX_EMBEDDING_INPUTS = 2048;

function invalidInput(): ApiError {
  return invalidRequest(
    "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
  );
}

/** Vectors have the model's native length unless `dimensions` shortens them (text-embedding-3-* only). */
export function parseEmbeddingRequest(body: Body, served: readonly string[]): EmbeddingRequest {
  const model = requireModel(body);
  const profile = profileOf(model, served);
  if (profile.kind !== "embedding") {
    throw invalidRequest(`The model \`${model}\` does not support embeddings.`, "model");
  }
  const input = body.input;
  if (input === undefined || input === null) throw missingParam("input");
  let inputs: string[];
  const tokensToText = (tokens: unknown[]) => tokens.map((t) => `tok${String(t)}`).join(" ");
  if (typeof input === "string") inputs = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "string"))
    inputs = input as string[];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "number"))
    inputs = [tokensToText(input)];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => Array.isArray(x) && x.length > 0)) {
    inputs = (input as unknown[][]).map(tokensToText);
  } else throw invalidInput();
  if (inputs.length > MAX_EMBEDDING_INPUTS || inputs.some((s) => s === "")) throw invalidInput();
  for (const text of inputs) {
    const tokens = countTokens(text);
    if (tokens > profile.maxInputTokens) {
      throw invalidRequest(
        `This model's maximum context length is ${profile.maxInputTokens} tokens, however you requested ${tokens} tokens (${tokens} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
      );
    }
  }

  const encoding = body.encoding_format ?? "float";
  if (encoding !== "float" && encoding !== "base64")
    throw invalidValue("encoding_format", encoding, ["float", "base64"]);

  if (body.dimensions != null && !profile.shortens) {
    throw invalidRequest("This model does not support specifying dimensions.");
  }
  const requested = optionalNumber(body, "dimensions", { min: 1, max: profile.dimensions, integer: true });
  return { model, inputs, dimensions: requested ?? profile.dimensions, encoding };
}
