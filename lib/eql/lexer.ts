import type { Position, Span } from "./ast";
import { EqlError } from "./errors";

/**
 * Splits EQL text into tokens with their positions.
 *
 * Keywords are lower case only, as in Elasticsearch's grammar (`AND` is a field
 * name, not the operator). Strings are decoded here so the parser only sees
 * values; a malformed string is a syntax error at its opening quote, which is
 * where Elasticsearch points too.
 */

export type TokenKind =
  | "ident" // field segment, event category, pipe or function name
  | "quoted_ident" // `backquoted name` (may hold dots and spaces)
  | "tilde_ident" // startsWith~ : a case-insensitive function name
  | "keyword"
  | "string"
  | "integer"
  | "float"
  | "op"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** Decoded text: the identifier, keyword, operator, or the string's value. */
  text: string;
  /** The number for integer and float tokens. */
  value: number;
  span: Span;
  /** Whitespace or a comment came right before this token (`a [0]` vs `a[0]`). */
  spaced: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  "and",
  "any",
  "by",
  "false",
  "in",
  "join",
  "like",
  "maxspan",
  "not",
  "null",
  "of",
  "or",
  "regex",
  "sample",
  "sequence",
  "true",
  "until",
  "where",
  "with",
]);

/** Keywords that take a `~` to become case-insensitive: `in~`, `like~`, `regex~`. */
const TILDE_KEYWORDS: ReadonlySet<string> = new Set(["in", "like", "regex"]);

const TWO_CHAR_OPS = ["==", "!=", "<=", ">=", "!["];
const ONE_CHAR_OPS = "<>=:+-*/%.,[]()|?";

const SIMPLE_ESCAPES: Record<string, string> = {
  t: "\t",
  b: "\b",
  n: "\n",
  f: "\f",
  r: "\r",
  '"': '"',
  "'": "'",
  "\\": "\\",
};

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_@]/.test(ch) || /\p{L}/u.test(ch);
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_@]/.test(ch) || /\p{L}/u.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

class Lexer {
  private offset = 0;
  private line = 1;
  private column = 1;
  private readonly tokens: Token[] = [];

  constructor(private readonly text: string) {}

  run(): Token[] {
    for (;;) {
      const spaced = this.skipTrivia();
      const start = this.position();
      if (this.offset >= this.text.length) {
        this.tokens.push({ kind: "eof", text: "", value: 0, span: { start, end: start }, spaced });
        return this.tokens;
      }
      this.tokens.push({ ...this.next(start), spaced });
    }
  }

  private position(): Position {
    return { line: this.line, column: this.column, offset: this.offset };
  }

  private peek(ahead = 0): string | undefined {
    return this.text[this.offset + ahead];
  }

  private advance(count = 1): void {
    for (let i = 0; i < count; i++) {
      if (this.text[this.offset] === "\n") {
        this.line++;
        this.column = 1;
      } else {
        this.column++;
      }
      this.offset++;
    }
  }

  /** Skips whitespace and comments; says whether anything was skipped. */
  private skipTrivia(): boolean {
    const before = this.offset;
    for (;;) {
      const ch = this.peek();
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f") {
        this.advance();
      } else if (ch === "/" && this.peek(1) === "/") {
        while (this.offset < this.text.length && this.peek() !== "\n") this.advance();
      } else if (ch === "/" && this.peek(1) === "*") {
        const start = this.position();
        this.advance(2);
        while (!(this.peek() === "*" && this.peek(1) === "/")) {
          if (this.offset >= this.text.length)
            throw new EqlError("syntax", "this comment is never closed with */", start);
          this.advance();
        }
        this.advance(2);
      } else {
        return this.offset > before;
      }
    }
  }

  private token(kind: TokenKind, text: string, start: Position, value = 0): Omit<Token, "spaced"> {
    return { kind, text, value, span: { start, end: this.position() } };
  }

  private next(start: Position): Omit<Token, "spaced"> {
    const ch = this.peek() as string;
    if (ch === '"') return this.string(start);
    if (ch === "'") {
      throw new EqlError("syntax", "use double quotes (\") for strings, not single quotes (')", start);
    }
    if (ch === "`") return this.quotedIdentifier(start);
    if (isDigit(ch) || (ch === "." && isDigit(this.peek(1)) && !this.followsName())) return this.number(start);
    if (isIdentStart(ch)) return this.word(start);
    const two = this.text.slice(this.offset, this.offset + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      this.advance(2);
      return this.token("op", two, start);
    }
    if (ONE_CHAR_OPS.includes(ch)) {
      this.advance();
      return this.token("op", ch, start);
    }
    throw new EqlError("syntax", `unexpected character ${JSON.stringify(ch)}`, start);
  }

  /** `.5` is a number, but in `a.5` or `x[0].5` the dot separates a field path. */
  private followsName(): boolean {
    const previous = this.tokens.at(-1);
    if (!previous || previous.span.end.offset !== this.offset) return false;
    return previous.kind === "ident" || previous.kind === "quoted_ident" || previous.text === "]";
  }

  private word(start: Position): Omit<Token, "spaced"> {
    while (this.offset < this.text.length && isIdentPart(this.peek() as string)) this.advance();
    const text = this.text.slice(start.offset, this.offset);
    if (this.peek() === "~") {
      this.advance();
      if (TILDE_KEYWORDS.has(text)) return this.token("keyword", `${text}~`, start);
      return this.token("tilde_ident", text, start);
    }
    return this.token(KEYWORDS.has(text) ? "keyword" : "ident", text, start);
  }

  private number(start: Position): Omit<Token, "spaced"> {
    let isFloat = false;
    while (isDigit(this.peek())) this.advance();
    if (this.peek() === "." && !(this.peek(1) !== undefined && isIdentStart(this.peek(1) as string))) {
      isFloat = true;
      this.advance();
      while (isDigit(this.peek())) this.advance();
    }
    const e = this.peek();
    const afterE = this.peek(1);
    if (
      (e === "e" || e === "E") &&
      (isDigit(afterE) || ((afterE === "+" || afterE === "-") && isDigit(this.peek(2))))
    ) {
      isFloat = true;
      this.advance(2);
      while (isDigit(this.peek())) this.advance();
    }
    const text = this.text.slice(start.offset, this.offset);
    const value = Number(text);
    if (!isFloat && !Number.isSafeInteger(value)) {
      throw new EqlError("syntax", `the number ${text} is too large; write it as a decimal (${text}.0)`, start);
    }
    return this.token(isFloat ? "float" : "integer", text, start, value);
  }

  private quotedIdentifier(start: Position): Omit<Token, "spaced"> {
    this.advance();
    let name = "";
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new EqlError("syntax", "this backquoted field name is never closed with `", start);
      if (ch === "`") {
        if (this.peek(1) === "`") {
          name += "`";
          this.advance(2);
          continue;
        }
        this.advance();
        break;
      }
      name += ch;
      this.advance();
    }
    if (name === "") throw new EqlError("syntax", "a backquoted field name cannot be empty", start);
    return this.token("quoted_ident", name, start);
  }

  private string(start: Position): Omit<Token, "spaced"> {
    if (this.text.startsWith('"""', this.offset)) return this.rawString(start);
    this.advance();
    let value = "";
    for (;;) {
      const ch = this.peek();
      if (ch === undefined || ch === "\n" || ch === "\r") {
        throw new EqlError("syntax", "this string is never closed with a double quote", start);
      }
      if (ch === '"') {
        this.advance();
        return this.token("string", value, start);
      }
      if (ch === "\\") {
        value += this.escape();
        continue;
      }
      value += ch;
      this.advance();
    }
  }

  private escape(): string {
    const at = this.position();
    const next = this.peek(1);
    const simple = next === undefined ? undefined : SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.advance(2);
      return simple;
    }
    if (next === "u" && this.peek(2) === "{") {
      const close = this.text.indexOf("}", this.offset + 3);
      const hex = close < 0 ? "" : this.text.slice(this.offset + 3, close);
      if (!/^[0-9a-fA-F]{2,8}$/.test(hex)) {
        throw new EqlError("syntax", "a \\u{...} escape needs 2 to 8 hexadecimal digits", at);
      }
      const codePoint = Number.parseInt(hex, 16);
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        throw new EqlError("syntax", `\\u{${hex}} is not a valid Unicode code point`, at);
      }
      this.advance(close + 1 - this.offset);
      return String.fromCodePoint(codePoint);
    }
    throw new EqlError(
      "syntax",
      `unknown escape \\${next ?? ""}; use \\\\ for a backslash, or a raw string """..."""`,
      at,
    );
  }

  private rawString(start: Position): Omit<Token, "spaced"> {
    const close = this.text.indexOf('"""', this.offset + 3);
    if (close < 0) throw new EqlError("syntax", 'this raw string is never closed with """', start);
    // Like Elasticsearch, the first """ ends the string (it holds no escapes).
    const value = this.text.slice(this.offset + 3, close);
    this.advance(close + 3 - this.offset);
    return this.token("string", value, start);
  }
}

export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

/** How a token reads in an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "the end of the query";
    case "string":
      return `the string ${JSON.stringify(token.text)}`;
    case "quoted_ident":
      return `\`${token.text}\``;
    case "tilde_ident":
      return `'${token.text}~'`;
    default:
      return `'${token.text}'`;
  }
}
