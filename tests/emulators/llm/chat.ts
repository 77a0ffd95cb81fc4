// Builds chat completion choices and usage from a validated request. Pure and
// HTTP-agnostic: server.ts decides between a JSON body and an SSE stream.
import {
  generateFromSchema,
  invalidForSchema,
  jsonObjectReply,
  malformedJson,
  plainReply,
  requestSeed,
} from "./generate";
import { overriddenText, overriddenValue } from "./overrides";
import { productBrief } from "./product-copy";
import { translationBrief, translationReply } from "./translation";
import { insightsRecommendationsReply, insightsSummaryReply } from "./insights-summary";
import { supportReply } from "./support-reply";
import { mix32, Rng } from "./random";
import { compileSchema, resolveNode, restrictedKeywordError, strictSchemaError } from "./schema";
import { countTokens, TOKENS_PER_MESSAGE, TOKENS_REPLY_PRIMING, truncateToTokens } from "./tokens";
import type { LlmReplyOverride } from "./types";
import type { ChatRequest } from "./validate";
import { vocabulary } from "./words";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChoiceResult {
  content: string | null;
  refusal: string | null;
  toolCalls: ToolCall[] | null;
  finishReason: FinishReason;
}

export interface CompletionResult {
  choices: ChoiceResult[];
  promptTokens: number;
  completionTokens: number;
}

export const REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";

const strictErrors = new Map<string, string | null>();

/**
 * OpenAI's 400 message when a strict json_schema breaks the structured-output rules; with
 * `restrictive`, also when it uses a keyword outside the restrictive subset (RESTRICTED_KEYWORDS).
 */
export function strictModeError(req: ChatRequest, restrictive = false): string | null {
  const format = req.responseFormat;
  if (format.type !== "json_schema" || !format.strict) return null;
  const key = `${restrictive ? 1 : 0}${format.name}\u0000${format.schemaKey}`;
  let error = strictErrors.get(key);
  if (error === undefined) {
    error =
      strictSchemaError(format.schema, format.name) ??
      (restrictive ? restrictedKeywordError(format.schema, format.name) : null);
    if (strictErrors.size > 256) strictErrors.clear();
    strictErrors.set(key, error);
  }
  return error;
}

export function promptTokens(req: ChatRequest): number {
  let total = TOKENS_REPLY_PRIMING;
  for (const m of req.messages) total += TOKENS_PER_MESSAGE + countTokens(m.text) + m.extraTokens;
  // Like OpenAI, schemas and tool definitions are billed as prompt tokens.
  if (req.responseFormat.type === "json_schema") total += countTokens(req.responseFormat.schemaKey);
  for (const tool of req.tools) total += countTokens(tool.name) + countTokens(tool.parametersKey);
  return total;
}

/** Token estimate OpenAI charges against TPM at admission: prompt + max output for all choices. */
export function estimatedTokens(req: ChatRequest, prompt: number): number {
  return prompt + (req.maxTokens ?? 0) * req.n;
}

function lastIndexOfRole(req: ChatRequest, role: string): number {
  for (let i = req.messages.length - 1; i >= 0; i--) if (req.messages[i]!.role === role) return i;
  return -1;
}

/** Which tool (if any) this turn calls, and the finish_reason OpenAI would report. */
function plannedToolCall(req: ChatRequest): { name: string; finish: FinishReason } | null {
  if (req.tools.length === 0 || req.toolChoice.mode === "none") return null;
  if (req.toolChoice.mode === "function") return { name: req.toolChoice.name, finish: "stop" };
  const hooked = [...req.hooks].find((h) => h.startsWith("tool:"))?.slice(5);
  const hookedTool = req.tools.find((t) => t.name === hooked);
  if (req.toolChoice.mode === "required") return { name: (hookedTool ?? req.tools[0]!).name, finish: "tool_calls" };
  // "auto": call only when asked by hook, and not right after a tool result (ends app loops).
  const answeredTool = req.messages[req.messages.length - 1]?.role === "tool";
  return hookedTool && !answeredTool ? { name: hookedTool.name, finish: "tool_calls" } : null;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomId(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ID_ALPHABET[rng.int(0, ID_ALPHABET.length - 1)];
  return out;
}

/** Cuts at the earliest stop sequence (which OpenAI never includes in the output). */
function applyStop(text: string, stop: readonly string[]): string {
  let cut = text.length;
  for (const s of stop) {
    const at = text.indexOf(s);
    if (at >= 0 && at < cut) cut = at;
  }
  return text.slice(0, cut);
}

export interface CompleteOptions {
  /** The invalidJson fault fired for this request. */
  invalidJson: boolean;
  /** A reply override armed for this request's prompt (see overrides.ts). */
  override?: LlmReplyOverride | null;
}

export function complete(req: ChatRequest, options: CompleteOptions): CompletionResult {
  const format = req.responseFormat;
  const seed = requestSeed([
    req.model,
    req.fingerprint,
    format.type === "json_schema" ? format.schemaKey : format.type,
    req.seed === null ? "" : String(req.seed),
  ]);
  const lastUser = lastIndexOfRole(req, "user");
  const primary = lastUser >= 0 ? req.messages[lastUser]!.text : "";
  const brief = productBrief(req.messages);
  const translation = format.type === "json_schema" ? translationBrief(req.messages) : null;
  // A product prompt's words come from the product's values, never its field names ("vendor").
  const words = brief
    ? vocabulary([brief.title, brief.noun, brief.vendor, ...brief.tags].join(" "), "")
    : vocabulary(primary, req.messages.map((m) => m.text).join("\n"));
  const toolPlan = plannedToolCall(req);
  const refusal = req.hooks.has("refusal");
  const invalid = req.hooks.has("invalid-json") || options.invalidJson;
  const malformed = req.hooks.has("malformed-json");

  const choices: ChoiceResult[] = [];
  let completionTokens = 0;
  for (let index = 0; index < req.n; index++) {
    const rng = new Rng(mix32(seed + index));
    let choice: ChoiceResult;
    if (refusal) {
      choice = { content: null, refusal: REFUSAL_TEXT, toolCalls: null, finishReason: "stop" };
    } else if (toolPlan) {
      const tool = req.tools.find((t) => t.name === toolPlan.name)!;
      const args = generateFromSchema(compileSchema(tool.parameters, tool.parametersKey).root, rng, words);
      const call: ToolCall = {
        id: `call_${randomId(rng, 24)}`,
        type: "function",
        function: { name: tool.name, arguments: JSON.stringify(args) },
      };
      choice = { content: null, refusal: null, toolCalls: [call], finishReason: toolPlan.finish };
    } else {
      let content: string;
      if (format.type === "json_schema") {
        const root = compileSchema(format.schema, format.schemaKey).root;
        const shape = resolveNode(root);
        const asked =
          translation && shape.kind === "object" && shape.properties.some((prop) => prop.name === "translations");
        const generated = asked
          ? translationReply(translation, options.override?.translation)
          : (supportReply(req) ??
            insightsSummaryReply(req) ??
            insightsRecommendationsReply(req) ??
            generateFromSchema(root, rng, words, brief));
        const value = options.override ? overriddenValue(options.override, generated, root, req) : generated;
        if (malformed) content = malformedJson(JSON.stringify(value));
        else if (invalid) content = invalidForSchema(root, value);
        else content = JSON.stringify(value);
      } else if (format.type === "json_object") {
        let reply = jsonObjectReply(rng, words);
        if (options.override) reply = JSON.stringify(overriddenValue(options.override, JSON.parse(reply), null, req));
        content = invalid || malformed ? malformedJson(reply) : reply;
      } else {
        const generated = plainReply(rng, words);
        content = applyStop(options.override ? overriddenText(options.override, generated, req) : generated, req.stop);
      }
      let finishReason: FinishReason = "stop";
      if (req.maxTokens !== null && countTokens(content) > req.maxTokens) {
        content = truncateToTokens(content, req.maxTokens);
        finishReason = "length";
      }
      choice = { content, refusal: null, toolCalls: null, finishReason };
    }
    completionTokens += choiceTokens(choice);
    choices.push(choice);
  }
  return { choices, promptTokens: promptTokens(req), completionTokens };
}

function choiceTokens(choice: ChoiceResult): number {
  let tokens = countTokens(choice.content ?? choice.refusal ?? "");
  for (const call of choice.toolCalls ?? [])
    tokens += countTokens(call.function.name) + countTokens(call.function.arguments);
  return tokens;
}
