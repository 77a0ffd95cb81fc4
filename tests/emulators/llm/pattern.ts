// "Pattern-lite": builds a string matching a JSON Schema `pattern` for the regex subset
// schemas use in practice (literals, classes, \d\w\s, groups, alternation, quantifiers,
// anchors; lookarounds are skipped). Callers verify the result with a real RegExp and
// fall back when this generator cannot satisfy an exotic pattern.
import type { Rng } from "./random";

type RegexNode =
  | { kind: "literal"; char: string }
  | { kind: "set"; chars: string[] }
  | { kind: "group"; alternatives: RegexNode[][] }
  | { kind: "repeat"; node: RegexNode; min: number; max: number }
  | { kind: "empty" };

const DIGITS = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const WORD = LOWER + UPPER + DIGITS + "_";
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

/** Extra repetitions allowed beyond a quantifier's minimum for open-ended ones (*, +, {n,}). */
const OPEN_REPEAT = 6;

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new Error(`unexpected '${this.src[this.pos]}'`);
    return node;
  }

  private alternation(): RegexNode {
    const alternatives: RegexNode[][] = [this.sequence()];
    while (this.src[this.pos] === "|") {
      this.pos++;
      alternatives.push(this.sequence());
    }
    return { kind: "group", alternatives };
  }

  private sequence(): RegexNode[] {
    const nodes: RegexNode[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== "|" && this.src[this.pos] !== ")") {
      nodes.push(this.quantified(this.atom()));
    }
    return nodes;
  }

  private quantified(node: RegexNode): RegexNode {
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, OPEN_REPEAT];
    else if (c === "+") [min, max] = [1, 1 + OPEN_REPEAT];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return node; // a literal "{"
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : min + OPEN_REPEAT;
      this.pos += m[0].length - 1;
    } else return node;
    this.pos++;
    if (this.src[this.pos] === "?" || this.src[this.pos] === "+") this.pos++; // lazy/possessive
    return { kind: "repeat", node, min, max };
  }

  private atom(): RegexNode {
    const c = this.src[this.pos++] as string;
    switch (c) {
      case "^":
      case "$":
        return { kind: "empty" };
      case ".":
        return { kind: "set", chars: [...LOWER] };
      case "[":
        return this.charClass();
      case "\\":
        return this.escape(false);
      case "(":
        return this.group();
      default:
        return { kind: "literal", char: c };
    }
  }

  private group(): RegexNode {
    let lookaround = false;
    if (this.src[this.pos] === "?") {
      const rest = this.src.slice(this.pos);
      if (rest.startsWith("?:")) this.pos += 2;
      else if (/^\?<?[=!]/.test(rest)) {
        lookaround = true;
        this.pos += rest[1] === "<" ? 3 : 2;
      } else if (rest.startsWith("?<")) this.pos = this.src.indexOf(">", this.pos) + 1;
    }
    const inner = this.alternation();
    if (this.src[this.pos] !== ")") throw new Error("unterminated group");
    this.pos++;
    // Lookarounds constrain but generate nothing; the caller's RegExp check catches violations.
    return lookaround ? { kind: "empty" } : inner;
  }

  private escape(inClass: boolean): RegexNode {
    const c = this.src[this.pos++] as string;
    switch (c) {
      case "d":
        return { kind: "set", chars: [...DIGITS] };
      case "w":
        return { kind: "set", chars: [...WORD] };
      case "s":
        return { kind: "set", chars: [" "] };
      case "D":
      case "W":
        return { kind: "set", chars: ["-"] };
      case "S":
        return { kind: "set", chars: [...LOWER] };
      case "b":
      case "B":
        return inClass ? { kind: "literal", char: "\b" } : { kind: "empty" };
      case "n":
        return { kind: "literal", char: "\n" };
      case "t":
        return { kind: "literal", char: "\t" };
      case "r":
        return { kind: "literal", char: "\r" };
      case "u":
      case "x": {
        const len = c === "u" ? 4 : 2;
        const hex = this.src.slice(this.pos, this.pos + len);
        this.pos += len;
        return { kind: "literal", char: String.fromCharCode(parseInt(hex, 16)) };
      }
      default:
        if (/\d/.test(c)) return { kind: "empty" }; // backreference: unsupported, verified later
        return { kind: "literal", char: c };
    }
  }

  private charClass(): RegexNode {
    const negated = this.src[this.pos] === "^";
    if (negated) this.pos++;
    const chars = new Set<string>();
    let first = true;
    while (this.pos < this.src.length && (this.src[this.pos] !== "]" || first)) {
      first = false;
      let from: string[];
      if (this.src[this.pos] === "\\") {
        this.pos++;
        const node = this.escape(true);
        from = node.kind === "set" ? node.chars : node.kind === "literal" ? [node.char] : [];
      } else from = [this.src[this.pos++] as string];
      if (from.length === 1 && this.src[this.pos] === "-" && this.src[this.pos + 1] !== "]") {
        this.pos++;
        let to = this.src[this.pos++] as string;
        if (to === "\\") {
          const node = this.escape(true);
          to = node.kind === "literal" ? node.char : to;
        }
        const start = from[0]!.charCodeAt(0);
        const end = to.charCodeAt(0);
        for (let code = start; code <= end && code - start < 512; code++) chars.add(String.fromCharCode(code));
      } else for (const ch of from) chars.add(ch);
    }
    if (this.src[this.pos] !== "]") throw new Error("unterminated class");
    this.pos++;
    if (negated) {
      const allowed = [...PRINTABLE].filter((ch) => !chars.has(ch));
      return { kind: "set", chars: allowed.length ? allowed : ["_"] };
    }
    return { kind: "set", chars: [...chars] };
  }
}

function emit(node: RegexNode, rng: Rng, out: string[]): void {
  switch (node.kind) {
    case "literal":
      out.push(node.char);
      return;
    case "set":
      if (node.chars.length) out.push(rng.pick(node.chars));
      return;
    case "group": {
      const alternative = rng.pick(node.alternatives);
      for (const child of alternative) emit(child, rng, out);
      return;
    }
    case "repeat": {
      // Stay near the minimum: long repetitions rarely read well and may break maxLength.
      const count = rng.int(node.min, Math.min(node.max, node.min + 2));
      for (let i = 0; i < count; i++) emit(node.node, rng, out);
      return;
    }
    case "empty":
      return;
  }
}

const parsedCache = new Map<string, RegexNode | null>();

function parsePattern(pattern: string): RegexNode | null {
  let node = parsedCache.get(pattern);
  if (node === undefined) {
    try {
      node = new Parser(pattern).parse();
    } catch {
      node = null;
    }
    if (parsedCache.size > 512) parsedCache.clear();
    parsedCache.set(pattern, node);
  }
  return node;
}

/** A string the pattern's generator produced, or null if the pattern is outside the subset. */
export function stringFromPattern(pattern: string, rng: Rng): string | null {
  const node = parsePattern(pattern);
  if (!node) return null;
  const out: string[] = [];
  emit(node, rng, out);
  return out.join("");
}

/** Compiles a JSON Schema pattern the way validators do (ECMA-262, unicode when possible). */
export function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }
}
