// Shopify answers invalid documents with graphql-ruby's wording and camelCase codes. graphql-js
// finds the same problems; this maps its most common messages onto Shopify's shape so logs and
// error handling in the app see what production would send.
import type { GraphQLError } from "graphql";

export interface ShopifyError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: Record<string, unknown>;
}

type Mapper = (m: RegExpExecArray) => { message: string; extensions: Record<string, unknown> };

const RULES: Array<[RegExp, Mapper]> = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"\./,
    (m) => ({
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    }),
  ],
  [
    /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./,
    (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    }),
  ],
  [
    /^Field "(?:(\w+)\.)?(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./,
    (m) => ({
      message: `Field '${m[2]}' is missing required arguments: ${m[3]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[2], arguments: m[3] },
    }),
  ],
  [
    /^Field "(\w+)" of type "(.+)" must have a selection of subfields\./,
    (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${(m[2] ?? "").replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: {
        code: "selectionMismatch",
        nodeName: `field '${m[1]}'`,
        typeName: (m[2] ?? "").replace(/[![\]]/g, ""),
      },
    }),
  ],
  [
    /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields\./,
    (m) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
    }),
  ],
  [
    /^Unknown type "(\w+)"\./,
    (m) => ({
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: m[1] },
    }),
  ],
  [
    /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./,
    (m) => ({
      message: `Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`,
      extensions: { code: "variableNotUsed", variableName: m[1] },
    }),
  ],
  [
    /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./,
    (m) => ({
      message: `Variable $${m[1]} is used by ${m[2] ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName: m[1] },
    }),
  ],
  [
    /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./,
    (m) => ({
      message: `Type mismatch on variable $${m[1]} and argument (${m[2]} / ${m[3]})`,
      extensions: { code: "variableMismatch", variableName: m[1], typeName: m[2] },
    }),
  ],
  [
    /^Unknown fragment "(\w+)"\./,
    (m) => ({
      message: `Fragment ${m[1]} was used, but not defined`,
      extensions: { code: "useAndDefineFragment", fragmentName: m[1] },
    }),
  ],
  [
    /^Fragment "(\w+)" is never used\./,
    (m) => ({
      message: `Fragment ${m[1]} was defined, but not used`,
      extensions: { code: "useAndDefineFragment", fragmentName: m[1] },
    }),
  ],
];

export function formatValidationError(err: GraphQLError): ShopifyError {
  const base = { locations: err.locations ? [...err.locations] : undefined };
  for (const [re, map] of RULES) {
    const m = re.exec(err.message);
    if (m) return { ...map(m), ...base };
  }
  return { message: err.message, ...base, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

export function formatParseError(err: GraphQLError): ShopifyError {
  const loc = err.locations?.[0];
  const found = /found (<EOF>|"(.*)")\.?$/.exec(err.message);
  let message = err.message;
  if (found?.[1] === "<EOF>") message = "Unexpected end of document";
  else if (found && loc) message = `Parse error on "${found[2]}" at [${loc.line}, ${loc.column}]`;
  else if (loc)
    message = `Parse error on ${err.message.replace(/^Syntax Error: /, "")} at [${loc.line}, ${loc.column}]`;
  return { message, locations: err.locations ? [...err.locations] : undefined, extensions: { code: "PARSE_ERROR" } };
}
