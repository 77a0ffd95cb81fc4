// A small implementation of Shopify's search syntax used by the `query` argument:
//   title:*shirt*  tag:sale  -tag:old  NOT status:draft  updated_at:>2024-01-01  (a OR b)  free text
// Terms are ANDed by default; unknown fields match nothing (as on Shopify, which then returns
// no results rather than an error).

type Op = ":" | ">" | ">=" | "<" | "<=";

export type SearchNode =
  | { kind: "and" | "or"; items: SearchNode[] }
  | { kind: "not"; item: SearchNode }
  | { kind: "term"; field: string | null; op: Op; value: string };

export type FieldKind = "text" | "keyword" | "date" | "number";

export interface FieldSpec<T> {
  kind: FieldKind;
  get(record: T): string | number | null | Array<string | number>;
}

export interface SearchSpec<T> {
  fields: Record<string, FieldSpec<T>>;
  /** Text searched by terms without a field. */
  freeText(record: T): string;
}

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push(c);
      i++;
      continue;
    }
    let tok = "";
    while (i < q.length && !/[\s()]/.test(q[i] as string)) {
      const ch = q[i] as string;
      if (ch === '"' || ch === "'") {
        const end = q.indexOf(ch, i + 1);
        const stop = end === -1 ? q.length : end;
        tok += `\u0001${q.slice(i + 1, stop)}\u0001`; // mark quoted text so it is kept verbatim
        i = stop + 1;
      } else {
        tok += ch;
        i++;
      }
    }
    tokens.push(tok);
  }
  return tokens;
}

function parseTerm(tok: string): SearchNode {
  let negate = false;
  if (tok.startsWith("-") && tok.length > 1) {
    negate = true;
    tok = tok.slice(1);
  }
  let node: SearchNode;
  const m = /^([a-zA-Z_.]+):(>=|<=|>|<)?(.*)$/s.exec(tok);
  if (m) {
    node = {
      kind: "term",
      field: (m[1] as string).toLowerCase(),
      op: (m[2] as Op | undefined) ?? ":",
      value: unquote(m[3] as string),
    };
  } else {
    node = { kind: "term", field: null, op: ":", value: unquote(tok) };
  }
  return negate ? { kind: "not", item: node } : node;
}

function unquote(v: string): string {
  return v.split("\u0001").join("");
}

export function parseSearchQuery(q: string | null | undefined): SearchNode | null {
  if (!q || !q.trim()) return null;
  const tokens = tokenize(q);
  let pos = 0;
  const parseOr = (): SearchNode => {
    const items = [parseAnd()];
    while (tokens[pos] === "OR") {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as SearchNode) : { kind: "or", items };
  };
  const parseAnd = (): SearchNode => {
    const items: SearchNode[] = [];
    while (pos < tokens.length && tokens[pos] !== ")" && tokens[pos] !== "OR") {
      if (tokens[pos] === "AND") {
        pos++;
        continue;
      }
      items.push(parseUnary());
    }
    return items.length === 1 ? (items[0] as SearchNode) : { kind: "and", items };
  };
  const parseUnary = (): SearchNode => {
    const tok = tokens[pos++] as string;
    if (tok === "NOT") return { kind: "not", item: parseUnary() };
    if (tok === "(") {
      const inner = parseOr();
      if (tokens[pos] === ")") pos++;
      return inner;
    }
    return parseTerm(tok);
  };
  return parseOr();
}

function wildcardRegex(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "s");
}

function compare(op: Op, a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function parseDate(v: string): number {
  const now = Date.now();
  if (v === "now") return now;
  const rel = /^(?:now)?-(\d+)([smhdw])$/.exec(v);
  if (rel) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[rel[2] as "s"];
    return now - Number(rel[1]) * unit;
  }
  return Date.parse(v);
}

function matchValue(kind: FieldKind, op: Op, actual: string | number, wanted: string): boolean {
  if (kind === "date") {
    const a = typeof actual === "number" ? actual : Date.parse(actual);
    const b = parseDate(wanted);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    // A bare date means the whole day when compared for equality.
    if (op === ":" && /^\d{4}-\d{2}-\d{2}$/.test(wanted)) return a >= b && a < b + 864e5;
    return compare(op, a, b);
  }
  if (kind === "number") {
    const gidNum = /(\d+)$/.exec(wanted)?.[1];
    return compare(op, Number(actual), Number(gidNum ?? wanted));
  }
  const a = String(actual).toLowerCase();
  const w = wanted.toLowerCase();
  if (w.includes("*")) return wildcardRegex(w).test(a);
  if (op !== ":") return compare(op, a.localeCompare(w), 0);
  return kind === "text" ? a.includes(w) : a === w;
}

export function matches<T>(node: SearchNode | null, record: T, spec: SearchSpec<T>): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return node.items.every((n) => matches(n, record, spec));
    case "or":
      return node.items.some((n) => matches(n, record, spec));
    case "not":
      return !matches(node.item, record, spec);
    case "term": {
      if (node.field === null) {
        const hay = spec.freeText(record).toLowerCase();
        const w = node.value.toLowerCase();
        return w.includes("*") ? wildcardRegex(`*${w}*`).test(hay) : hay.includes(w);
      }
      const field = spec.fields[node.field];
      if (!field) return false;
      const raw = field.get(record);
      if (raw === null || raw === undefined) return false;
      const values = Array.isArray(raw) ? raw : [raw];
      // `status:active,draft` — comma-separated alternatives.
      const wanted = node.op === ":" && node.value.includes(",") ? node.value.split(",") : [node.value];
      return wanted.some((w) => values.some((v) => matchValue(field.kind, node.op, v, w.trim())));
    }
  }
}
