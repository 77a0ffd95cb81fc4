// Reply overrides: "the next completions whose prompt contains X answer like this". They stand in
// for a model that a prompt injection talked into something (returning a script, pasting its
// prompt), which no deterministic generator would otherwise do. Only the content changes: the
// completion envelope, usage and headers stay exactly as for any other reply.
//
// Structured outputs (https://platform.openai.com/docs/guides/structured-outputs) keep a reply to
// the schema's shape, but a schema's string lengths are not among what strict mode enforces, and
// nothing in it limits what a string says: markup, links and prompt text all fit. `echo` therefore
// keeps each string within its schema's lengths; `reply` and `fields` are returned as given.
import { z } from "zod";
import { resolveNode, type SchemaNode } from "./schema";
import { safeSlice } from "./tokens";
import type { LlmReplyOverride } from "./types";
import type { ChatRequest } from "./validate";

export const overrideSchema = z
  .object({
    match: z.string().min(1),
    times: z.number().int().min(1).optional(),
    reply: z.record(z.string(), z.unknown()).optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    echo: z.enum(["system", "user", "all", "data"]).optional(),
    translation: z.enum(["break-html", "drop-placeholder", "wrong-language"]).optional(),
  })
  .strict()
  .refine(
    (o) =>
      o.reply !== undefined
        ? o.fields === undefined && o.echo === undefined && o.translation === undefined
        : Boolean(o.fields || o.echo || o.translation),
    {
      message: "An override needs reply alone, or fields, echo and/or translation.",
    },
  );

export class OverrideState {
  private armed: Array<LlmReplyOverride & { left: number }> = [];

  /** Arms an override (throws a ZodError on bad input); returns what is armed now. */
  add(input: LlmReplyOverride): LlmReplyOverride[] {
    const parsed = overrideSchema.parse(input) as LlmReplyOverride;
    this.armed.push({ ...parsed, left: parsed.times ?? Number.POSITIVE_INFINITY });
    return this.snapshot();
  }

  clear(): void {
    this.armed = [];
  }

  snapshot(): LlmReplyOverride[] {
    return this.armed.map(({ left, ...override }) => ({
      ...override,
      ...(Number.isFinite(left) ? { times: left } : {}),
    }));
  }

  /** The first armed override whose text occurs in the request's messages (consumes one use). */
  take(req: ChatRequest): LlmReplyOverride | null {
    if (this.armed.length === 0) return null;
    const text = req.messages.map((message) => message.text).join("\n");
    const index = this.armed.findIndex((override) => text.includes(override.match));
    if (index < 0) return null;
    const override = this.armed[index]!;
    override.left--;
    if (override.left <= 0) this.armed.splice(index, 1);
    return override;
  }
}

/**
 * The text an `echo` override repeats: the raw messages of the chosen roles, or (`data`) what a
 * model talked into "paste everything you know" would dump without repeating its rules: the
 * system prompt's `[P1] …` passage lines, unmarked, then every other message of the dialog.
 */
function echoText(req: ChatRequest, which: "system" | "user" | "all" | "data"): string {
  if (which === "data") {
    const system = req.messages.filter((m) => m.role === "system" || m.role === "developer");
    const passages = system.flatMap((m) =>
      [...m.text.matchAll(/^\[P\d+\]\s*(.+)$/gm)].map((match) => match[1]!.trim()),
    );
    const dialog = req.messages.filter((m) => m.role !== "system" && m.role !== "developer").map((m) => m.text);
    return [...passages, ...dialog].join("\n");
  }
  return req.messages
    .filter(
      (message) => which === "all" || message.role === which || (which === "system" && message.role === "developer"),
    )
    .map((message) => message.text)
    .join("\n");
}

/** Fills every string of `value` with successive pieces of `text`, within each string's lengths. */
function echoInto(value: unknown, node: SchemaNode, text: string, cursor: { at: number }): unknown {
  const resolved = resolveNode(node);
  if (resolved.kind === "choice") {
    const option = resolved.options.find((_, i) => i !== resolved.nullIndex);
    return option ? echoInto(value, option, text, cursor) : value;
  }
  if (resolved.kind === "string" && typeof value === "string") {
    if (resolved.regex || resolved.format) return value;
    if (cursor.at >= text.length) cursor.at = 0;
    let piece = safeSlice(text.slice(cursor.at), resolved.maxLength);
    cursor.at += piece.length;
    if (piece.length < resolved.minLength) piece = safeSlice(`${piece} ${value}`, resolved.maxLength);
    return piece;
  }
  if (resolved.kind === "array" && Array.isArray(value)) {
    return value.map((item, i) => {
      const itemNode = resolved.prefix[i] ?? resolved.items;
      return itemNode ? echoInto(item, itemNode, text, cursor) : item;
    });
  }
  if (resolved.kind === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const prop of resolved.properties) {
      if (prop.name in out) out[prop.name] = echoInto(out[prop.name], prop.node, text, cursor);
    }
    return out;
  }
  return value;
}

/** A structured reply as the override makes it, from the generated one. */
export function overriddenValue(
  override: LlmReplyOverride,
  generated: unknown,
  root: SchemaNode | null,
  req: ChatRequest,
): unknown {
  if (override.reply) return override.reply;
  if (!override.fields && !override.echo) return generated;
  const text = override.echo ? echoText(req, override.echo) : "";
  const echoed = root && text ? echoInto(generated, root, text, { at: 0 }) : generated;
  if (!override.fields) return echoed;
  const base = echoed && typeof echoed === "object" && !Array.isArray(echoed) ? echoed : {};
  return { ...base, ...override.fields };
}

/** A plain-text reply as the override makes it. */
export function overriddenText(override: LlmReplyOverride, generated: string, req: ChatRequest): string {
  if (override.echo) return echoText(req, override.echo) || generated;
  return JSON.stringify(override.reply ?? override.fields);
}
