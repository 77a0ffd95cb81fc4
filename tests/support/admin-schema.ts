import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let schema: GraphQLSchema | undefined;

/** Shopify's real Admin API 2026-10 schema, vendored from @shopify/dev-mcp (tests/fixtures). */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const file = path.resolve(import.meta.dirname, "../fixtures/shopify-schema/admin_2026-10.json.gz");
    const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(json.data);
  }
  return schema;
}
