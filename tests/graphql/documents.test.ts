import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

import { ADMIN_API_VERSION } from "~/config/api-version";
import { adminSchema } from "../support/admin-schema";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.includes(".test."))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every `#graphql` template literal: the marker the app uses for Admin API documents. */
function graphqlDocuments(): Array<{ file: string; document: string }> {
  const documents: Array<{ file: string; document: string }> = [];
  for (const file of [...sourceFiles("app"), ...sourceFiles("workers")]) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/`#graphql([^`]*)`/g)) {
      if (match[1]?.includes("${")) throw new Error(`${file} interpolates into a GraphQL document; use variables`);
      documents.push({ file: path.relative(ROOT, file), document: match[1] ?? "" });
    }
  }
  return documents;
}

describe(`GraphQL documents against Shopify's real Admin ${ADMIN_API_VERSION} schema`, () => {
  const documents = graphqlDocuments();

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(
    documents.map(
      (entry) => [`${entry.file}: ${entry.document.match(/(query|mutation)\s+(\w+)/)?.[2]}`, entry] as const,
    ),
  )("%s validates", (_name, { document }) => {
    const errors = validate(adminSchema(), parse(document)).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it("rejects a document the real API would reject (the check is not vacuous)", () => {
    const errors = validate(adminSchema(), parse("query { shop { nameThatDoesNotExist } }"));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("nameThatDoesNotExist")]);
  });
});
