// Shopify's calculated query cost (https://shopify.dev/docs/api/usage/rate-limits):
//   scalar / enum / __typename  0
//   object (incl. interface, union, list of objects)  1 + cost of its selection
//   connection  2 + (first|last) × cost of one node (node = 1 + its selection; pageInfo/cursor free)
//   mutation  10 (+ Shopify's "dynamic complexity" for product/metafield writes) + connections
//             selected in the payload; plain payload objects are covered by the 10 (a simple
//             `productUpdate { product { id } userErrors { … } }` costs exactly 10 on Shopify).
// Fragments on different concrete types of an abstract field count the most expensive branch.
// The requested cost is computed statically before execution; the actual cost walks the
// response, so connections count the nodes really returned and null objects cost nothing.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
  type ValueNode,
  visit,
} from "graphql";

export const MAX_QUERY_COST = 1000;
const MUTATION_BASE_COST = 10;

export interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Coerced variable values (defaults applied). */
  variables: Record<string, unknown>;
}

interface CollectedField {
  fieldName: string;
  nodes: FieldNode[];
  /** Type the field is looked up on (the fragment's type condition when inside one). */
  lookupType: GraphQLCompositeType;
  /** null when the field applies to every possible runtime type of the parent. */
  condition: string | null;
}

const connectionCache = new WeakMap<GraphQLNamedType, boolean>();

/** Shopify connections: object types exposing pageInfo plus edges and/or nodes. */
export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  let hit = connectionCache.get(type);
  if (hit === undefined) {
    const fields = isObjectType(type) ? type.getFields() : undefined;
    hit = Boolean(fields && fields.pageInfo && (fields.edges || fields.nodes));
    connectionCache.set(type, hit);
  }
  return hit;
}

function included(node: FieldNode | { directives?: FieldNode["directives"] }, vars: Record<string, unknown>): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, vars);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, vars);
  return include?.if !== false;
}

function appliesTo(ctx: CostContext, condition: string | undefined, parent: GraphQLCompositeType): boolean {
  if (!condition || condition === parent.name) return true;
  const cond = ctx.schema.getType(condition);
  // A fragment on an interface the (concrete) parent implements always applies.
  return Boolean(cond && isObjectType(parent) && isInterfaceType(cond) && parent.getInterfaces().includes(cond));
}

// Collected fields per (selection set, parent type); only for sets without directives, whose
// result cannot depend on variables. AST nodes live as long as the cached document.
const collectCache = new WeakMap<SelectionSetNode, WeakMap<GraphQLCompositeType, Map<string, CollectedField>>>();

/** Flattens fields, inline fragments and fragment spreads, merging fields by response key. */
export function collectFields(
  ctx: CostContext,
  selectionSets: readonly SelectionSetNode[],
  parent: GraphQLCompositeType,
): Map<string, CollectedField> {
  const single = selectionSets.length === 1 ? (selectionSets[0] as SelectionSetNode) : null;
  const cached = single ? collectCache.get(single)?.get(parent) : undefined;
  if (cached) return cached;
  let sawDirective = false;
  const out = new Map<string, CollectedField>();
  const visit = (set: SelectionSetNode, lookupType: GraphQLCompositeType, condition: string | null): void => {
    for (const sel of set.selections) {
      if (sel.directives?.length) sawDirective = true;
      if (!included(sel as FieldNode, ctx.variables)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const prev = out.get(key);
        if (prev) prev.nodes.push(sel);
        else out.set(key, { fieldName: sel.name.value, nodes: [sel], lookupType, condition });
        continue;
      }
      let typeName: string | undefined;
      let inner: SelectionSetNode;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        typeName = sel.typeCondition?.name.value;
        inner = sel.selectionSet;
      } else {
        const frag = ctx.fragments[sel.name.value];
        if (!frag) continue;
        typeName = frag.typeCondition.name.value;
        inner = frag.selectionSet;
      }
      if (appliesTo(ctx, typeName, parent)) {
        visit(inner, lookupType, condition);
      } else {
        const condType = ctx.schema.getType(typeName ?? "");
        if (condType && isCompositeType(condType)) visit(inner, condType, typeName ?? null);
      }
    }
  };
  for (const set of selectionSets) visit(set, parent, null);
  if (single && !sawDirective) {
    let byType = collectCache.get(single);
    if (!byType) collectCache.set(single, (byType = new WeakMap()));
    byType.set(parent, out);
  }
  return out;
}

function fieldDef(f: CollectedField): GraphQLField<unknown, unknown> | undefined {
  const t = f.lookupType;
  return isObjectType(t) || isInterfaceType(t) ? t.getFields()[f.fieldName] : undefined;
}

function subSelections(f: CollectedField): SelectionSetNode[] {
  const sets: SelectionSetNode[] = [];
  for (const n of f.nodes) if (n.selectionSet) sets.push(n.selectionSet);
  return sets;
}

// ---------------------------------------------------------------- requested (static) cost

function requestedSelection(
  ctx: CostContext,
  sets: readonly SelectionSetNode[],
  parent: GraphQLCompositeType,
  payload: boolean,
): number {
  let base = 0;
  const branches = new Map<string, number>();
  for (const f of collectFields(ctx, sets, parent).values()) {
    const c = requestedField(ctx, f, payload);
    if (f.condition === null) base += c;
    else branches.set(f.condition, (branches.get(f.condition) ?? 0) + c);
  }
  let branch = 0;
  for (const c of branches.values()) branch = Math.max(branch, c);
  return base + branch;
}

function requestedField(ctx: CostContext, f: CollectedField, payload: boolean): number {
  if (f.fieldName.startsWith("__")) return 0;
  const def = fieldDef(f);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named) || !isCompositeType(named)) return 0;
  const sets = subSelections(f);
  if (isConnectionType(named)) {
    const args = getArgumentValues(def, f.nodes[0] as FieldNode, ctx.variables);
    const size = Number(args.first ?? args.last ?? 0) || 0;
    return 2 + size * requestedNode(ctx, sets, named);
  }
  const one = (payload ? 0 : 1) + requestedSelection(ctx, sets, named, payload);
  // `nodes(ids: [...])` and friends fetch one object per id.
  return one * idsCount(ctx, f, def);
}

function idsCount(ctx: CostContext, f: CollectedField, def: GraphQLField<unknown, unknown>): number {
  if (!def.args.some((a) => a.name === "ids")) return 1;
  const ids = getArgumentValues(def, f.nodes[0] as FieldNode, ctx.variables).ids;
  return Array.isArray(ids) ? Math.max(1, ids.length) : 1;
}

/** Cost of one node of a connection: the dearer of `edges { node }` and `nodes`. */
function requestedNode(ctx: CostContext, sets: readonly SelectionSetNode[], conn: GraphQLObjectType): number {
  let cost = 0;
  for (const f of collectFields(ctx, sets, conn).values()) {
    const def = fieldDef(f);
    if (!def) continue;
    const named = getNamedType(def.type);
    if (f.fieldName === "nodes" && isCompositeType(named)) {
      cost = Math.max(cost, 1 + requestedSelection(ctx, subSelections(f), named, false));
    } else if (f.fieldName === "edges" && isObjectType(named)) {
      cost = Math.max(cost, 1);
      for (const e of collectFields(ctx, subSelections(f), named).values()) {
        const nodeDef = fieldDef(e);
        const nodeType = nodeDef && getNamedType(nodeDef.type);
        if (e.fieldName === "node" && nodeType && isCompositeType(nodeType)) {
          cost = Math.max(cost, 1 + requestedSelection(ctx, subSelections(e), nodeType, false));
        }
      }
    }
  }
  return cost;
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * Shopify's published "dynamic complexity" for product and metafield writes (2025-10+):
 * productCreate/productUpdate 10 + 0.4/metafield + 1.9/media; productSet adds variants;
 * metafieldsSet 10 + weight per distinct owner.
 */
function mutationBase(name: string, args: Record<string, unknown>): number {
  const input = (args.product ?? args.input ?? {}) as Record<string, unknown>;
  switch (name) {
    case "productCreate":
    case "productUpdate":
      return MUTATION_BASE_COST + count(input.metafields) * 0.4 + count(args.media) * 1.9;
    case "productSet": {
      let variantMetafields = 0;
      let variantFiles = 0;
      for (const v of (input.variants as Array<Record<string, unknown>> | undefined) ?? []) {
        variantMetafields += count(v.metafields);
        variantFiles += v.file ? 1 : 0;
      }
      return (
        MUTATION_BASE_COST +
        count(input.variants) * 0.2 +
        variantFiles * 0.6 +
        variantMetafields * 0.4 +
        count(input.metafields) * 0.4 +
        count(input.files) * 1.9
      );
    }
    case "metafieldsSet": {
      const weights: Record<string, number> = {
        Order: 10,
        Product: 4,
        ProductVariant: 2,
        Collection: 1,
        Customer: 1,
        Shop: 1,
      };
      const owners = new Set<string>();
      for (const m of (args.metafields as Array<{ ownerId?: string }> | undefined) ?? []) owners.add(String(m.ownerId));
      let extra = 0;
      for (const id of owners) extra += weights[/gid:\/\/shopify\/(\w+)\//.exec(id)?.[1] ?? ""] ?? 0;
      return MUTATION_BASE_COST + extra;
    }
    default:
      return MUTATION_BASE_COST;
  }
}

function rootType(ctx: CostContext, op: OperationDefinitionNode): GraphQLObjectType | null | undefined {
  return op.operation === "mutation" ? ctx.schema.getMutationType() : ctx.schema.getQueryType();
}

export function requestedQueryCost(ctx: CostContext, op: OperationDefinitionNode): number {
  const root = rootType(ctx, op);
  if (!root) return 0;
  let total = 0;
  for (const f of collectFields(ctx, [op.selectionSet], root).values()) {
    if (op.operation === "mutation") {
      const def = fieldDef(f);
      if (!def || f.fieldName.startsWith("__")) continue;
      const args = getArgumentValues(def, f.nodes[0] as FieldNode, ctx.variables);
      const payload = getNamedType(def.type);
      total += mutationBase(f.fieldName, args);
      if (isCompositeType(payload)) total += requestedSelection(ctx, subSelections(f), payload, true);
    } else {
      total += requestedField(ctx, f, false);
    }
  }
  return roundCost(total);
}

function roundCost(total: number): number {
  // Dynamic complexity produces fractions; Shopify reports whole points. Guard float noise.
  return Math.ceil(Math.round(total * 1e6) / 1e6);
}

// ---------------------------------------------------------------- actual cost (from response)

type Json = Record<string, unknown>;

function actualSelection(
  ctx: CostContext,
  sets: readonly SelectionSetNode[],
  parent: GraphQLCompositeType,
  data: Json,
  payload: boolean,
): number {
  let total = 0;
  for (const [key, f] of collectFields(ctx, sets, parent)) {
    if (!(key in data)) continue; // field belonged to a fragment for another runtime type
    total += actualField(ctx, f, data[key], payload);
  }
  return total;
}

function actualField(ctx: CostContext, f: CollectedField, value: unknown, payload: boolean): number {
  if (value === null || value === undefined || f.fieldName.startsWith("__")) return 0;
  const def = fieldDef(f);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (!isCompositeType(named)) return 0;
  const sets = subSelections(f);
  if (isConnectionType(named)) return 2 + actualNodes(ctx, sets, named, value as Json);
  const one = (item: unknown): number =>
    item && typeof item === "object" ? (payload ? 0 : 1) + actualSelection(ctx, sets, named, item as Json, payload) : 0;
  if (Array.isArray(value)) {
    // A plain list is counted once (its size is unknown up front), unless sized by `ids`.
    if (idsCount(ctx, f, def) > 1) return value.reduce((sum: number, item) => sum + one(item), 0);
    let max = 0;
    for (const item of value) max = Math.max(max, one(item));
    return max;
  }
  return one(value);
}

function actualNodes(ctx: CostContext, sets: readonly SelectionSetNode[], conn: GraphQLObjectType, data: Json): number {
  let best = 0;
  for (const [key, f] of collectFields(ctx, sets, conn)) {
    const def = fieldDef(f);
    const list = data[key];
    if (!def || !Array.isArray(list)) continue;
    const named = getNamedType(def.type);
    let sum = 0;
    if (f.fieldName === "nodes" && isCompositeType(named)) {
      for (const node of list) sum += node ? 1 + actualSelection(ctx, subSelections(f), named, node as Json, false) : 0;
    } else if (f.fieldName === "edges" && isObjectType(named)) {
      const edgeFields = collectFields(ctx, subSelections(f), named);
      for (const edge of list as Json[]) {
        let nodeCost = 1;
        for (const [ek, e] of edgeFields) {
          const nodeDef = fieldDef(e);
          const nodeType = nodeDef && getNamedType(nodeDef.type);
          const node = edge?.[ek];
          if (e.fieldName === "node" && nodeType && isCompositeType(nodeType) && node) {
            nodeCost = Math.max(nodeCost, 1 + actualSelection(ctx, subSelections(e), nodeType, node as Json, false));
          }
        }
        sum += nodeCost;
      }
    }
    best = Math.max(best, sum);
  }
  return best;
}

/** Cost of what was returned; never more than requested (Shopify only ever refunds). */
export function actualQueryCost(
  ctx: CostContext,
  op: OperationDefinitionNode,
  data: Json | null | undefined,
  requested: number,
): number {
  const root = rootType(ctx, op);
  if (!root) return 0;
  let total = 0;
  for (const [key, f] of collectFields(ctx, [op.selectionSet], root)) {
    if (op.operation === "mutation") {
      const def = fieldDef(f);
      if (!def || f.fieldName.startsWith("__")) continue;
      // The mutation ran (or was attempted): its base is always charged.
      const args = getArgumentValues(def, f.nodes[0] as FieldNode, ctx.variables);
      total += mutationBase(f.fieldName, args);
      const payload = getNamedType(def.type);
      const value = data?.[key];
      if (value && isCompositeType(payload))
        total += actualSelection(ctx, subSelections(f), payload, value as Json, true);
    } else if (data && key in data) {
      total += actualField(ctx, f, data[key], false);
    }
  }
  return Math.min(requested, roundCost(total));
}

/**
 * Names of variables whose values can change the requested cost of a query (`first`/`last`/`ids` and
 * @skip/@include arguments), or null for mutations (their dynamic cost depends on input sizes, so
 * it is computed per request). Used to cache requested costs per document + variable shape.
 */
export function costVariableNames(doc: DocumentNode, op: OperationDefinitionNode): string[] | null {
  if (op.operation === "mutation") return null;
  const names = new Set<string>();
  const addVars = (node: ValueNode): void => {
    if (node.kind === Kind.VARIABLE) names.add(node.name.value);
    else if (node.kind === Kind.LIST) node.values.forEach(addVars);
    else if (node.kind === Kind.OBJECT) node.fields.forEach((f) => addVars(f.value));
  };
  visit(doc, {
    Field(node) {
      for (const arg of node.arguments ?? []) {
        if (arg.name.value === "first" || arg.name.value === "last" || arg.name.value === "ids") addVars(arg.value);
      }
    },
    Directive(node) {
      for (const arg of node.arguments ?? []) addVars(arg.value);
    },
  });
  return [...names];
}
