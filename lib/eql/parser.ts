import type {
  ComparisonOperator,
  Duration,
  EventFilter,
  EventQuery,
  Expr,
  FieldRef,
  Literal,
  Pipe,
  Position,
  Query,
  QueryTerm,
  SampleQuery,
  SequenceQuery,
  Span,
} from "./ast";
import { EqlError } from "./errors";
import { describeToken, type Token, tokenize } from "./lexer";

/**
 * A recursive-descent parser for Elasticsearch EQL.
 *
 * It follows the precedence of Elasticsearch's grammar, lowest first:
 * `or`, `and`, `not`, one comparison (`a == b == c` is an error), `+ -`,
 * `* / %`, unary minus, then a primary with an optional predicate
 * (`: like regex in not in` and their `~` forms) bound to it.
 * Checks that need the whole query (term counts, join key counts, `runs`)
 * happen here too, so `parse` only returns queries Elasticsearch would accept
 * as far as shape goes; functions and pipes are checked when compiling.
 */

const COMPARISONS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);
const TIME_UNITS: Record<string, { unit: Duration["unit"]; millis: number }> = {
  ms: { unit: "ms", millis: 1 },
  s: { unit: "s", millis: 1_000 },
  m: { unit: "m", millis: 60_000 },
  h: { unit: "h", millis: 3_600_000 },
  d: { unit: "d", millis: 86_400_000 },
};
/** Elasticsearch refuses a term repeated more often than this. */
export const MAX_RUNS = 100;

function spanOf(start: Span | Position, end: Span | Position): Span {
  return {
    start: "start" in start ? start.start : start,
    end: "end" in end ? end.end : end,
  };
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  // ------------------------------------------------------------ token access

  private get current(): Token {
    return this.tokens[this.index] as Token;
  }

  private peekToken(ahead = 1): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== "eof") this.index++;
    return token;
  }

  private isOp(text: string, token = this.current): boolean {
    return token.kind === "op" && token.text === text;
  }

  private isKeyword(text: string, token = this.current): boolean {
    return token.kind === "keyword" && token.text === text;
  }

  private fail(expected: string, token = this.current): never {
    throw new EqlError("syntax", `expected ${expected}, found ${describeToken(token)}`, token.span);
  }

  private expectOp(text: string, expected = `'${text}'`): Token {
    if (!this.isOp(text)) this.fail(expected);
    return this.advance();
  }

  private expectKeyword(text: string, expected = `'${text}'`): Token {
    if (!this.isKeyword(text)) this.fail(expected);
    return this.advance();
  }

  private previousEnd(): Position {
    return (this.tokens[Math.max(this.index - 1, 0)] as Token).span.end;
  }

  // ------------------------------------------------------------ statements

  parseStatement(): Query {
    const query = this.parseQueryBody();
    query.pipes = this.parsePipes();
    if (query.pipes.length > 0) query.span = spanOf(query.span, this.previousEnd());
    if (this.current.kind !== "eof") this.fail("'|' or the end of the query");
    return query;
  }

  parseStandaloneExpression(): Expr {
    const expr = this.parseExpr();
    if (this.current.kind !== "eof") this.fail("an operator or the end of the expression");
    return expr;
  }

  private parseQueryBody(): Query {
    const token = this.current;
    if (this.isKeyword("sequence")) return this.parseSequence();
    if (this.isKeyword("sample")) return this.parseSample();
    if (this.isKeyword("join")) {
      throw new EqlError(
        "unsupported",
        "join queries are not supported by Elasticsearch EQL; use a sequence",
        token.span,
      );
    }
    const filter = this.parseEventFilter();
    const query: EventQuery = { kind: "event", filter, pipes: [], span: filter.span };
    return query;
  }

  private parseEventFilter(): EventFilter {
    const start = this.current;
    let category: string | null;
    if (this.isKeyword("any")) {
      category = null;
    } else if (start.kind === "ident" || start.kind === "string") {
      category = start.text;
    } else {
      this.fail("an event category (such as process) or 'any'");
    }
    this.advance();
    this.expectKeyword("where", "'where' after the event category");
    const condition = this.parseExpr();
    return { kind: "filter", category, condition, span: spanOf(start.span, condition.span) };
  }

  private parsePipes(): Pipe[] {
    const pipes: Pipe[] = [];
    while (this.isOp("|")) {
      const bar = this.advance();
      const name = this.current;
      if (name.kind !== "ident") this.fail("a pipe name such as head or tail after '|'");
      this.advance();
      const args: Expr[] = [];
      if (!this.isOp("|") && this.current.kind !== "eof") {
        args.push(this.parseExpr());
        while (this.isOp(",")) {
          this.advance();
          args.push(this.parseExpr());
        }
      }
      pipes.push({
        kind: "pipe",
        name: name.text,
        args,
        nameSpan: name.span,
        span: spanOf(bar.span, this.previousEnd()),
      });
    }
    return pipes;
  }

  // ------------------------------------------------------------ sequences and samples

  private parseSequence(): SequenceQuery {
    const keyword = this.advance();
    let by: Expr[] = [];
    let maxspan: Duration | null = null;
    if (this.isKeyword("by")) by = this.parseJoinKeys();
    if (this.isKeyword("with")) {
      maxspan = this.parseMaxspan();
      if (this.isKeyword("by")) {
        throw new EqlError("syntax", "write 'by' before 'with maxspan', not after it", this.current.span);
      }
    }
    const terms: QueryTerm[] = [];
    while (this.isOp("[") || this.isOp("![")) terms.push(this.parseTerm(true));
    if (terms.length === 0) this.fail("a bracketed query such as [process where true]");
    let until: QueryTerm | null = null;
    if (this.isKeyword("until")) {
      this.advance();
      if (!this.isOp("[")) this.fail("a bracketed query after 'until'");
      until = this.parseTerm(false);
    }
    const span = spanOf(keyword.span, this.previousEnd());
    // `[q] with runs=3` stands for three copies of [q], so a lone repeated query is a whole sequence.
    const expandedCount = terms.reduce((count, term) => count + term.runs, 0);
    if (expandedCount < 2) {
      throw new EqlError(
        "invalid",
        `a sequence needs at least 2 queries (counting runs), found ${expandedCount}`,
        keyword.span,
      );
    }
    if (terms.every((term) => term.missing)) {
      throw new EqlError(
        "invalid",
        "a sequence needs at least one query that is not a missing event ![...]",
        keyword.span,
      );
    }
    checkJoinKeyCounts([...terms, ...(until ? [until] : [])]);
    return { kind: "sequence", by, maxspan, terms, until, pipes: [], span };
  }

  private parseSample(): SampleQuery {
    const keyword = this.advance();
    const by = this.isKeyword("by") ? this.parseJoinKeys() : [];
    const terms: QueryTerm[] = [];
    while (this.isOp("[")) terms.push(this.parseTerm(false));
    if (this.isOp("![")) this.fail("'[': samples have no missing events");
    if (terms.length === 0) this.fail("a bracketed query such as [process where true]");
    if (terms.length < 2) {
      throw new EqlError("invalid", `a sample needs at least 2 queries, found ${terms.length}`, keyword.span);
    }
    checkJoinKeyCounts(terms);
    return { kind: "sample", by, terms, pipes: [], span: spanOf(keyword.span, this.previousEnd()) };
  }

  private parseJoinKeys(): Expr[] {
    this.expectKeyword("by");
    const keys = [this.parseExpr()];
    while (this.isOp(",")) {
      this.advance();
      keys.push(this.parseExpr());
    }
    return keys;
  }

  private parseMaxspan(): Duration {
    this.expectKeyword("with");
    this.expectKeyword("maxspan", "'maxspan' after 'with'");
    this.expectOp("=", "'=' after maxspan");
    const number = this.current;
    if (number.kind !== "integer" && number.kind !== "float") this.fail("a time span such as 30s");
    this.advance();
    const unitToken = this.current;
    if (unitToken.kind !== "ident") {
      throw new EqlError(
        "syntax",
        `the maxspan has no time unit; write it as ${number.text}s, ${number.text}m …`,
        number.span,
      );
    }
    const unit = TIME_UNITS[unitToken.text];
    if (!unit) {
      throw new EqlError(
        "syntax",
        `unknown time unit '${unitToken.text}' in maxspan=${number.text}${unitToken.text}; use ms, s, m, h or d`,
        number.span,
      );
    }
    this.advance();
    if (number.value < 0) throw new EqlError("invalid", "maxspan cannot be negative", number.span);
    return {
      value: number.value,
      unit: unit.unit,
      millis: number.value * unit.millis,
      span: spanOf(number.span, unitToken.span),
    };
  }

  /** `[filter] by keys with runs=N` or, when `allowMissing`, `![filter] by keys with runs=N`. */
  private parseTerm(allowMissing: boolean): QueryTerm {
    const open = this.current;
    const missing = this.isOp("![");
    if (missing && !allowMissing) this.fail("'['");
    this.advance();
    const filter = this.parseEventFilter();
    this.expectOp("]", "']' to close the query");
    const by = this.isKeyword("by") ? this.parseJoinKeys() : [];
    let runs = 1;
    if (allowMissing && this.isKeyword("with")) {
      this.advance();
      const option = this.current;
      if (option.kind !== "ident" || option.text !== "runs") this.fail("'runs' after 'with' on a query");
      this.advance();
      this.expectOp("=", "'=' after runs");
      const count = this.current;
      if (count.kind !== "integer") this.fail("a whole number of runs");
      this.advance();
      if (count.value < 1 || count.value > MAX_RUNS) {
        throw new EqlError("invalid", `runs must be between 1 and ${MAX_RUNS}, found ${count.value}`, count.span);
      }
      runs = count.value;
    }
    return { filter, by, runs, missing, span: spanOf(open.span, this.previousEnd()) };
  }

  // ------------------------------------------------------------ expressions

  private parseExpr(): Expr {
    return this.parseOr();
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      this.advance();
      const right = this.parseAnd();
      left = { kind: "or", left, right, span: spanOf(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword("and")) {
      this.advance();
      const right = this.parseNot();
      left = { kind: "and", left, right, span: spanOf(left.span, right.span) };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKeyword("not")) {
      const keyword = this.advance();
      const operand = this.parseNot();
      return { kind: "not", operand, span: spanOf(keyword.span, operand.span) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    if (this.current.kind === "op" && COMPARISONS.has(this.current.text)) {
      const op = this.advance().text as ComparisonOperator;
      const right = this.parseAdditive();
      return { kind: "compare", op, caseInsensitive: false, left, right, span: spanOf(left.span, right.span) };
    }
    if (this.isOp("=")) {
      throw new EqlError("syntax", "use == to compare, not =", this.current.span);
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.advance().text as "+" | "-";
      const right = this.parseMultiplicative();
      left = { kind: "arith", op, left, right, span: spanOf(left.span, right.span) };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.advance().text as "*" | "/" | "%";
      const right = this.parseUnary();
      left = { kind: "arith", op, left, right, span: spanOf(left.span, right.span) };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const sign = this.advance();
      const operand = this.parseUnary();
      const span = spanOf(sign.span, operand.span);
      if (sign.text === "+") return operand;
      // `-5` is a number, not an operation, as in Elasticsearch.
      if (operand.kind === "literal" && typeof operand.value === "number") {
        return { ...operand, value: -operand.value, span };
      }
      return { kind: "negate", operand, span };
    }
    return this.parsePredicate(this.parsePrimary());
  }

  /** `: like like~ regex regex~ in in~ not in not in~` bound to the primary before it. */
  private parsePredicate(value: Expr): Expr {
    const token = this.current;
    if (this.isKeyword("not") && (this.isKeyword("in", this.peekToken()) || this.isKeyword("in~", this.peekToken()))) {
      this.advance();
      return this.parseIn(value, true);
    }
    if (this.isKeyword("in") || this.isKeyword("in~")) return this.parseIn(value, false);
    let op: "seq" | "like" | "regex" | null = null;
    let caseInsensitive = false;
    if (this.isOp(":")) op = "seq";
    else if (this.isKeyword("like") || this.isKeyword("like~")) op = "like";
    else if (this.isKeyword("regex") || this.isKeyword("regex~")) op = "regex";
    if (op === null) return value;
    caseInsensitive = op === "seq" || token.text.endsWith("~");
    this.advance();
    let patterns: Expr[];
    if (this.isOp("(")) {
      this.advance();
      patterns = [this.parseConstant()];
      while (this.isOp(",")) {
        this.advance();
        patterns.push(this.parseConstant());
      }
      this.expectOp(")", "',' or ')'");
    } else {
      patterns = [this.parseConstant()];
    }
    return { kind: "match", op, caseInsensitive, value, patterns, span: spanOf(value.span, this.previousEnd()) };
  }

  private parseIn(value: Expr, negated: boolean): Expr {
    const keyword = this.advance();
    this.expectOp("(", `'(' after ${keyword.text}`);
    if (this.isOp(")")) this.fail("at least one value in the list");
    const list = [this.parseExpr()];
    while (this.isOp(",")) {
      this.advance();
      list.push(this.parseExpr());
    }
    this.expectOp(")", "',' or ')'");
    return {
      kind: "in",
      value,
      list,
      caseInsensitive: keyword.text === "in~",
      negated,
      span: spanOf(value.span, this.previousEnd()),
    };
  }

  /** Pattern operands must be constants, as in Elasticsearch's grammar. */
  private parseConstant(): Literal {
    const token = this.current;
    const literal = this.literal(token);
    if (!literal) this.fail("a constant (a string, number, true, false or null)");
    this.advance();
    return literal;
  }

  private literal(token: Token): Literal | null {
    const span = token.span;
    switch (token.kind) {
      case "string":
        return { kind: "literal", value: token.text, type: "string", span };
      case "integer":
        return { kind: "literal", value: token.value, type: "integer", span };
      case "float":
        return { kind: "literal", value: token.value, type: "float", span };
      case "keyword":
        if (token.text === "true" || token.text === "false") {
          return { kind: "literal", value: token.text === "true", type: "boolean", span };
        }
        if (token.text === "null") return { kind: "literal", value: null, type: "null", span };
        return null;
      default:
        return null;
    }
  }

  private parsePrimary(): Expr {
    const token = this.current;
    const literal = this.literal(token);
    if (literal) {
      this.advance();
      return literal;
    }
    if (this.isOp("(")) {
      this.advance();
      const inner = this.parseExpr();
      this.expectOp(")", "')'");
      return inner;
    }
    if ((token.kind === "ident" || token.kind === "tilde_ident") && this.isOp("(", this.peekToken())) {
      return this.parseCall();
    }
    if (token.kind === "tilde_ident") this.fail("'(' after the function name", this.peekToken());
    if (token.kind === "ident" || token.kind === "quoted_ident" || this.isOp("?")) return this.parseField();
    if (token.kind === "keyword") {
      throw new EqlError(
        "syntax",
        `'${token.text}' is a keyword; write \`${token.text}\` in backquotes to use it as a field name`,
        token.span,
      );
    }
    this.fail("a field, value or function");
  }

  private parseCall(): Expr {
    const name = this.advance();
    this.expectOp("(");
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      args.push(this.parseExpr());
      while (this.isOp(",")) {
        this.advance();
        args.push(this.parseExpr());
      }
    }
    this.expectOp(")", "',' or ')'");
    return {
      kind: "call",
      name: name.text,
      caseInsensitive: name.kind === "tilde_ident",
      args,
      nameSpan: name.span,
      span: spanOf(name.span, this.previousEnd()),
    };
  }

  private parseField(): FieldRef {
    const start = this.current;
    const optional = this.isOp("?");
    if (optional) this.advance();
    const path = [this.fieldSegment(optional ? "a field name after '?'" : "a field name")];
    for (;;) {
      if (this.isOp(".") && !this.current.spaced) {
        this.advance();
        path.push(this.fieldSegment("a field name after '.'"));
        continue;
      }
      if (this.isOp("[") && this.peekToken().kind === "integer") {
        throw new EqlError(
          "unsupported",
          "array indexes such as [0] are not supported by Elasticsearch EQL; a field matches if any of its values does",
          this.current.span,
        );
      }
      break;
    }
    return { kind: "field", path, optional, span: spanOf(start.span, this.previousEnd()) };
  }

  private fieldSegment(expected: string): string {
    const token = this.current;
    if (token.kind === "ident" || token.kind === "quoted_ident") {
      this.advance();
      return token.text;
    }
    // After a dot, words such as `in` or `type` are plain field names (`event.type`).
    if (token.kind === "keyword" && this.index > 0 && this.isOp(".", this.tokens[this.index - 1])) {
      this.advance();
      return token.text;
    }
    this.fail(expected);
  }
}

function checkJoinKeyCounts(terms: QueryTerm[]): void {
  const first = terms[0];
  if (!first) return;
  for (const term of terms) {
    if (term.by.length !== first.by.length) {
      throw new EqlError(
        "invalid",
        `every query needs the same number of 'by' keys: the first has ${first.by.length}, this one ${term.by.length}`,
        term.span,
      );
    }
  }
}

/** Parses a whole EQL query (with pipes). Throws EqlError with line and column. */
export function parse(text: string): Query {
  return new Parser(tokenize(text)).parseStatement();
}

/** Parses a lone condition or value, e.g. `process.name : "nc*"`. */
export function parseExpression(text: string): Expr {
  return new Parser(tokenize(text)).parseStandaloneExpression();
}
