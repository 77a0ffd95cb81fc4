import { describe, expect, it } from "vitest";
import { z } from "zod";

import { parseStructured, reaskMessage, responseFormatFor } from "~/integrations/llm/structured-output";
import { AppError } from "~/lib/errors";

const Seo = z.object({
  title: z.string().max(70),
  description: z.string().min(10).max(160).nullable(),
  tags: z.array(z.object({ label: z.string().max(20) })).max(5),
});

describe("responseFormatFor", () => {
  it("builds a strict json_schema format from a zod v4 schema (all required, no extra properties)", () => {
    const format = responseFormatFor(Seo, "seo_copy");
    expect(format.type).toBe("json_schema");
    expect(format.json_schema).toMatchObject({ name: "seo_copy", strict: true });
    const schema = format.json_schema.schema as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { maxLength?: number; items?: { additionalProperties: boolean } }>;
    };
    expect(schema.required).toEqual(["title", "description", "tags"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.title!.maxLength).toBe(70);
    expect(schema.properties.tags!.items!.additionalProperties).toBe(false);
    expect(responseFormatFor(Seo, "seo_copy")).toBe(format); // cached
  });

  it("refuses schemas strict mode cannot express, before any request is made", () => {
    const optional = z.object({ title: z.string().optional() });
    expect(() => responseFormatFor(optional, "bad")).toThrow(AppError);
    expect(() => responseFormatFor(Seo, "has spaces")).toThrow(/schemaName/);
  });
});

describe("parseStructured", () => {
  it("returns the validated data", () => {
    const reply = JSON.stringify({ title: "Linen dress", description: null, tags: [{ label: "summer" }] });
    expect(parseStructured(reply, Seo)).toEqual({
      ok: true,
      data: { title: "Linen dress", description: null, tags: [{ label: "summer" }] },
    });
  });

  it("reports schema issues with paths (e.g. maxLength) and no reply content", () => {
    const reply = JSON.stringify({ title: "x".repeat(71), description: null, tags: [{ label: "y".repeat(21) }] });
    const result = parseStructured(reply, Seo);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("schema");
    expect(result.issues.map((issue) => issue.path)).toEqual(["title", "tags.0.label"]);
    expect(JSON.stringify(result.issues)).not.toContain("xxxx");
    expect(reaskMessage(result.issues)).toContain("- title:");
  });

  it("reports replies that are not JSON", () => {
    const result = parseStructured('{"title": "cut', Seo);
    expect(result).toMatchObject({ ok: false, reason: "not_json" });
  });
});
