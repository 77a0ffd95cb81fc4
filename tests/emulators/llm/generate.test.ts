// Unit tests of the schema-driven generator, checked against two independent validators:
// zod v4 (`z.fromJSONSchema`) and ajv (draft-07), so the emulator is not grading itself.
import Ajv from "ajv";
import { zodResponseFormat } from "openai/helpers/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { embed } from "./embeddings";
import { generateFromSchema, invalidForSchema } from "./generate";
import { compilePattern, stringFromPattern } from "./pattern";
import { Rng } from "./random";
import { formatDuration } from "./rate-limit";
import { compileSchema, strictSchemaError } from "./schema";
import { countTokens, splitIntoTokenPieces, truncateToTokens } from "./tokens";
import type { JsonSchema } from "./types";
import { extractKeywords, vocabulary } from "./words";

const ajv = new Ajv({ allErrors: true });

const PROMPTS = [
  "Write SEO copy for: Organic cotton crew-neck t-shirt, breathable, navy blue, made in Portugal",
  "Réécris la description : Chaussures de randonnée imperméables en cuir, semelle Vibram, pointure 42",
  "防水ハイキングシューズ レザー 軽量 快適",
  "🔥🔥 Limited drop 🔥 neon 🧢 snapback cap with embroidered 🌵 cactus patch 🔥",
  "hi",
  "Supercalifragilisticexpialidocious-antidisestablishmentarianism-pneumonoultramicroscopic 12345 67890",
  "",
];

function generate(schema: JsonSchema, prompt: string, seed = 1): unknown {
  const { root } = compileSchema(schema);
  return generateFromSchema(root, new Rng(seed), vocabulary(prompt, ""));
}

const seoZod = z.object({
  title: z.string().max(70),
  metaTitle: z.string().max(60),
  metaDescription: z.string().min(50).max(160),
  bodyHtml: z.string().max(600),
  handle: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  tags: z.array(z.string().min(1).max(30)).min(3).max(8),
  tone: z.enum(["friendly", "formal", "playful"]),
  contactEmail: z.email(),
  canonicalUrl: z.url(),
  id: z.uuid(),
  publishedAt: z.iso.datetime(),
  confidence: z.number().min(0).max(1),
  wordCount: z.int().positive(),
  altText: z.string().nullable(),
  faq: z.array(z.object({ question: z.string().max(120), answer: z.string().max(300) })).max(3),
  variant: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("size"), size: z.enum(["S", "M", "L"]) }),
    z.object({ kind: z.literal("color"), hex: z.string().regex(/^#[0-9a-f]{6}$/) }),
  ]),
});

/** Draft-07 schemas: both validators understand every keyword used here. */
const DRAFT7_SCHEMAS: Record<string, JsonSchema> = {
  seoViaSdkHelper: zodResponseFormat(seoZod, "seo").json_schema.schema as JsonSchema,
  refsAndRecursion: {
    type: "object",
    properties: {
      root: { $ref: "#/definitions/category" },
      owner: { $ref: "#/definitions/person" },
    },
    required: ["root", "owner"],
    additionalProperties: false,
    definitions: {
      person: {
        type: "object",
        properties: {
          name: { type: "string", minLength: 2, maxLength: 40 },
          email: { type: "string", format: "email" },
        },
        required: ["name", "email"],
        additionalProperties: false,
      },
      category: {
        type: "object",
        properties: {
          title: { type: "string", maxLength: 30 },
          children: { type: "array", items: { $ref: "#/definitions/category" }, maxItems: 3 },
          parent: { anyOf: [{ $ref: "#/definitions/category" }, { type: "null" }] },
        },
        required: ["title", "children", "parent"],
        additionalProperties: false,
      },
    },
  },
  numbersAndChoices: {
    type: "object",
    properties: {
      price: { type: "number", minimum: 0.5, maximum: 3, multipleOf: 0.25 },
      stock: { type: "integer", exclusiveMinimum: 10, exclusiveMaximum: 13 },
      even: { type: "integer", multipleOf: 2, minimum: -7, maximum: -3 },
      neg: { type: "number", maximum: -1000.5 },
      big: { type: "integer", minimum: 1e9 },
      exact: { const: "fixed" },
      status: { enum: ["draft", "active", "archived"] },
      flag: { type: "boolean" },
      maybe: { type: ["integer", "null"], minimum: 5, maximum: 5 },
      either: { oneOf: [{ type: "null" }, { type: "string", enum: ["x"] }] },
      anything: {},
      truthy: true,
    },
    required: [
      "price",
      "stock",
      "even",
      "neg",
      "big",
      "exact",
      "status",
      "flag",
      "maybe",
      "either",
      "anything",
      "truthy",
    ],
    additionalProperties: false,
  },
  stringsAndPatterns: {
    type: "object",
    properties: {
      sku: { type: "string", pattern: "^[A-Z]{3}-\\d{4}$" },
      phone: { type: "string", pattern: "^\\+?[0-9 ]{7,15}$" },
      color: { type: "string", pattern: "^#(?:[0-9a-fA-F]{3}){1,2}$" },
      code: { type: "string", pattern: "[A-Z]{2}[0-9]{2}" },
      loose: { type: "string", pattern: "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$" },
      exactly5: { type: "string", minLength: 5, maxLength: 5 },
      tiny: { type: "string", maxLength: 1 },
      empty: { type: "string", maxLength: 0 },
      long: { type: "string", minLength: 400 },
      date: { type: "string", format: "date" },
      when: { type: "string", format: "date-time" },
      site: { type: "string", format: "uri" },
      ip: { type: "string", format: "ipv4" },
      description_html: { type: "string", maxLength: 40 },
      shortTitle: { type: "string", maxLength: 12, minLength: 3 },
    },
    required: [
      "sku",
      "phone",
      "color",
      "code",
      "loose",
      "exactly5",
      "tiny",
      "empty",
      "long",
      "date",
      "when",
      "site",
      "ip",
      "description_html",
      "shortTitle",
    ],
    additionalProperties: false,
  },
  arraysAndMaps: {
    type: "object",
    properties: {
      unique: { type: "array", items: { enum: ["a", "b", "c"] }, uniqueItems: true, minItems: 3 },
      uniqueBools: { type: "array", items: { type: "boolean" }, uniqueItems: true },
      tuple: { type: "array", items: [{ type: "string" }, { type: "integer" }], additionalItems: false, minItems: 2 },
      many: { type: "array", items: { type: "string", maxLength: 10 }, minItems: 7, maxItems: 7 },
      none: { type: "array", items: { type: "number" }, maxItems: 0 },
      counts: { type: "object", additionalProperties: { type: "integer", minimum: 0 }, minProperties: 3 },
      merged: {
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "number", minimum: 2, maximum: 2 } }, required: ["b"] },
        ],
      },
    },
    required: ["unique", "uniqueBools", "tuple", "many", "none", "counts", "merged"],
  },
  nonObjectRoot: { type: "array", items: { type: "string", maxLength: 20 }, minItems: 1 },
};

/** 2020-12 only (prefixItems, $defs): checked with zod alone, since ajv 6 is draft-07. */
const DRAFT2020_SCHEMAS: Record<string, JsonSchema> = {
  zodNative: z.toJSONSchema(seoZod) as JsonSchema,
  defsAndPrefix: {
    type: "object",
    properties: {
      pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
      node: { $ref: "#/$defs/node" },
    },
    required: ["pair", "node"],
    additionalProperties: false,
    $defs: {
      node: {
        type: "object",
        properties: { label: { type: "string" }, next: { anyOf: [{ $ref: "#/$defs/node" }, { type: "null" }] } },
        required: ["label", "next"],
        additionalProperties: false,
      },
    },
  },
};

function zodValidator(schema: JsonSchema): (value: unknown) => boolean {
  // z.fromJSONSchema resolves "#/$defs/..." but not draft-07 "#/definitions/...".
  const text = JSON.stringify(schema).replaceAll('"definitions":', '"$defs":').replaceAll("#/definitions/", "#/$defs/");
  const zs = z.fromJSONSchema(JSON.parse(text) as Parameters<typeof z.fromJSONSchema>[0]);
  return (value) => zs.safeParse(value).success;
}

describe("schema-driven generation", () => {
  for (const [name, schema] of Object.entries(DRAFT7_SCHEMAS)) {
    it(`${name}: output validates (ajv + zod) for many prompts and seeds`, () => {
      const ajvValidate = ajv.compile(schema);
      const zodValidate = zodValidator(schema);
      for (const prompt of PROMPTS) {
        for (let seed = 0; seed < 25; seed++) {
          const value = generate(schema, prompt, seed);
          const ok = ajvValidate(value);
          if (!ok) throw new Error(`ajv rejected ${JSON.stringify(value)}: ${ajv.errorsText(ajvValidate.errors)}`);
          expect(zodValidate(value), JSON.stringify(value)).toBe(true);
        }
      }
    });
  }

  for (const [name, schema] of Object.entries(DRAFT2020_SCHEMAS)) {
    it(`${name}: output validates (zod) for many prompts and seeds`, () => {
      const zodValidate = zodValidator(schema);
      for (const prompt of PROMPTS) {
        for (let seed = 0; seed < 25; seed++) {
          const value = generate(schema, prompt, seed);
          expect(zodValidate(value), JSON.stringify(value)).toBe(true);
        }
      }
    });
  }

  it("parses with the original zod schema (maxLength honoured, html shaped, prompt words used)", () => {
    const schema = DRAFT7_SCHEMAS.seoViaSdkHelper!;
    for (const prompt of PROMPTS) {
      for (let seed = 0; seed < 50; seed++) {
        const seo = seoZod.parse(generate(schema, prompt, seed));
        expect(seo.title.length).toBeLessThanOrEqual(70);
        expect(seo.metaTitle.length).toBeLessThanOrEqual(60);
        expect(seo.bodyHtml).toMatch(/^<p>[^<]+<\/p>(<ul>(<li>[^<]+<\/li>)+<\/ul>)?$/);
      }
    }
    const seo = seoZod.parse(generate(schema, PROMPTS[0]!, 3));
    const promptWords = extractKeywords(PROMPTS[0]!);
    expect(promptWords.some((word) => seo.title.toLowerCase().includes(word))).toBe(true);
    expect(promptWords.some((word) => seo.metaDescription.toLowerCase().includes(word))).toBe(true);
  });

  it("is deterministic and varies with the seed and the prompt", () => {
    const schema = DRAFT7_SCHEMAS.seoViaSdkHelper!;
    const a = JSON.stringify(generate(schema, PROMPTS[0]!, 42));
    expect(JSON.stringify(generate(schema, PROMPTS[0]!, 42))).toBe(a);
    expect(JSON.stringify(generate(schema, PROMPTS[0]!, 43))).not.toBe(a);
    expect(JSON.stringify(generate(schema, PROMPTS[1]!, 42))).not.toBe(a);
  });

  it("caches compiled schemas by their JSON text", () => {
    const schema = DRAFT7_SCHEMAS.refsAndRecursion!;
    expect(compileSchema(schema)).toBe(compileSchema(JSON.parse(JSON.stringify(schema)) as JsonSchema));
  });

  it("builds invalid replies that parse as JSON but fail the schema", () => {
    for (const [name, schema] of Object.entries(DRAFT7_SCHEMAS)) {
      const { root } = compileSchema(schema);
      const value = generateFromSchema(root, new Rng(1), vocabulary(PROMPTS[0]!, ""));
      const invalid = JSON.parse(invalidForSchema(root, value)) as unknown;
      expect(ajv.validate(schema, invalid), name).toBe(false);
      expect(zodValidator(schema)(invalid), name).toBe(false);
    }
  });
});

describe("strict structured-output rules (as OpenAI enforces them)", () => {
  it("accepts what the SDK's zodResponseFormat produces", () => {
    expect(strictSchemaError(DRAFT7_SCHEMAS.seoViaSdkHelper!, "seo")).toBeNull();
  });

  it("rejects optional properties, open objects and non-object roots", () => {
    const optional = z.toJSONSchema(z.object({ a: z.string(), opt: z.string().optional() })) as JsonSchema;
    expect(strictSchemaError(optional, "x")).toBe(
      "Invalid schema for response_format 'x': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'opt'.",
    );
    const nestedOpen: JsonSchema = {
      type: "object",
      properties: { inner: { type: "object", properties: { a: { type: "string" } }, required: ["a"] } },
      required: ["inner"],
      additionalProperties: false,
    };
    expect(strictSchemaError(nestedOpen, "x")).toContain(
      "In context=('properties', 'inner'), 'additionalProperties' is required to be supplied and to be false.",
    );
    expect(strictSchemaError({ type: "array", items: { type: "string" } }, "x")).toContain(
      `schema must be a JSON Schema of 'type: "object"'`,
    );
  });
});

describe("pattern-lite", () => {
  const patterns = [
    "^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "^#[0-9a-fA-F]{6}$",
    "^[A-Z]{2,3}-\\d{3,5}$",
    "^(red|green|blue)$",
    "^\\d{4}-\\d{2}-\\d{2}$",
    "^[^\\s]+$",
    "^SKU_[A-Z0-9]{8}$",
    "^(?!admin)[a-z]{4,8}$",
    "^\\+?1?\\s?\\(?\\d{3}\\)?[\\s.-]?\\d{3}[\\s.-]?\\d{4}$",
    "v\\d+\\.\\d+\\.\\d+",
  ];
  it.each(patterns)("generates strings matching %s", (pattern) => {
    const regex = compilePattern(pattern)!;
    let matched = 0;
    for (let seed = 0; seed < 40; seed++) {
      const made = stringFromPattern(pattern, new Rng(seed));
      if (made !== null && regex.test(made)) matched++;
    }
    // Lookaheads are skipped, so a few draws may violate them; the generator retries.
    expect(matched).toBeGreaterThanOrEqual(30);
  });
});

describe("tokens, durations, embeddings", () => {
  it("counts ~4 chars per token and truncates consistently", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("abcd")).toBe(1);
    expect(countTokens("abcde")).toBe(2);
    const text = "The quick brown fox jumps over the lazy dog";
    expect(countTokens(truncateToTokens(text, 3))).toBe(3);
    expect(splitIntoTokenPieces(text).join("")).toBe(text);
    expect(splitIntoTokenPieces("😀😀😀😀").join("")).toBe("😀😀😀😀");
  });

  it("formats durations like OpenAI's reset headers", () => {
    expect(formatDuration(6)).toBe("6ms");
    expect(formatDuration(1000)).toBe("1s");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(360_000)).toBe("6m0s");
    expect(formatDuration(3_723_000)).toBe("1h2m3s");
  });

  it("embeds into unit vectors where shared words mean higher similarity", () => {
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    const query = embed("waterproof hiking boots", 256);
    const close = embed("Leather hiking boots, fully waterproof", 256);
    const related = embed("hiking socks", 256);
    const far = embed("chocolate birthday cake recipe", 256);
    expect(Math.abs(cos(query, query) - 1)).toBeLessThan(1e-5);
    expect(cos(query, close)).toBeGreaterThan(cos(query, related));
    expect(cos(query, related)).toBeGreaterThan(cos(query, far));
    expect(Math.abs(cos(query, far))).toBeLessThan(0.3);
    expect(cos(embed("running shoe", 256), embed("running shoes", 256))).toBeGreaterThan(0.5);
    expect(Array.from(embed("!!!", 64)).some((v) => v !== 0)).toBe(true);
  });
});

describe("product copy", () => {
  // Emulator-only behaviour (no OpenAI page): a copy prompt carrying a product as JSON gets copy
  // built from that product's facts and the stated brand tone, so the sandbox reads sensibly.
  it("writes copy from the product's facts and voice, without field names or repeated keywords", async () => {
    const { compileSchema: compile } = await import("./schema");
    const { productBrief } = await import("./product-copy");
    const { Rng: SeededRng } = await import("./random");
    const messages = [
      { role: "system", text: "You write product pages.\nBrand tone: warm. Style: plain.\nAudience: hikers." },
      {
        role: "user",
        text: 'Product data:\n<<<\n{"title":"Merino Beanie","vendor":"Northwind","productType":"Hats","tags":["wool"],"options":[{"name":"Color","values":["Navy","Olive"]}],"variants":[],"imageAltTexts":[],"currentDescription":"Knitted from soft merino wool."}\n>>>',
      },
    ];
    const brief = productBrief(messages)!;
    const schema = {
      type: "object",
      properties: {
        descriptionHtml: { type: "string", minLength: 200 },
        features: { type: "array", items: { type: "string" }, minItems: 3 },
        seoKeywords: { type: "array", items: { type: "string" }, minItems: 5, maxItems: 8 },
        metaTitle: { type: "string", maxLength: 70 },
      },
    };
    const copy = generateFromSchema(compile(schema).root, new SeededRng(1), ["merino"], brief) as {
      descriptionHtml: string;
      features: string[];
      seoKeywords: string[];
      metaTitle: string;
    };
    expect(copy.descriptionHtml).toContain("Meet the Merino Beanie from Northwind: a warm take on the everyday hat.");
    expect(copy.descriptionHtml.length).toBeGreaterThanOrEqual(200);
    expect(copy.features).toContain("Available in Navy and Olive");
    expect(copy.metaTitle).toBe("Merino Beanie | Northwind");
    expect(new Set(copy.seoKeywords).size).toBe(copy.seoKeywords.length);
    expect(JSON.stringify(copy)).not.toMatch(/vendor|producttype|currentdescription/i);
    // Deterministic.
    expect(generateFromSchema(compile(schema).root, new SeededRng(1), ["merino"], brief)).toEqual(copy);
  });

  it("talks about one of a plural product type, irregular plurals included", async () => {
    const { productBrief } = await import("./product-copy");
    const briefOf = (productType: string) =>
      productBrief([
        { role: "user", text: `Product data:\n<<<\n${JSON.stringify({ title: "Harbor Knit", productType })}\n>>>` },
      ])!;
    expect(briefOf("Hats").noun).toBe("hat");
    expect(briefOf("Accessories").noun).toBe("accessory");
    expect(briefOf("Scarves").noun).toBe("scarf");
    expect(briefOf("Gloves").noun).toBe("glove");
  });
});
