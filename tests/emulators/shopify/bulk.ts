// bulkOperationRunQuery: validates the inner query like Shopify (≥1 connection, ≤5 connections,
// ≤2 levels of nesting, `id` on parents of nested connections), runs it in the background over
// all data (connections ignore first/last), and writes Shopify's JSONL: one line per connection
// node, nested connection nodes on their own lines with `__parentId`.
import {
  getNamedType,
  type GraphQLError,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { expandScopes, type EmulatorRuntime, type ResolverContext } from "./context";
import { collectFields, isConnectionType, type CostContext } from "./cost";
import type { Executor } from "./executor";
import { gid, isoNow, type BulkOperationRecord, type EmulatorState, type ShopRecord } from "./state";

export const MAX_CONCURRENT_BULK_QUERIES = 5;

type Json = Record<string, unknown>;
type BulkError = { error: { field: string[]; message: string; code: string } };

export interface BulkTimings {
  /** Delay before a CREATED operation starts RUNNING. */
  startDelayMs: number;
  /** Time a run takes before it COMPLETES (lets tests observe RUNNING), on top of its export time. */
  runMs: number;
  /**
   * How fast Shopify writes the operation's objects (JSONL lines) per second, so a run of N objects
   * takes runMs + N / objectsPerSecond seconds. Shopify documents no figure (a bulk operation
   * "can take a long time", https://shopify.dev/docs/api/usage/bulk-operations/queries); Infinity
   * (the default, for tests) exports instantly, and the order backfill bench sets a realistic rate.
   */
  objectsPerSecond: number;
}

function invalid(message: string): BulkError {
  return { error: { field: ["query"], message, code: "INVALID" } };
}

interface Analysis {
  connections: number;
  error: string | null;
}

/** Walks the query with types to apply Shopify's structural limits for bulk queries. */
function analyse(ctx: CostContext, op: OperationDefinitionNode, root: GraphQLCompositeType): Analysis {
  const result: Analysis = { connections: 0, error: null };
  const walk = (
    sets: readonly SelectionSetNode[],
    type: GraphQLCompositeType,
    depth: number,
    inList: boolean,
  ): void => {
    for (const f of collectFields(ctx, sets, type).values()) {
      const parent = f.lookupType as GraphQLCompositeType & {
        getFields?: () => Record<string, { type: GraphQLOutputType }>;
      };
      const def = parent.getFields?.()[f.fieldName];
      if (!def) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      const subs = f.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const unwrapped = isNonNullType(def.type) ? def.type.ofType : def.type;
      if (isConnectionType(named)) {
        result.connections++;
        if (inList)
          result.error ??= "Queries that contain a connection field within a list field are not currently supported.";
        if (depth + 1 > 2) result.error ??= "Bulk queries cannot contain more than 2 levels of nested connections.";
        const nodeFields = collectFields(ctx, subs, named);
        for (const nf of nodeFields.values()) {
          const nodeSets =
            nf.fieldName === "nodes" ? nf.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])) : [];
          const edgeNodeSets: SelectionSetNode[] = [];
          if (nf.fieldName === "edges") {
            const edgeType = getNamedType(named.getFields().edges?.type as GraphQLOutputType) as GraphQLCompositeType;
            for (const ef of collectFields(
              ctx,
              nf.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
              edgeType,
            ).values()) {
              if (ef.fieldName === "node")
                edgeNodeSets.push(...ef.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])));
            }
          }
          const sets2 = [...nodeSets, ...edgeNodeSets];
          if (!sets2.length) continue;
          const nodeType = getNamedType(named.getFields().nodes?.type as GraphQLOutputType) as GraphQLCompositeType;
          const before = result.connections;
          walk(sets2, nodeType, depth + 1, false);
          if (result.connections > before && !collectFields(ctx, sets2, nodeType).has("id")) {
            result.error ??=
              "The parent 'node' field for a nested connection must select the 'id' field. Connection fields without 'id' are not supported.";
          }
        }
      } else {
        walk(subs, named, depth, inList || isListType(unwrapped));
      }
    }
  };
  walk([op.selectionSet], root, 0, false);
  if (result.connections === 0) result.error ??= "Bulk queries must contain at least one connection.";
  if (result.connections > 5) result.error ??= "Bulk queries cannot contain more than 5 connections.";
  return result;
}

/** Turns the executed result into Shopify's JSONL lines. */
export function flattenBulkResult(
  ctx: CostContext,
  op: OperationDefinitionNode,
  root: GraphQLCompositeType,
  data: Json,
): { lines: Json[]; roots: number } {
  const lines: Json[] = [];
  let roots = 0;

  const emitNode = (
    node: Json,
    sets: SelectionSetNode[],
    type: GraphQLCompositeType,
    parentId: string | undefined,
    isRoot: boolean,
  ) => {
    lines.push(node);
    if (isRoot) roots++;
    walkObject(node, sets, type, typeof node.id === "string" ? node.id : parentId);
    if (parentId && !isRoot) node.__parentId = parentId;
  };

  const walkObject = (obj: Json, sets: SelectionSetNode[], type: GraphQLCompositeType, ownerId: string | undefined) => {
    for (const [key, f] of collectFields(ctx, sets, type)) {
      if (!(key in obj)) continue;
      const parent = f.lookupType as GraphQLCompositeType & {
        getFields?: () => Record<string, { type: GraphQLOutputType }>;
      };
      const def = parent.getFields?.()[f.fieldName];
      const value = obj[key];
      if (!def || value === null || typeof value !== "object") continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      const subs = f.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (isConnectionType(named)) {
        delete obj[key];
        const conn = value as Json;
        const nodeType = getNamedType(named.getFields().nodes?.type as GraphQLOutputType) as GraphQLCompositeType;
        for (const [ck, cf] of collectFields(ctx, subs, named)) {
          const list = conn[ck];
          if (!Array.isArray(list)) continue;
          const cSubs = cf.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
          if (cf.fieldName === "nodes") {
            for (const n of list) if (n) emitNode(n as Json, cSubs, nodeType, ownerId, false);
          } else if (cf.fieldName === "edges") {
            const edgeType = getNamedType(named.getFields().edges?.type as GraphQLOutputType) as GraphQLCompositeType;
            for (const [ek, ef] of collectFields(ctx, cSubs, edgeType)) {
              if (ef.fieldName !== "node") continue;
              const eSubs = ef.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
              for (const edge of list as Json[])
                if (edge?.[ek]) emitNode(edge[ek] as Json, eSubs, nodeType, ownerId, false);
            }
          }
        }
      } else if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === "object") walkObject(item as Json, subs, named, ownerId);
      } else {
        walkObject(value as Json, subs, named, ownerId);
      }
    }
  };

  for (const [key, f] of collectFields(ctx, [op.selectionSet], root)) {
    const value = data[key];
    if (value === null || typeof value !== "object") continue;
    const def = (
      root as GraphQLCompositeType & { getFields: () => Record<string, { type: GraphQLOutputType }> }
    ).getFields()[f.fieldName];
    if (!def) continue;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    const subs = f.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    if (isConnectionType(named)) {
      // Top-level connection nodes are root objects (no __parentId).
      const holder: Json = { [key]: value };
      const before = lines.length;
      walkObject(holder, [op.selectionSet], root, undefined);
      // Root lines are the ones without __parentId.
      for (let i = before; i < lines.length; i++) if (!("__parentId" in (lines[i] as Json))) roots++;
    } else {
      emitNode(value as Json, subs, named, undefined, true);
    }
  }
  return { lines, roots };
}

export class BulkRunner {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly state: EmulatorState,
    private readonly executor: Executor,
    private readonly runtime: () => EmulatorRuntime,
    private readonly timings: BulkTimings,
  ) {}

  start(shop: ShopRecord, query: string): BulkOperationRecord | BulkError {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return invalid(`Invalid bulk query: ${(err as GraphQLError).message}`);
    }
    const errors = validate(this.executor.admin.schema, document, specifiedRules);
    if (errors.length) return invalid(`Invalid bulk query: ${errors[0]?.message}`);
    const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = ops[0];
    if (ops.length !== 1 || !op || op.operation !== "query")
      return invalid("Bulk queries must contain exactly one query operation.");
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const costCtx: CostContext = { schema: this.executor.admin.schema, fragments, variables: {} };
    const root = this.executor.admin.schema.getQueryType();
    if (!root) return invalid("No query root");
    const analysis = analyse(costCtx, op, root);
    if (analysis.error) return invalid(analysis.error);
    const running = [...shop.bulkOperations.values()].filter(
      (o) => o.type === "QUERY" && (o.status === "CREATED" || o.status === "RUNNING"),
    );
    if (running.length >= MAX_CONCURRENT_BULK_QUERIES) {
      return {
        error: {
          field: [],
          message: `A maximum of ${MAX_CONCURRENT_BULK_QUERIES} bulk query operations can run at the same time per shop.`,
          code: "LIMIT_REACHED",
        },
      };
    }
    const record: BulkOperationRecord = {
      id: this.state.nextId(),
      shop: shop.domain,
      type: "QUERY",
      query,
      status: "CREATED",
      errorCode: null,
      createdAt: isoNow(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      jsonl: null,
    };
    shop.bulkOperations.set(record.id, record);
    this.schedule(record.id, this.timings.startDelayMs, () => this.run(shop, record, document, op, costCtx, root));
    return record;
  }

  private schedule(id: number, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    t.unref?.();
    this.timers.set(id, t);
  }

  private run(
    shop: ShopRecord,
    record: BulkOperationRecord,
    document: DocumentNode,
    op: OperationDefinitionNode,
    costCtx: CostContext,
    root: GraphQLCompositeType,
  ): void {
    if (record.status !== "CREATED") return;
    record.status = "RUNNING";
    const ctx: ResolverContext = {
      state: this.state,
      shop,
      runtime: this.runtime(),
      bulk: true,
      scopes: expandScopes(shop.scopes),
      unimplemented: [],
    };
    const prepared = this.executor.prepare(document.loc?.source.body ?? "", undefined, {});
    let lines: Json[] = [];
    let errorCode: BulkOperationRecord["errorCode"] = null;
    if (prepared.ok) {
      const result = this.executor.run(prepared, ctx);
      if (result.errors?.length) {
        // Shopify reports only a code; the emulator also says which field failed (strict mode names it).
        this.runtime().warn("bulk operation failed", { errors: result.errors.map((e) => e.message) });
        errorCode = result.errors.some((e) => e.extensions?.code === "ACCESS_DENIED")
          ? "ACCESS_DENIED"
          : "INTERNAL_SERVER_ERROR";
      }
      if (result.data) {
        const flat = flattenBulkResult(costCtx, op, root, result.data as Json);
        lines = flat.lines;
        record.rootObjectCount = flat.roots;
      }
    } else {
      errorCode = "INTERNAL_SERVER_ERROR";
    }
    // While it runs, objectCount grows at the export rate, as Shopify's does when polled.
    const total = lines.length;
    const exportMs = Number.isFinite(this.timings.objectsPerSecond)
      ? (total / this.timings.objectsPerSecond) * 1000
      : 0;
    const runStarted = Date.now();
    record.objectCount = exportMs > 0 ? 0 : total;
    if (exportMs > 0) {
      const tick = setInterval(() => {
        if (record.status !== "RUNNING") return clearInterval(tick);
        record.objectCount = Math.min(
          total,
          Math.floor(((Date.now() - runStarted) / 1000) * this.timings.objectsPerSecond),
        );
      }, 250);
      tick.unref?.();
    }
    this.schedule(record.id, this.timings.runMs + exportMs, () => {
      record.objectCount = total;
      if (record.status !== "RUNNING" && record.status !== "CANCELING") return;
      if (record.status === "CANCELING") {
        record.status = "CANCELED";
        record.completedAt = isoNow();
      } else {
        record.jsonl = lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : "");
        record.fileSize = Buffer.byteLength(record.jsonl);
        record.status = errorCode ? "FAILED" : "COMPLETED";
        record.errorCode = errorCode;
        record.completedAt = isoNow();
      }
      this.state.emit(shop.domain, "bulk_operations/finish", {
        admin_graphql_api_id: gid("BulkOperation", record.id),
        completed_at: record.completedAt,
        created_at: record.createdAt,
        error_code: record.errorCode ? record.errorCode.toLowerCase() : null,
        status: record.status.toLowerCase(),
        type: "query",
      });
    });
  }

  cancel(shop: ShopRecord, id: number): BulkOperationRecord | null {
    const record = shop.bulkOperations.get(id);
    if (!record) return null;
    if (record.status === "CREATED") {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
      record.status = "CANCELED";
      record.completedAt = isoNow();
    } else if (record.status === "RUNNING") {
      record.status = "CANCELING";
    }
    return record;
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
