// Parses, validates, costs and executes documents against the real Admin schema. Parsed and
// validated documents are cached by query string and requested costs by document + the
// variables that influence them, so hot loops (the app's pagination or update batches) pay
// for graphql-js parsing/validation once.
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValueNode,
} from "graphql";
import type { ResolverContext } from "./context";
import { actualQueryCost, costVariableNames, requestedQueryCost, type CostContext } from "./cost";
import { formatParseError, formatValidationError, type ShopifyError } from "./errors";
import { createFieldResolver, mutationRoot, queryRoot } from "./resolvers";
import type { AdminSchema } from "./schema";

interface OperationInfo {
  op: OperationDefinitionNode;
  /** Variables the requested cost depends on; null = compute per request. */
  costVars: string[] | null;
  costCache: Map<string, number>;
}

export type PreparedDocument =
  | { ok: true; document: DocumentNode; fragments: Record<string, FragmentDefinitionNode>; operations: OperationInfo[] }
  | { ok: false; errors: ShopifyError[] };

export type Prepared =
  | {
      ok: true;
      document: DocumentNode;
      operation: OperationInfo;
      fragments: Record<string, FragmentDefinitionNode>;
      variables: Record<string, unknown>;
    }
  | { ok: false; errors: ShopifyError[] };

const MAX_CACHED_DOCUMENTS = 2000;

/**
 * "Input arguments that accept an array have a maximum size of 250 for all APIs. Requests return an
 * error if an input array exceeds 250 items." (shopify.dev/docs/api/usage/limits#input-limits, and
 * shopify.dev/changelog/graphql-input-objects-limited-to-250-items). The request is refused before
 * it runs, with MAX_INPUT_SIZE_EXCEEDED, whether the array is written in the document or passed
 * in a variable, at any depth of an input object.
 */
export const MAX_INPUT_ARRAY_SIZE = 250;

function argumentValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.LIST:
      return node.values.map((v) => argumentValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, argumentValue(f.value, variables)]));
    default:
      return null;
  }
}

function oversizedInputs(
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): ShopifyError[] {
  const errors: ShopifyError[] = [];
  const check = (value: unknown, path: Array<string | number>, loc: ShopifyError["locations"]) => {
    if (Array.isArray(value)) {
      if (value.length > MAX_INPUT_ARRAY_SIZE) {
        errors.push({
          message: `The input array size of ${value.length} is greater than the maximum allowed of ${MAX_INPUT_ARRAY_SIZE}.`,
          locations: loc,
          path,
          extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
        });
        return;
      }
      value.forEach((item, i) => check(item, [...path, i], loc));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) check(item, [...path, key], loc);
    }
  };
  const seen = new Set<string>();
  const visit = (selections: readonly SelectionNode[], path: string[]) => {
    for (const sel of selections) {
      if (sel.kind === Kind.FIELD) {
        const here = [...path, sel.alias?.value ?? sel.name.value];
        for (const arg of sel.arguments ?? []) {
          const loc = arg.loc ? [{ line: arg.loc.startToken.line, column: arg.loc.startToken.column }] : undefined;
          check(argumentValue(arg.value, variables), [...here, arg.name.value], loc);
        }
        if (sel.selectionSet) visit(sel.selectionSet.selections, here);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet.selections, path);
      else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const frag = fragments[sel.name.value];
        if (frag) visit(frag.selectionSet.selections, path);
      }
    }
  };
  visit(op.selectionSet.selections, []);
  return errors;
}

export class Executor {
  private readonly docs = new Map<string, PreparedDocument>();
  readonly fieldResolver: GraphQLFieldResolver<unknown, ResolverContext>;

  constructor(readonly admin: AdminSchema) {
    this.fieldResolver = createFieldResolver(admin);
  }

  private prepareDocument(query: string): PreparedDocument {
    const hit = this.docs.get(query);
    if (hit) return hit;
    let result: PreparedDocument;
    try {
      const document = parse(query);
      const errors = validate(this.admin.schema, document, specifiedRules);
      if (errors.length) {
        result = { ok: false, errors: errors.map(formatValidationError) };
      } else {
        const fragments: Record<string, FragmentDefinitionNode> = {};
        const operations: OperationInfo[] = [];
        for (const def of document.definitions) {
          if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          else if (def.kind === Kind.OPERATION_DEFINITION) {
            operations.push({ op: def, costVars: costVariableNames(document, def), costCache: new Map() });
          }
        }
        result = { ok: true, document, fragments, operations };
      }
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      result = { ok: false, errors: [formatParseError(err)] };
    }
    if (this.docs.size >= MAX_CACHED_DOCUMENTS) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(query, result);
    return result;
  }

  /** Everything that can be rejected before touching the bucket. */
  prepare(
    query: string,
    operationName: string | null | undefined,
    rawVariables: Record<string, unknown> | null | undefined,
  ): Prepared {
    const doc = this.prepareDocument(query);
    if (!doc.ok) return doc;
    let operation: OperationInfo | undefined;
    if (operationName) {
      operation = doc.operations.find((o) => o.op.name?.value === operationName);
      if (!operation)
        return {
          ok: false,
          errors: [{ message: `No operation named "${operationName}"`, extensions: { code: "OPERATION_NOT_FOUND" } }],
        };
    } else if (doc.operations.length === 1) {
      operation = doc.operations[0];
    } else {
      return {
        ok: false,
        errors: [{ message: "An operation name is required", extensions: { code: "OPERATION_NAME_REQUIRED" } }],
      };
    }
    if (!operation)
      return {
        ok: false,
        errors: [{ message: "No operations in query document", extensions: { code: "PARSE_ERROR" } }],
      };
    if (operation.op.operation === "subscription") {
      return {
        ok: false,
        errors: [{ message: "Subscriptions are not supported", extensions: { code: "NOT_SUPPORTED" } }],
      };
    }
    const coerced = getVariableValues(this.admin.schema, operation.op.variableDefinitions ?? [], rawVariables ?? {});
    if (coerced.errors) {
      return {
        ok: false,
        errors: coerced.errors.map((e) => ({
          message: e.message,
          locations: e.locations ? [...e.locations] : undefined,
          extensions: { code: "INVALID_VARIABLE" },
        })),
      };
    }
    const oversized = oversizedInputs(operation.op, doc.fragments, coerced.coerced);
    if (oversized.length) return { ok: false, errors: oversized };
    return { ok: true, document: doc.document, operation, fragments: doc.fragments, variables: coerced.coerced };
  }

  private costContext(p: Extract<Prepared, { ok: true }>): CostContext {
    return { schema: this.admin.schema, fragments: p.fragments, variables: p.variables };
  }

  requestedCost(p: Extract<Prepared, { ok: true }>): number {
    const { operation } = p;
    if (!operation.costVars) return requestedQueryCost(this.costContext(p), operation.op);
    const key = operation.costVars.length ? JSON.stringify(operation.costVars.map((v) => p.variables[v] ?? null)) : "";
    let cost = operation.costCache.get(key);
    if (cost === undefined) {
      cost = requestedQueryCost(this.costContext(p), operation.op);
      if (operation.costCache.size > 200) operation.costCache.clear();
      operation.costCache.set(key, cost);
    }
    return cost;
  }

  actualCost(
    p: Extract<Prepared, { ok: true }>,
    data: Record<string, unknown> | null | undefined,
    requested: number,
  ): number {
    return actualQueryCost(this.costContext(p), p.operation.op, data, requested);
  }

  run(p: Extract<Prepared, { ok: true }>, ctx: ResolverContext): ExecutionResult {
    const result = execute({
      schema: this.admin.schema,
      document: p.document,
      operationName: p.operation.op.name?.value,
      rootValue: p.operation.op.operation === "mutation" ? mutationRoot : queryRoot,
      contextValue: ctx,
      variableValues: p.variables,
      fieldResolver: this.fieldResolver,
    });
    if (result instanceof Promise) throw new Error("Emulator resolvers must be synchronous");
    return result;
  }

  /** Root field names of the operation, for per-operation statistics. */
  rootFields(p: Extract<Prepared, { ok: true }>): string[] {
    const names: string[] = [];
    const visit = (sels: OperationDefinitionNode["selectionSet"]["selections"]) => {
      for (const s of sels) {
        if (s.kind === Kind.FIELD) {
          if (!s.name.value.startsWith("__")) names.push(s.name.value);
        } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet.selections);
        else {
          const frag = p.fragments[s.name.value];
          if (frag) visit(frag.selectionSet.selections);
        }
      }
    };
    visit(p.operation.op.selectionSet.selections);
    return names;
  }
}
