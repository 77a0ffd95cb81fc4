// Loads Shopify's real Admin API introspection once per process and derives the lookups the
// emulator needs (access scopes per root field / type). Building the client schema costs
// ~150 ms, so everything here is memoised.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE_DIR = resolve(here, "../../fixtures/shopify-schema");

/** API versions the emulator answers, each mapped to the vendored introspection file it validates against. */
export const SCHEMA_FILES: Record<string, string> = {
  "2026-10": "admin_2026-10.json.gz",
};
export const DEFAULT_API_VERSION = "2026-10";

interface ScopeItem {
  type: "type" | "field";
  typeName: string;
  fieldName?: string;
  requiredAccess: string;
  offlineScopes: string[];
}

export interface AccessRule {
  /** Any one of these scopes grants access (Shopify lists alternatives). */
  anyOf: string[];
  /** Shopify's human text, echoed in ACCESS_DENIED errors. */
  text: string;
}

export interface AdminSchema {
  version: string;
  schema: GraphQLSchema;
  /** Scopes guarding a whole object type, e.g. Order → read_orders. */
  typeAccess: Map<string, AccessRule>;
  /** Scopes guarding a root field, key "QueryRoot.productsCount" / "Mutation.productUpdate". */
  fieldAccess: Map<string, AccessRule>;
}

const cache = new Map<string, AdminSchema>();

export function isSupportedVersion(version: string): boolean {
  return version in SCHEMA_FILES;
}

export function loadAdminSchema(version: string = DEFAULT_API_VERSION): AdminSchema {
  const hit = cache.get(version);
  if (hit) return hit;
  const file = SCHEMA_FILES[version];
  if (!file) throw new Error(`No vendored Admin schema for API version ${version}`);
  const json = JSON.parse(gunzipSync(readFileSync(resolve(FIXTURE_DIR, file))).toString("utf8")) as {
    data: IntrospectionQuery;
    offline_scopes?: { items: ScopeItem[] };
  };
  const schema = buildClientSchema(json.data, { assumeValid: true });
  const typeAccess = new Map<string, AccessRule>();
  const fieldAccess = new Map<string, AccessRule>();
  for (const item of json.offline_scopes?.items ?? []) {
    if (!item.offlineScopes.length) continue;
    const rule = { anyOf: item.offlineScopes, text: item.requiredAccess };
    if (item.type === "type") typeAccess.set(item.typeName, rule);
    else if (item.typeName === "QueryRoot" || item.typeName === "Mutation") {
      fieldAccess.set(`${item.typeName}.${item.fieldName}`, rule);
    }
  }
  const loaded = { version, schema, typeAccess, fieldAccess };
  cache.set(version, loaded);
  return loaded;
}
