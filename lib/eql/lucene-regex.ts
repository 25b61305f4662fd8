/**
 * Lucene regular expressions, as Elasticsearch's `regexp` query reads them
 * for EQL's `regex` and `regex~`, translated once into a JavaScript RegExp.
 *
 * Lucene syntax differs from JavaScript's: a pattern always matches the whole
 * value (no `^`/`$`, no lazy or possessive quantifiers, `?` after a quantifier
 * is another `?` quantifier), `.` matches any character including a newline,
 * and a character that cannot start anything else (`*` at the start, a lone
 * `]`) is literal. Elasticsearch enables every optional operator by default:
 * `@` (any string), `#` (the empty language), `<n-m>` (decimal interval),
 * `~` (complement) and `&` (intersection). Complement and intersection have no
 * JavaScript equivalent in general; they are supported for a whole pattern
 * (the shape rules use, e.g. `~(.*\.tmp)`) and rejected elsewhere.
 * `\d \D \s \S \w \W` are accepted as in Lucene 9.
 */
import type { Span } from "./ast";
import { EqlError } from "./errors";
import type { StringMatcher } from "./wildcard";

type RegexNode =
  | { kind: "literal"; text: string }
  | { kind: "any" }
  | { kind: "anyString" }
  | { kind: "nothing" }
  | { kind: "class"; negated: boolean; body: string }
  | { kind: "shorthand"; letter: string }
  | { kind: "interval"; min: string; max: string }
  | { kind: "concat"; parts: RegexNode[] }
  | { kind: "union"; alternatives: RegexNode[] }
  | { kind: "intersection"; parts: RegexNode[] }
  | { kind: "complement"; operand: RegexNode }
  | { kind: "repeat"; operand: RegexNode; min: number; max: number | null };

class PatternError extends Error {}

const SHORTHANDS = new Set(["d", "D", "s", "S", "w", "W"]);

class LuceneRegexParser {
  private pos = 0;
  private readonly chars: string[];

  constructor(pattern: string) {
    // Iterate by code point so astral characters stay whole.
    this.chars = Array.from(pattern);
  }

  parse(): RegexNode {
    const node = this.parseUnion();
    if (this.pos < this.chars.length) {
      throw new PatternError(`unexpected '${this.peekChar()}' at position ${this.pos}`);
    }
    return node;
  }

  private more(): boolean {
    return this.pos < this.chars.length;
  }

  private peekChar(): string | undefined {
    return this.chars[this.pos];
  }

  private peek(set: string): boolean {
    const ch = this.peekChar();
    return ch !== undefined && set.includes(ch);
  }

  private match(ch: string): boolean {
    if (this.peekChar() === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  private next(): string {
    const ch = this.chars[this.pos];
    if (ch === undefined) throw new PatternError("unexpected end of pattern");
    this.pos++;
    return ch;
  }

  private parseUnion(): RegexNode {
    const alternatives = [this.parseIntersection()];
    while (this.match("|")) alternatives.push(this.parseIntersection());
    return alternatives.length === 1 ? (alternatives[0] as RegexNode) : { kind: "union", alternatives };
  }

  private parseIntersection(): RegexNode {
    const parts = [this.parseConcat()];
    while (this.match("&")) parts.push(this.parseConcat());
    return parts.length === 1 ? (parts[0] as RegexNode) : { kind: "intersection", parts };
  }

  private parseConcat(): RegexNode {
    const parts = [this.parseRepeat()];
    while (this.more() && !this.peek(")|&")) parts.push(this.parseRepeat());
    return parts.length === 1 ? (parts[0] as RegexNode) : { kind: "concat", parts };
  }

  private parseRepeat(): RegexNode {
    let node = this.parseComplement();
    while (this.peek("?*+{")) {
      const op = this.next();
      if (op === "?") node = { kind: "repeat", operand: node, min: 0, max: 1 };
      else if (op === "*") node = { kind: "repeat", operand: node, min: 0, max: null };
      else if (op === "+") node = { kind: "repeat", operand: node, min: 1, max: null };
      else node = this.parseBounds(node);
    }
    return node;
  }

  private parseBounds(operand: RegexNode): RegexNode {
    const min = this.parseInteger();
    let max: number | null = min;
    if (this.match(",")) max = this.peek("}") ? null : this.parseInteger();
    if (!this.match("}")) throw new PatternError(`expected '}' at position ${this.pos}`);
    if (max !== null && max < min) throw new PatternError(`repetition {${min},${max}} has its bounds reversed`);
    return { kind: "repeat", operand, min, max };
  }

  private parseInteger(): number {
    const start = this.pos;
    while (this.peek("0123456789")) this.pos++;
    if (start === this.pos) throw new PatternError(`integer expected at position ${start}`);
    return Number(this.chars.slice(start, this.pos).join(""));
  }

  private parseComplement(): RegexNode {
    if (this.match("~")) return { kind: "complement", operand: this.parseComplement() };
    return this.parseCharClass();
  }

  private parseCharClass(): RegexNode {
    if (!this.match("[")) return this.parseSimple();
    const negated = this.match("^");
    let body = "";
    let first = true;
    while (first || !this.peek("]")) {
      if (!this.more()) throw new PatternError("expected ']' to close the character class");
      first = false;
      if (this.peekChar() === "\\" && SHORTHANDS.has(this.chars[this.pos + 1] ?? "")) {
        this.pos++;
        body += `\\${this.next()}`;
        continue;
      }
      const from = this.parseCharExp();
      if (this.peekChar() === "-" && this.chars[this.pos + 1] !== "]" && this.pos + 1 < this.chars.length) {
        this.pos++;
        const to = this.parseCharExp();
        if ((from.codePointAt(0) as number) > (to.codePointAt(0) as number)) {
          throw new PatternError(`invalid character class range ${from}-${to}`);
        }
        body += `${escapeClassChar(from)}-${escapeClassChar(to)}`;
      } else {
        body += escapeClassChar(from);
      }
    }
    this.pos++;
    return { kind: "class", negated, body };
  }

  private parseSimple(): RegexNode {
    if (this.match(".")) return { kind: "any" };
    if (this.match("#")) return { kind: "nothing" };
    if (this.match("@")) return { kind: "anyString" };
    if (this.match('"')) {
      const start = this.pos;
      while (this.more() && !this.peek('"')) this.pos++;
      if (!this.match('"')) throw new PatternError("expected '\"' to close the quoted string");
      return { kind: "literal", text: this.chars.slice(start, this.pos - 1).join("") };
    }
    if (this.match("(")) {
      if (this.match(")")) return { kind: "literal", text: "" };
      const inner = this.parseUnion();
      if (!this.match(")")) throw new PatternError(`expected ')' at position ${this.pos}`);
      return inner;
    }
    if (this.peekChar() === "<") {
      const close = this.chars.indexOf(">", this.pos);
      const body = close < 0 ? "" : this.chars.slice(this.pos + 1, close).join("");
      const interval = /^(\d+)-(\d+)$/.exec(body);
      if (interval === null) {
        throw new PatternError(`expected a numeric interval <n-m> at position ${this.pos}`);
      }
      this.pos = close + 1;
      return { kind: "interval", min: interval[1] as string, max: interval[2] as string };
    }
    if (this.peekChar() === "\\" && SHORTHANDS.has(this.chars[this.pos + 1] ?? "")) {
      this.pos++;
      return { kind: "shorthand", letter: this.next() };
    }
    return { kind: "literal", text: this.parseCharExp() };
  }

  private parseCharExp(): string {
    if (this.match("\\")) return this.next();
    return this.next();
  }
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

function escapeClassChar(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

/** A regex source matching the decimal strings of equal length between a and b. */
function sameLengthRange(a: string, b: string): string {
  if (a.length === 0) return "";
  if (a === b) return a;
  const a0 = Number(a[0]);
  const b0 = Number(b[0]);
  const restA = a.slice(1);
  const restB = b.slice(1);
  if (a0 === b0) return `${a0}${sameLengthRange(restA, restB)}`;
  const width = restA.length;
  const alternatives = [`${a0}${sameLengthRange(restA, "9".repeat(width))}`];
  if (b0 - a0 > 1) alternatives.push(`[${a0 + 1}-${b0 - 1}]${width > 0 ? `[0-9]{${width}}` : ""}`);
  alternatives.push(`${b0}${sameLengthRange("0".repeat(width), restB)}`);
  return `(?:${alternatives.join("|")})`;
}

/**
 * Lucene's `<n-m>`: when both bounds are written with the same number of
 * digits (and more than one), values must have exactly that many digits;
 * otherwise any number of leading zeros is allowed.
 */
function intervalSource(minText: string, maxText: string): string {
  let min = BigInt(minText);
  let max = BigInt(maxText);
  if (min > max) [min, max] = [max, min];
  if (minText.length === maxText.length && minText.length > 1) {
    const width = minText.length;
    return sameLengthRange(min.toString().padStart(width, "0"), max.toString().padStart(width, "0"));
  }
  const alternatives: string[] = [];
  const lowText = min.toString();
  const highText = max.toString();
  for (let width = lowText.length; width <= highText.length; width++) {
    const floor = width === 1 ? 0n : 10n ** BigInt(width - 1);
    const ceiling = 10n ** BigInt(width) - 1n;
    const from = min > floor ? min : floor;
    const to = max < ceiling ? max : ceiling;
    if (from <= to) alternatives.push(sameLengthRange(from.toString(), to.toString()));
  }
  return `0*(?:${alternatives.join("|")})`;
}

function emit(node: RegexNode): string {
  switch (node.kind) {
    case "literal":
      return escapeLiteral(node.text);
    case "any":
      return ".";
    case "anyString":
      return "[\\s\\S]*";
    case "nothing":
      return "(?!)";
    case "class":
      return `[${node.negated ? "^" : ""}${node.body}]`;
    case "shorthand":
      return `\\${node.letter}`;
    case "interval":
      return `(?:${intervalSource(node.min, node.max)})`;
    case "concat":
      return node.parts.map(emit).join("");
    case "union":
      return `(?:${node.alternatives.map(emit).join("|")})`;
    case "repeat": {
      const operand = `(?:${emit(node.operand)})`;
      if (node.min === 0 && node.max === null) return `${operand}*`;
      if (node.min === 1 && node.max === null) return `${operand}+`;
      if (node.min === 0 && node.max === 1) return `${operand}?`;
      return `${operand}{${node.min},${node.max ?? ""}}`;
    }
    case "intersection":
    case "complement":
      throw new PatternError(
        `the ${node.kind === "complement" ? "complement (~)" : "intersection (&)"} operator is only supported around the whole pattern`,
      );
  }
}

/** Whole-value regex source: intersection and complement only at the top. */
function emitWhole(node: RegexNode): string {
  if (node.kind === "complement") return `^(?!(?:${emitInner(node.operand)})$)[\\s\\S]*$`;
  if (node.kind === "intersection") {
    const [last, ...rest] = [...node.parts].reverse();
    const lookaheads = rest.map((part) => `(?=(?:${emitInner(part)})$)`).join("");
    return `^${lookaheads}(?:${emitInner(last as RegexNode)})$`;
  }
  return `^(?:${emit(node)})$`;
}

/** An operand of a top-level complement or intersection may itself be one of those via lookaheads. */
function emitInner(node: RegexNode): string {
  if (node.kind === "complement") return `(?!(?:${emitInner(node.operand)})$)[\\s\\S]*`;
  if (node.kind === "intersection") {
    const [last, ...rest] = [...node.parts].reverse();
    return `${rest.map((part) => `(?=(?:${emitInner(part)})$)`).join("")}(?:${emitInner(last as RegexNode)})`;
  }
  return emit(node);
}

/** Translate a Lucene regular expression to an anchored JavaScript RegExp source. */
export function luceneRegexSource(pattern: string): string {
  return emitWhole(new LuceneRegexParser(pattern).parse());
}

/**
 * Compile a Lucene regular expression once. An invalid or unsupported
 * pattern is an EqlError pointing at the pattern literal.
 */
export function compileLuceneRegex(pattern: string, caseInsensitive: boolean, where: Span | null): StringMatcher {
  let regex: RegExp;
  try {
    regex = new RegExp(luceneRegexSource(pattern), caseInsensitive ? "isu" : "su");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const unsupported = reason.includes("only supported");
    throw new EqlError(
      unsupported ? "unsupported" : "invalid",
      `invalid regular expression "${pattern}": ${reason}`,
      where,
    );
  }
  return (value) => regex.test(value);
}
