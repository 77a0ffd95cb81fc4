// Relay connections as Shopify serves them: opaque base64 cursors carrying the last id and sort
// value, `first`/`last` mandatory outside bulk operations, exact hasNext/hasPreviousPage.
import { GraphQLError } from "graphql";

/** Largest `first`/`last` Shopify accepts on a connection. */
export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface SortKey {
  id: number;
  value: string | number;
}

export interface Connection<V> {
  edges: Array<{ cursor: string; node: V }>;
  nodes: V[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify({ last_id: key.id, last_value: key.value })).toString("base64");
}

function decodeCursor(cursor: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
      last_id?: unknown;
      last_value?: unknown;
    };
    if (typeof parsed.last_id !== "number") throw new Error("bad cursor");
    return { id: parsed.last_id, value: parsed.last_value as string | number };
  } catch {
    throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
  }
}

/** Ascending order on (value, id); callers reverse the list for descending sorts. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value < b.value) return -1;
  if (a.value > b.value) return 1;
  return a.id - b.id;
}

/**
 * Pages an already sorted list. `keyOf` yields the cursor key, `descending` tells how the list is
 * ordered so a cursor whose record has since been deleted still resumes at the right place.
 */
export function paginate<T, V>(
  sorted: readonly T[],
  args: ConnectionArgs,
  keyOf: (item: T) => SortKey,
  toView: (item: T) => V,
  opts: { bulk?: boolean; descending?: boolean } = {},
): Connection<V> {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (!opts.bulk) {
    if (first === null && last === null) {
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    }
    if ((first !== null && first < 0) || (last !== null && last < 0)) {
      throw new GraphQLError("first and last must be non-negative", { extensions: { code: "BAD_REQUEST" } });
    }
    // "You can retrieve up to a maximum of 250 resources" (shopify.dev/docs/api/usage/pagination-graphql).
    // Shopify refuses a larger page rather than truncating it. (It lets a single product's
    // `variants` go to 2,000; the emulator does not model that exception, so it is stricter there.)
    for (const [name, value] of [
      ["first", first],
      ["last", last],
    ] as const) {
      if (value !== null && value > MAX_PAGE_SIZE) {
        throw new GraphQLError(`The maximum number of records you can request with \`${name}\` is ${MAX_PAGE_SIZE}.`, {
          extensions: { code: "BAD_REQUEST", argumentName: name, maximum: MAX_PAGE_SIZE, requested: value },
        });
      }
    }
  }
  const dir = opts.descending ? -1 : 1;
  const position = (cursor: string): number => {
    const key = decodeCursor(cursor);
    const exact = sorted.findIndex((item) => keyOf(item).id === key.id);
    if (exact !== -1) return exact;
    // Deleted since: the position where it would sit, minus a half step.
    const next = sorted.findIndex((item) => dir * compareKeys(keyOf(item), key) > 0);
    return (next === -1 ? sorted.length : next) - 0.5;
  };
  let start = 0;
  let end = sorted.length;
  if (args.after) start = Math.max(start, Math.floor(position(args.after)) + 1);
  if (args.before) end = Math.min(end, Math.ceil(position(args.before)));
  if (!opts.bulk) {
    if (first !== null && end - start > first) end = start + first;
    if (last !== null && end - start > last) start = end - last;
  }
  const slice = start < end ? sorted.slice(start, end) : [];
  const edges = slice.map((item) => ({ cursor: encodeCursor(keyOf(item)), node: toView(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: end < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export function emptyConnection<V>(): Connection<V> {
  return {
    edges: [],
    nodes: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}
