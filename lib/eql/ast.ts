/**
 * The EQL abstract syntax tree.
 *
 * Every node carries the source span it was parsed from so that semantic
 * errors and runtime diagnostics can point at line and column. The parser
 * produces these nodes; the analyzer checks them; the compiler turns them into
 * closures. Nothing here knows about the web app, the database or rules.
 */

/** A place in the query text. `line` and `column` are 1-based; `offset` is 0-based. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

interface NodeBase {
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type LiteralValue = string | number | boolean | null;

export interface Literal extends NodeBase {
  kind: "literal";
  value: LiteralValue;
  /** integer and float are kept apart: EQL arithmetic and number() care. */
  type: "string" | "integer" | "float" | "boolean" | "null";
}

/** A field reference such as `process.parent.name`, `` `my field`.x `` or `?maybe.missing`. */
export interface FieldRef extends NodeBase {
  kind: "field";
  /** Path segments as written, backquotes removed: `a.b.c` → ["a", "b", "c"]. */
  path: string[];
  /** `?field`: the field may be absent from every index; never an error. */
  optional: boolean;
}

export interface Not extends NodeBase {
  kind: "not";
  operand: Expr;
}

export interface Logical extends NodeBase {
  kind: "and" | "or";
  left: Expr;
  right: Expr;
}

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export interface Comparison extends NodeBase {
  kind: "compare";
  op: ComparisonOperator;
  /** `==~` / `!=~` style case-insensitive comparison. */
  caseInsensitive: boolean;
  left: Expr;
  right: Expr;
}

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";

export interface Arithmetic extends NodeBase {
  kind: "arith";
  op: ArithmeticOperator;
  left: Expr;
  right: Expr;
}

/** Unary minus on a non-literal operand (`-x`); `-5` is parsed as a literal. */
export interface Negate extends NodeBase {
  kind: "negate";
  operand: Expr;
}

/** `value in (a, b)`, `value in~ (...)`, `value not in (...)`. */
export interface InList extends NodeBase {
  kind: "in";
  value: Expr;
  list: Expr[];
  caseInsensitive: boolean;
  negated: boolean;
}

/**
 * Pattern operators.
 * - `:` (op "seq"): case-insensitive equality where the pattern may hold `*` and `?` wildcards.
 * - `like` / `like~`: wildcard match, case-sensitive unless `~`.
 * - `regex` / `regex~`: anchored Lucene-style regular expression.
 * Each takes one pattern or a parenthesised list (any pattern matching is a match).
 */
export interface PatternMatch extends NodeBase {
  kind: "match";
  op: "seq" | "like" | "regex";
  caseInsensitive: boolean;
  value: Expr;
  patterns: Expr[];
}

export interface FunctionCall extends NodeBase {
  kind: "call";
  /** The name as written; any case resolves to the function (`cidrmatch` is `cidrMatch`), as in Elasticsearch. */
  name: string;
  /** `startsWith~(...)` */
  caseInsensitive: boolean;
  args: Expr[];
  /** Span of the function name alone, for "unknown function" errors. */
  nameSpan: Span;
}

export type Expr =
  | Literal
  | FieldRef
  | Not
  | Logical
  | Comparison
  | Arithmetic
  | Negate
  | InList
  | PatternMatch
  | FunctionCall;

// ---------------------------------------------------------------- queries

export interface Duration extends NodeBase {
  value: number;
  unit: "ms" | "s" | "m" | "h" | "d";
  millis: number;
}

/** `process where ...` or `any where ...` (category null). */
export interface EventFilter extends NodeBase {
  kind: "filter";
  /** The event category as written, or null for `any`. */
  category: string | null;
  condition: Expr;
}

export interface EventQuery extends NodeBase {
  kind: "event";
  filter: EventFilter;
  pipes: Pipe[];
}

/** One bracketed term of a sequence or sample: `[process where ...] by a, b with runs=3`. */
export interface QueryTerm extends NodeBase {
  filter: EventFilter;
  /** Join keys specific to this term, added after the query-level `by` keys. */
  by: Expr[];
  /** `with runs=N` (sequences only); 1 when absent. */
  runs: number;
  /** `![...]`: a missing-event term (sequences only). */
  missing: boolean;
}

export interface SequenceQuery extends NodeBase {
  kind: "sequence";
  /** Query-level join keys (`sequence by a, b`), shared by every term. */
  by: Expr[];
  maxspan: Duration | null;
  terms: QueryTerm[];
  until: QueryTerm | null;
  pipes: Pipe[];
}

export interface SampleQuery extends NodeBase {
  kind: "sample";
  by: Expr[];
  terms: QueryTerm[];
  pipes: Pipe[];
}

export type Query = EventQuery | SequenceQuery | SampleQuery;

/** `| head 5`, `| tail 2`; the analyzer decides which pipes exist and what they take. */
export interface Pipe extends NodeBase {
  kind: "pipe";
  name: string;
  args: Expr[];
  /** Span of the pipe name alone, for "unknown pipe" errors. */
  nameSpan: Span;
}

export type Node = Expr | Query | QueryTerm | EventFilter | Pipe | Duration;
