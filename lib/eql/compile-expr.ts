/**
 * Compiles EQL conditions into plain closures over events, reproducing how
 * Elasticsearch 8.x/9.x evaluates them.
 *
 * # How Elasticsearch runs a condition, and why it matters
 *
 * Elasticsearch does not interpret EQL conditions one way. Its planner turns
 * each piece into either an Elasticsearch *query* or a Painless *script*, and
 * the two differ in how they see missing fields, multi-valued fields and types.
 * This compiler makes the same split.
 *
 * ## Query-translated predicates (two-valued, "any value matches")
 *
 * A predicate whose left side is a plain field and whose right side is a
 * constant becomes a query on that field's index:
 * - `f == c`, `f < c` … (term / range query), `f in (c, …)` (terms query);
 * - `f : "pat"` (case-insensitive term query, or wildcard query when the
 *   pattern holds `*` or `?`), `f like "pat"`, `f like~`, `f regex "re"`, `f regex~`;
 * - `startsWith(f, "s")` (prefix query), `endsWith(f, "s")` and
 *   `stringContains(f, "s")` (wildcard queries `*s` and `*s*`, with `s` spliced
 *   in unescaped, so a `*` or `?` inside `s` acts as a wildcard, and `\` escapes),
 *   `cidrMatch(f, "cidr", …)` (terms query on an ip field);
 * - `f == null` (no value), `f != null` (has a value); a bare field `f` is `f == true`.
 * A query matches a document when ANY value of a multi-valued field matches, and
 * never matches a document where the field is missing (absent, JSON null, `[]`).
 * A constant on the left (`0 <= f`) is moved to the right first, as ES does.
 *
 * `!=` is `not (==)`, and `not` of a query is a bool `must_not`: it is true
 * exactly when the inner query is false. So `f != "end"` is true when NO value
 * equals "end" (`["exec","end"]` does not match) and also when `f` is missing;
 * `f not in (…)`, `not f : "x*"`, `not startsWith(f, "x")` likewise.
 *
 * Types in queries follow the field's mapping. A field named in the options'
 * `fieldTypes` (built-in ECS types, a user's `_mapping`) compares as its type
 * (see field-types.ts): a date with date strings and epoch millis, an ip with
 * addresses and CIDR blocks, a version in version order, a numeric field's
 * numeric strings as numbers, a keyword's numbers as text, and `null_value`
 * in place of an explicit null. For any other field we infer the mapping from each
 * JSON value (string → keyword, number → long/double, boolean → boolean) and
 * coerce the constant to it, as Elasticsearch coerces a query value:
 * a string value compares with the constant's string form (`f == 100` matches
 * "100", `f == false` matches "false"); a number value compares numerically
 * with a numeric constant or numeric string ("100"); a boolean value compares
 * with true/false or "true"/"false". A keyword range compares strings (so
 * `"" < "C"`). Wildcard, regex and prefix queries only match string values.
 * `:` and `in~` fold case; `==`, `in`, `like`, `regex` and the functions do
 * not, unless the `~` form is used or the request sets `caseInsensitive`, in
 * which case every case-sensitive operator and function acts as its `~` form
 * (`==` then compares strings case-insensitively but still treats `*` literally).
 *
 * ## Script-evaluated expressions (three-valued, each value combination tried)
 *
 * Anything else (functions other than the above, arithmetic, field-against-
 * field comparisons, comparisons on function results) runs as a script that
 * sees one value per field reference and has SQL-like null logic: null for a
 * missing value; comparisons, arithmetic and most functions return null when
 * an input is null; `and`/`or` are Kleene logic; `x == null` is true when
 * `x` is null. A script filter passes only when its result is exactly true.
 * Since 8.x Elasticsearch makes scripts multi-value aware: each field
 * reference iterates over all of that field's values independently and the
 * filter passes if any combination yields true; a missing field contributes
 * one null. A `not` around a script is taken outside that iteration, which
 * makes `not` of anything, query or script, plain boolean negation of the
 * filter: `not length(f) > 3` is true where `f` is missing.
 *
 * Script comparisons only compare like types (number with number, string with
 * string, boolean with boolean); anything else is null. `in` is true when any
 * item equals, else null when an item or the value was null, else false.
 *
 * ## Event category
 *
 * `process where …` adds a case-sensitive term query on the category field:
 * any of its values may equal "process"; `any where` has no category test.
 */
import type {
  Comparison,
  ComparisonOperator,
  EventFilter,
  Expr,
  FieldRef,
  FunctionCall,
  InList,
  Literal,
  LiteralValue,
  PatternMatch,
} from "./ast";
import { EqlError } from "./errors";
import { compareVersions, compileTypedFieldGetter, type FieldType, type FieldTypes, readDate } from "./field-types";
import { canonicalFunctionName, FUNCTIONS_BY_NAME } from "./function-signatures";
import {
  arithmetic,
  compileCall,
  compileFieldSubstringQuery,
  type Evaluate,
  type ScriptExpr,
  toEqlString,
} from "./functions";
import { type CidrBlock, ipInBlocks, parseCidr, parseIp } from "./ip";
import { compileLuceneRegex } from "./lucene-regex";
import type { EqlEvent } from "./types";
import { compileFieldGetter, type FieldGetter, type FieldScalar, type FieldValue, firstValue } from "./values";
import { compileWildcard, hasWildcard, type StringMatcher } from "./wildcard";

export interface CompileContext {
  eventCategoryField: string;
  caseInsensitive: boolean;
  /** Known field types; fields it does not name compare by their JSON values. */
  fieldTypes?: FieldTypes;
}

function fieldTypeOf(ctx: CompileContext, path: readonly string[]): FieldType | undefined {
  return ctx.fieldTypes?.fields.get(path.join("."));
}

/** A field as a query sees it: typed when the field's type is known. */
function queryGetter(ctx: CompileContext, path: readonly string[]): FieldGetter {
  return compileTypedFieldGetter(path, fieldTypeOf(ctx, path));
}

export type Predicate = (event: EqlEvent) => boolean;
type ValueTest = (value: FieldScalar) => boolean;

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

function fold(text: string): string {
  return text.toLowerCase();
}

// ---------------------------------------------------------------- constants

/** Whether an expression reads no field (its value is known at compile time). */
function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case "literal":
      return true;
    case "field":
      return false;
    case "not":
    case "negate":
      return isConstant(expr.operand);
    case "and":
    case "or":
    case "compare":
    case "arith":
      return isConstant(expr.left) && isConstant(expr.right);
    case "in":
      return isConstant(expr.value) && expr.list.every(isConstant);
    case "match":
      return isConstant(expr.value) && expr.patterns.every(isConstant);
    case "call":
      return expr.args.every(isConstant);
  }
}

interface ConstantValue {
  value: LiteralValue;
  /** A float literal (or arithmetic over one), for its string form. */
  float: boolean;
}

function foldConstant(expr: Expr, ctx: CompileContext): ConstantValue {
  if (expr.kind === "literal") return { value: expr.value, float: expr.type === "float" };
  const script = new ScriptCompiler(ctx).compile(expr);
  const value = script.evaluate([]);
  return { value: (value ?? null) as LiteralValue, float: script.float };
}

function isNullLiteral(expr: Expr): boolean {
  return expr.kind === "literal" && expr.value === null;
}

// ---------------------------------------------------------------- value coercion (query side)

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

interface CoercedConstant {
  text: string;
  number: number;
  boolean: boolean | undefined;
}

/** The constant as each mapping type would read it (NaN / undefined: not readable as that type). */
function coerce(constant: ConstantValue): CoercedConstant {
  const { value, float } = constant;
  const text = toEqlString(value, float) ?? "";
  let number = Number.NaN;
  if (typeof value === "number") number = value;
  else if (typeof value === "string" && NUMERIC_TEXT.test(value)) number = Number(value);
  let boolean: boolean | undefined;
  if (typeof value === "boolean") boolean = value;
  else if (value === "true") boolean = true;
  else if (value === "false") boolean = false;
  return { text, number, boolean };
}

function termTest(constant: ConstantValue, caseInsensitive: boolean): ValueTest {
  const { text, number, boolean } = coerce(constant);
  if (caseInsensitive) {
    const folded = fold(text);
    return (value) =>
      typeof value === "string"
        ? fold(value) === folded
        : typeof value === "number"
          ? value === number
          : value === boolean;
  }
  return (value) =>
    typeof value === "string" ? value === text : typeof value === "number" ? value === number : value === boolean;
}

function ordered(op: ComparisonOperator, order: number): boolean {
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "==":
      return order === 0;
    case "!=":
      return order !== 0;
  }
}

function rangeTest(op: ComparisonOperator, constant: ConstantValue): ValueTest {
  const { text, number, boolean } = coerce(constant);
  return (value) => {
    if (typeof value === "string") return ordered(op, value < text ? -1 : value > text ? 1 : 0);
    if (typeof value === "number") return !Number.isNaN(number) && ordered(op, value - number);
    return boolean !== undefined && ordered(op, Number(value) - Number(boolean));
  };
}

/** `f == c` on a typed field whose type changes equality (date, ip), or null to use termTest. */
function typedTermTest(type: FieldType | undefined, constant: ConstantValue, where: Expr): ValueTest | null {
  if (type?.kind === "date") {
    const millis = dateConstant(type, constant, where);
    return (value) => value === millis;
  }
  if (type?.kind === "ip") {
    const block = ipConstant(type, constant, where);
    return (value) => typeof value === "string" && ipInBlocks(value, [block]);
  }
  return null;
}

/** `f < c` … on a typed field whose type has its own order (date, ip, version), or null to use rangeTest. */
function typedRangeTest(
  op: ComparisonOperator,
  type: FieldType | undefined,
  constant: ConstantValue,
  where: Expr,
): ValueTest | null {
  if (type?.kind === "date") {
    const millis = dateConstant(type, constant, where);
    return (value) => typeof value === "number" && ordered(op, value - millis);
  }
  if (type?.kind === "ip") {
    const address = parseIp(String(constant.value));
    if (address === null) throw typeError(type, constant, where, "an IP address");
    return (value) => {
      const other = typeof value === "string" ? parseIp(value) : null;
      return other !== null && ordered(op, other < address ? -1 : other > address ? 1 : 0);
    };
  }
  if (type?.kind === "version") {
    const text = coerce(constant).text;
    return (value) => typeof value === "string" && ordered(op, compareVersions(value, text));
  }
  return null;
}

function typeError(type: FieldType, constant: ConstantValue, where: Expr, wanted: string): EqlError {
  return new EqlError(
    "type",
    `${JSON.stringify(constant.value)} is not ${wanted}, and the field is of type ${type.type}`,
    where.span,
  );
}

function dateConstant(type: FieldType, constant: ConstantValue, where: Expr): number {
  const millis = readDate(constant.value, type.epochSeconds);
  if (millis === undefined) throw typeError(type, constant, where, "a date (ISO-8601 or epoch milliseconds)");
  return millis;
}

function ipConstant(type: FieldType, constant: ConstantValue, where: Expr): CidrBlock {
  const block = typeof constant.value === "string" ? parseCidr(constant.value) : null;
  if (block === null) throw typeError(type, constant, where, "an IP address or CIDR block");
  return block;
}

/** True when any value of the field passes `test`; false when the field is missing. */
function anyValue(getter: FieldGetter, test: ValueTest): Predicate {
  return (event) => {
    const value = getter(event);
    if (value === undefined) return false;
    if (Array.isArray(value)) {
      for (const element of value as readonly FieldScalar[]) if (test(element)) return true;
      return false;
    }
    return test(value as FieldScalar);
  };
}

function stringTest(matcher: StringMatcher): ValueTest {
  return (value) => typeof value === "string" && matcher(value);
}

const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = {
  "==": "==",
  "!=": "!=",
  "<": ">",
  "<=": ">=",
  ">": "<",
  ">=": "<=",
};

// ---------------------------------------------------------------- query-translated predicates

class QueryCompiler {
  constructor(private readonly ctx: CompileContext) {}

  condition(expr: Expr): Predicate {
    return this.query(expr) ?? scriptPredicate(expr, this.ctx);
  }

  /** The predicate Elasticsearch would run as a query, or null when it would run a script. */
  private query(expr: Expr): Predicate | null {
    switch (expr.kind) {
      case "literal":
        if (typeof expr.value === "boolean") return expr.value ? ALWAYS : NEVER;
        return expr.value === null ? NEVER : null;
      case "and":
        return this.conjunction(expr);
      case "or": {
        const left = this.condition(expr.left);
        const right = this.condition(expr.right);
        return (event) => left(event) || right(event);
      }
      case "not": {
        const operand = this.condition(expr.operand);
        return (event) => !operand(event);
      }
      case "field":
        return anyValue(queryGetter(this.ctx, expr.path), termTest({ value: true, float: false }, false));
      case "compare":
        return this.comparison(expr);
      case "in":
        return this.inList(expr);
      case "match":
        return this.patternMatch(expr);
      case "call":
        return this.functionQuery(withCanonicalName(expr));
      default:
        return null;
    }
  }

  /**
   * `a and b and …`. Elasticsearch's optimizer merges a lower and an upper bound
   * on the same field (`f >= "a" and f <= "m"`) into ONE range query, which a
   * multi-valued field passes only when a single value lies within both bounds.
   */
  private conjunction(expr: Expr): Predicate {
    const conjuncts: Expr[] = [];
    const flatten = (node: Expr): void => {
      if (node.kind === "and") {
        flatten(node.left);
        flatten(node.right);
      } else {
        conjuncts.push(node);
      }
    };
    flatten(expr);
    const bounds = new Map<string, { path: string[]; lower: ValueTest[]; upper: ValueTest[]; parts: Expr[] }>();
    for (const conjunct of conjuncts) {
      const bound = this.bound(conjunct);
      if (!bound) continue;
      const key = JSON.stringify(bound.path);
      const group = bounds.get(key) ?? { path: bound.path, lower: [], upper: [], parts: [] };
      (bound.side === "lower" ? group.lower : group.upper).push(bound.test);
      group.parts.push(conjunct);
      bounds.set(key, group);
    }
    const merged = new Set<Expr>();
    const predicates: Predicate[] = [];
    for (const group of bounds.values()) {
      if (group.lower.length === 0 || group.upper.length === 0) continue;
      for (const part of group.parts) merged.add(part);
      const tests = [...group.lower, ...group.upper];
      predicates.push(anyValue(queryGetter(this.ctx, group.path), (value) => tests.every((test) => test(value))));
    }
    for (const conjunct of conjuncts) if (!merged.has(conjunct)) predicates.push(this.condition(conjunct));
    if (predicates.length === 2) {
      const [first, second] = predicates as [Predicate, Predicate];
      return (event) => first(event) && second(event);
    }
    return (event) => {
      for (const predicate of predicates) if (!predicate(event)) return false;
      return true;
    };
  }

  /** A range bound on a plain field (`f > c`, `c <= f`), or null. */
  private bound(expr: Expr): { path: string[]; side: "lower" | "upper"; test: ValueTest } | null {
    if (expr.kind !== "compare") return null;
    let { left, right, op } = expr;
    if (isConstant(left) && !isConstant(right)) {
      [left, right] = [right, left];
      op = FLIPPED[op];
    }
    if (left.kind !== "field" || !isConstant(right) || op === "==" || op === "!=") return null;
    const constant = foldConstant(right, this.ctx);
    if (constant.value === null) return null;
    const test = typedRangeTest(op, fieldTypeOf(this.ctx, left.path), constant, right) ?? rangeTest(op, constant);
    return { path: left.path, side: op === ">" || op === ">=" ? "lower" : "upper", test };
  }

  private comparison(expr: Comparison): Predicate | null {
    let { left, right, op } = expr;
    if (isConstant(left) && !isConstant(right)) {
      [left, right] = [right, left];
      op = FLIPPED[op];
    }
    if (left.kind !== "field" || !isConstant(right)) return null;
    const getter = queryGetter(this.ctx, left.path);
    const type = fieldTypeOf(this.ctx, left.path);
    const constant = foldConstant(right, this.ctx);
    if (constant.value === null) {
      if (op === "==") return (event) => getter(event) === undefined;
      if (op === "!=") return (event) => getter(event) !== undefined;
      return NEVER;
    }
    if (op === "==" || op === "!=") {
      const caseInsensitive = expr.caseInsensitive || this.ctx.caseInsensitive;
      const equals = anyValue(getter, typedTermTest(type, constant, right) ?? termTest(constant, caseInsensitive));
      return op === "==" ? equals : (event) => !equals(event);
    }
    return anyValue(getter, typedRangeTest(op, type, constant, right) ?? rangeTest(op, constant));
  }

  private inList(expr: InList): Predicate | null {
    if (expr.value.kind !== "field" || !expr.list.every(isConstant)) return null;
    const getter = queryGetter(this.ctx, expr.value.path);
    const type = fieldTypeOf(this.ctx, expr.value.path);
    if (type?.kind === "date" || type?.kind === "ip") {
      const itemTests = expr.list.flatMap((item) => {
        const constant = foldConstant(item, this.ctx);
        return constant.value === null ? [] : [typedTermTest(type, constant, item) as ValueTest];
      });
      const member = anyValue(getter, (value) => itemTests.some((test) => test(value)));
      return expr.negated ? (event) => !member(event) : member;
    }
    const caseInsensitive = expr.caseInsensitive || this.ctx.caseInsensitive;
    const texts = new Set<string>();
    const numbers = new Set<number>();
    const booleans = new Set<boolean>();
    for (const item of expr.list) {
      const constant = foldConstant(item, this.ctx);
      if (constant.value === null) continue;
      const { text, number, boolean } = coerce(constant);
      texts.add(caseInsensitive ? fold(text) : text);
      if (!Number.isNaN(number)) numbers.add(number);
      if (boolean !== undefined) booleans.add(boolean);
    }
    const test: ValueTest = caseInsensitive
      ? (value) =>
          typeof value === "string"
            ? texts.has(fold(value))
            : typeof value === "number"
              ? numbers.has(value)
              : booleans.has(value)
      : (value) =>
          typeof value === "string"
            ? texts.has(value)
            : typeof value === "number"
              ? numbers.has(value)
              : booleans.has(value);
    const member = anyValue(getter, test);
    return expr.negated ? (event) => !member(event) : member;
  }

  private patternMatch(expr: PatternMatch): Predicate | null {
    if (expr.value.kind !== "field") return null;
    const getter = queryGetter(this.ctx, expr.value.path);
    const tests = compilePatternTests(expr, this.ctx);
    if (tests.length === 1) return anyValue(getter, tests[0] as ValueTest);
    return anyValue(getter, (value) => {
      for (const test of tests) if (test(value)) return true;
      return false;
    });
  }

  private functionQuery(call: FunctionCall): Predicate | null {
    const [first, ...rest] = call.args;
    if (first?.kind !== "field" || rest.length === 0 || !rest.every(isConstant)) return null;
    const constants = rest.map((arg) => foldConstant(arg, this.ctx).value);
    const caseInsensitive = call.caseInsensitive || (this.ctx.caseInsensitive && hasInsensitiveForm(call.name));
    const getter = queryGetter(this.ctx, first.path);
    const argument = constants[0];
    switch (call.name) {
      case "startsWith": {
        if (typeof argument !== "string" || constants.length !== 1) return null;
        const prefix = caseInsensitive ? fold(argument) : argument;
        return anyValue(
          getter,
          (value) => typeof value === "string" && (caseInsensitive ? fold(value) : value).startsWith(prefix),
        );
      }
      case "endsWith":
      case "stringContains":
        if (typeof argument !== "string" || constants.length !== 1) return null;
        return anyValue(getter, stringTest(compileFieldSubstringQuery(call.name, argument, caseInsensitive)));
      case "cidrMatch": {
        const blocks: CidrBlock[] = [];
        for (let i = 0; i < constants.length; i++) {
          const value = constants[i];
          const block = typeof value === "string" ? parseCidr(value) : null;
          if (block === null) return null; // the script compiler reports the bad literal
          blocks.push(block);
        }
        return anyValue(getter, (value) => typeof value === "string" && ipInBlocks(value, blocks));
      }
      default:
        return null;
    }
  }
}

/** The call under its documented name (`cidrmatch` → `cidrMatch`); the tree keeps the spelling the query used. */
function withCanonicalName(call: FunctionCall): FunctionCall {
  const name = canonicalFunctionName(call.name);
  return name === call.name ? call : { ...call, name };
}

function hasInsensitiveForm(name: string): boolean {
  return FUNCTIONS_BY_NAME.get(name)?.caseInsensitiveForm === true;
}

/** One test per pattern of `:`, `like` or `regex`, compiled once. */
function compilePatternTests(expr: PatternMatch, ctx: CompileContext): ValueTest[] {
  const caseInsensitive = expr.op === "seq" || expr.caseInsensitive || ctx.caseInsensitive;
  const tests: ValueTest[] = [];
  const plainTerms: ConstantValue[] = [];
  for (const patternExpr of expr.patterns) {
    if (!isConstant(patternExpr)) {
      throw new EqlError("type", "a pattern must be a constant string, not a field or expression", patternExpr.span);
    }
    const constant = foldConstant(patternExpr, ctx);
    const pattern = constant.value;
    if (pattern === null) continue;
    if (expr.op === "regex") {
      if (typeof pattern !== "string") throw patternTypeError(patternExpr, pattern);
      tests.push(stringTest(compileLuceneRegex(pattern, caseInsensitive, patternExpr.span)));
    } else if (expr.op === "like") {
      if (typeof pattern !== "string") throw patternTypeError(patternExpr, pattern);
      tests.push(stringTest(compileWildcard(pattern, { caseInsensitive })));
    } else if (typeof pattern === "string" && hasWildcard(pattern)) {
      tests.push(stringTest(compileWildcard(pattern, { caseInsensitive: true })));
    } else {
      plainTerms.push(constant);
    }
  }
  if (plainTerms.length === 1) tests.push(termTest(plainTerms[0] as ConstantValue, true));
  if (plainTerms.length > 1) tests.push(termSetTest(plainTerms));
  return tests;
}

/** `:` against several plain values: one folded Set lookup instead of a loop. */
function termSetTest(constants: readonly ConstantValue[]): ValueTest {
  const texts = new Set<string>();
  const others = constants.map((constant) => termTest(constant, true));
  for (const constant of constants) texts.add(fold(coerce(constant).text));
  return (value) => {
    if (typeof value === "string") return texts.has(fold(value));
    for (const test of others) if (test(value)) return true;
    return false;
  };
}

function patternTypeError(expr: Expr, value: LiteralValue): EqlError {
  return new EqlError("type", `a pattern must be a string, found ${JSON.stringify(value)}`, expr.span);
}

// ---------------------------------------------------------------- scripts

/** Three-valued equality/ordering of two script values; null when either is null or the types differ. */
function compareScalars(left: unknown, right: unknown, caseInsensitive: boolean): number | null {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  if (typeof left === "number" && typeof right === "number") {
    return left < right ? -1 : left > right ? 1 : left === right ? 0 : null;
  }
  if (typeof left === "string" && typeof right === "string") {
    const a = caseInsensitive ? fold(left) : left;
    const b = caseInsensitive ? fold(right) : right;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof left === "boolean" && typeof right === "boolean") return Number(left) - Number(right);
  return null;
}

function not3(value: unknown): boolean | null {
  return typeof value === "boolean" ? !value : null;
}

class ScriptCompiler {
  /** One getter per field reference, in the order the script reads them. */
  readonly getters: FieldGetter[] = [];

  constructor(private readonly ctx: CompileContext) {}

  compile(expr: Expr): ScriptExpr {
    const span = expr.span;
    const constant = isConstant(expr);
    const make = (evaluate: Evaluate, float = false): ScriptExpr => ({ evaluate, float, constant, span });
    switch (expr.kind) {
      case "literal":
        return this.literal(expr);
      case "field":
        return this.field(expr);
      case "not": {
        const operand = this.compile(expr.operand).evaluate;
        return make((slots) => not3(operand(slots)));
      }
      case "and": {
        const left = this.compile(expr.left).evaluate;
        const right = this.compile(expr.right).evaluate;
        return make((slots) => {
          const a = left(slots);
          if (a === false) return false;
          const b = right(slots);
          if (b === false) return false;
          return a === true && b === true ? true : null;
        });
      }
      case "or": {
        const left = this.compile(expr.left).evaluate;
        const right = this.compile(expr.right).evaluate;
        return make((slots) => {
          const a = left(slots);
          if (a === true) return true;
          const b = right(slots);
          if (b === true) return true;
          return a === false && b === false ? false : null;
        });
      }
      case "compare":
        return this.comparison(expr);
      case "arith": {
        const left = this.compile(expr.left);
        const right = this.compile(expr.right);
        const float = left.float || right.float;
        const op = expr.op;
        return make((slots) => arithmetic(op, left.evaluate(slots), right.evaluate(slots), float), float);
      }
      case "negate": {
        const operand = this.compile(expr.operand);
        return make((slots) => {
          const value = operand.evaluate(slots);
          return typeof value === "number" ? -value : null;
        }, operand.float);
      }
      case "in":
        return this.inList(expr);
      case "match":
        return this.patternMatch(expr);
      case "call": {
        const call = withCanonicalName(expr);
        const args = call.args.map((arg) => this.compile(arg));
        const caseInsensitive = call.caseInsensitive || (this.ctx.caseInsensitive && hasInsensitiveForm(call.name));
        return compileCall(call, args, caseInsensitive);
      }
    }
  }

  private literal(expr: Literal): ScriptExpr {
    const value = expr.value;
    return { evaluate: () => value, float: expr.type === "float", constant: true, span: expr.span };
  }

  private field(expr: FieldRef): ScriptExpr {
    // Scripts see a date as written, not as its epoch millis.
    const slot = this.getters.push(compileTypedFieldGetter(expr.path, fieldTypeOf(this.ctx, expr.path), true)) - 1;
    return { evaluate: (slots) => slots[slot], float: false, constant: false, span: expr.span };
  }

  private comparison(expr: Comparison): ScriptExpr {
    const span = expr.span;
    const constant = isConstant(expr);
    const { op } = expr;
    if (isNullLiteral(expr.left) || isNullLiteral(expr.right)) {
      const other = this.compile(isNullLiteral(expr.left) ? expr.right : expr.left).evaluate;
      if (op === "==") return { evaluate: (slots) => other(slots) === null, float: false, constant, span };
      if (op === "!=") return { evaluate: (slots) => other(slots) !== null, float: false, constant, span };
      return { evaluate: () => null, float: false, constant, span };
    }
    const left = this.compile(expr.left).evaluate;
    const right = this.compile(expr.right).evaluate;
    const caseInsensitive = (op === "==" || op === "!=") && (expr.caseInsensitive || this.ctx.caseInsensitive);
    return {
      evaluate: (slots) => {
        const order = compareScalars(left(slots), right(slots), caseInsensitive);
        return order === null ? null : ordered(op, order);
      },
      float: false,
      constant,
      span,
    };
  }

  private inList(expr: InList): ScriptExpr {
    const value = this.compile(expr.value).evaluate;
    const items = expr.list.map((item) => this.compile(item).evaluate);
    const caseInsensitive = expr.caseInsensitive || this.ctx.caseInsensitive;
    const negated = expr.negated;
    return {
      evaluate: (slots) => {
        const subject = value(slots);
        if (subject === null || subject === undefined) return null;
        let sawNull = false;
        for (const item of items) {
          const order = compareScalars(subject, item(slots), caseInsensitive);
          if (order === 0) return !negated;
          if (order === null) sawNull = true;
        }
        return sawNull ? null : negated;
      },
      float: false,
      constant: isConstant(expr),
      span: expr.span,
    };
  }

  private patternMatch(expr: PatternMatch): ScriptExpr {
    const value = this.compile(expr.value).evaluate;
    const tests = compilePatternTests(expr, this.ctx);
    return {
      evaluate: (slots) => {
        const subject = value(slots);
        if (subject === null || subject === undefined) return null;
        if (typeof subject !== "string") return null;
        for (const test of tests) if (test(subject)) return true;
        return false;
      },
      float: false,
      constant: isConstant(expr),
      span: expr.span,
    };
  }
}

/**
 * A script filter: true when some combination of the referenced fields'
 * values makes the script exactly true. Slots are reused across events.
 */
function scriptPredicate(expr: Expr, ctx: CompileContext): Predicate {
  const compiler = new ScriptCompiler(ctx);
  const evaluate = compiler.compile(expr).evaluate;
  const getters = compiler.getters;
  const count = getters.length;
  const slots: unknown[] = new Array(count).fill(null);
  if (count === 0) {
    const result = evaluate(slots) === true;
    return result ? ALWAYS : NEVER;
  }
  if (count === 1) {
    const getter = getters[0] as FieldGetter;
    return (event) => {
      const value = getter(event);
      if (Array.isArray(value)) {
        for (const element of value) {
          slots[0] = element;
          if (evaluate(slots) === true) return true;
        }
        return false;
      }
      slots[0] = value ?? null;
      return evaluate(slots) === true;
    };
  }
  const values: FieldValue[] = new Array(count).fill(undefined);
  const tryFrom = (index: number): boolean => {
    if (index === count) return evaluate(slots) === true;
    const value = values[index];
    if (Array.isArray(value)) {
      for (const element of value) {
        slots[index] = element;
        if (tryFrom(index + 1)) return true;
      }
      return false;
    }
    slots[index] = value ?? null;
    return tryFrom(index + 1);
  };
  return (event) => {
    for (let i = 0; i < count; i++) values[i] = (getters[i] as FieldGetter)(event);
    return tryFrom(0);
  };
}

// ---------------------------------------------------------------- public API

/** Compile a `where` condition into a predicate over events. */
export function compileCondition(expr: Expr, ctx: CompileContext): Predicate {
  return new QueryCompiler(ctx).condition(expr);
}

/**
 * Compile an expression into a value reader (join keys, printing). A field
 * gives its raw value: a scalar, an array for a multi-valued field, or
 * undefined when missing. Any other expression is evaluated with the first
 * value of each field it reads and gives null when its result is null.
 */
export function compileValue(expr: Expr, ctx: CompileContext): (event: EqlEvent) => unknown {
  if (expr.kind === "field") return queryGetter(ctx, expr.path);
  const compiler = new ScriptCompiler(ctx);
  const evaluate = compiler.compile(expr).evaluate;
  const getters = compiler.getters;
  const slots: unknown[] = new Array(getters.length).fill(null);
  return (event) => {
    for (let i = 0; i < getters.length; i++) slots[i] = firstValue((getters[i] as FieldGetter)(event)) ?? null;
    return evaluate(slots) ?? null;
  };
}

/** The category test (case-sensitive, any value) and the condition of `category where condition`. */
export function compileFilter(filter: EventFilter, ctx: CompileContext): Predicate {
  const condition = compileCondition(filter.condition, ctx);
  if (filter.category === null) return condition;
  const category = filter.category;
  const inCategory = anyValue(compileFieldGetter(ctx.eventCategoryField.split(".")), (value) => value === category);
  if (condition === ALWAYS) return inCategory;
  return (event) => inCategory(event) && condition(event);
}
