/**
 * The EQL functions, evaluated as Elasticsearch evaluates them inside a
 * script (its "processors"): `null` in, `null` out, unless noted.
 *
 * Runtime values are JSON scalars: string, number, boolean, or null for a
 * missing value. Elasticsearch types fields by their mapping and rejects a
 * wrongly typed argument before running; we learn the type from the value, so
 * a value of the wrong type (a number passed to `length`, a string to `add`)
 * yields null, the same as a missing value. A literal of the wrong type is
 * rejected at compile time with a "type" EqlError.
 *
 * Numbers: JSON cannot tell 2 from 2.0, so an integral value is a long and
 * any other is a double, except that a float literal (`2.0`) or an expression
 * built on one is known to be a double: that keeps `divide(x, 2.0)` from
 * truncating like `divide(x, 2)` does. Where Elasticsearch would fail the
 * whole search at run time (integer division by zero, `number("abc")`) the
 * value is null instead, so one bad event cannot stop detection.
 */
import type { FunctionCall, Span } from "./ast";
import { EqlError } from "./errors";
import { FUNCTIONS_BY_NAME, suggestFunction } from "./function-signatures";
import { type CidrBlock, ipInBlocks, parseCidr } from "./ip";
import { compileWildcard } from "./wildcard";

/** Evaluates a compiled script expression; `slots` holds the current value of each field occurrence. */
export type Evaluate = (slots: readonly unknown[]) => unknown;

export interface ScriptExpr {
  evaluate: Evaluate;
  /** Statically known to produce a double (float literal or arithmetic over one). */
  float: boolean;
  /** The expression reads no field, so its value can be folded at compile time. */
  constant: boolean;
  span: Span;
}

// ---------------------------------------------------------------- value helpers

/** Java's `Double.toString`, which Elasticsearch uses to print doubles. */
function javaDoubleString(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "", exponent = ""] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.replace("+", "")}`;
}

/** The string form Elasticsearch gives a value in `string()` and `concat()`. */
export function toEqlString(value: unknown, float = false): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    return !float && Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : javaDoubleString(value);
  }
  return String(value);
}

function asString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function asNumber(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

function fold(text: string): string {
  return text.toLowerCase();
}

// ---------------------------------------------------------------- string functions

/**
 * The text between `left` and `right`. Greedy takes the last `right` after
 * `left`, otherwise the first. An absent marker gives "".
 */
export function between(
  source: unknown,
  left: unknown,
  right: unknown,
  greedy: unknown,
  caseInsensitive: boolean,
): string | null {
  const text = asString(source);
  const leftText = asString(left);
  const rightText = asString(right);
  if (text === null || leftText === null || rightText === null) return null;
  const haystack = caseInsensitive ? fold(text) : text;
  const leftNeedle = caseInsensitive ? fold(leftText) : leftText;
  const rightNeedle = caseInsensitive ? fold(rightText) : rightText;
  const leftAt = haystack.indexOf(leftNeedle);
  if (leftAt < 0) return "";
  const start = leftAt + leftNeedle.length;
  const end = greedy === true ? haystack.lastIndexOf(rightNeedle) : haystack.indexOf(rightNeedle, start);
  if (end < start) return "";
  return text.substring(start, end);
}

/** Concatenation of every argument's string form; null if any argument is null. */
export function concat(values: readonly unknown[], floats: readonly boolean[]): string | null {
  let result = "";
  for (let i = 0; i < values.length; i++) {
    const text = toEqlString(values[i], floats[i] === true);
    if (text === null) return null;
    result += text;
  }
  return result;
}

export function endsWith(source: unknown, suffix: unknown, caseInsensitive: boolean): boolean | null {
  const text = asString(source);
  const end = asString(suffix);
  if (text === null || end === null) return null;
  return caseInsensitive ? fold(text).endsWith(fold(end)) : text.endsWith(end);
}

export function startsWith(source: unknown, prefix: unknown, caseInsensitive: boolean): boolean | null {
  const text = asString(source);
  const start = asString(prefix);
  if (text === null || start === null) return null;
  return caseInsensitive ? fold(text).startsWith(fold(start)) : text.startsWith(start);
}

export function stringContains(source: unknown, needle: unknown, caseInsensitive: boolean): boolean | null {
  const text = asString(source);
  const part = asString(needle);
  if (text === null || part === null) return null;
  return caseInsensitive ? fold(text).includes(fold(part)) : text.includes(part);
}

/** First index of `needle` at or after `start` (default 0); null when not found. */
export function indexOf(source: unknown, needle: unknown, start: unknown, caseInsensitive: boolean): number | null {
  const text = asString(source);
  const part = asString(needle);
  if (text === null || part === null) return null;
  const from = start === null || start === undefined ? 0 : asNumber(start);
  if (from === null) return null;
  const at = caseInsensitive
    ? fold(text).indexOf(fold(part), Math.max(0, Math.trunc(from)))
    : text.indexOf(part, Math.max(0, Math.trunc(from)));
  return at < 0 ? null : at;
}

/** Length in UTF-16 code units, as Java's String.length(). */
export function length(source: unknown): number | null {
  const text = asString(source);
  return text === null ? null : text.length;
}

/** Python-style slice: negative positions count from the end; out-of-range positions are clamped. */
export function substring(source: unknown, start: unknown, end: unknown): string | null {
  const text = asString(source);
  if (text === null) return null;
  const size = text.length;
  let from = start === null || start === undefined ? 0 : asNumber(start);
  let to = end === null || end === undefined ? size : asNumber(end);
  if (from === null || to === null) return null;
  from = Math.trunc(from);
  to = Math.trunc(to);
  if (from < 0) from = Math.max(0, from + size);
  if (to < 0) to = Math.max(0, to + size);
  if (to > size) to = size;
  if (from >= to) return "";
  return text.substring(from, to);
}

/** `cidrMatch` over a value: null for null, false for a value that is not an IP address. */
export function cidrMatch(source: unknown, blocks: readonly CidrBlock[]): boolean | null {
  if (source === null || source === undefined) return null;
  const text = asString(source);
  return text === null ? false : ipInBlocks(text, blocks);
}

// ---------------------------------------------------------------- conversion

const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * `number(text, base)`: base 10 reads an integer or a decimal fraction,
 * other bases an integer (base 16 may start with 0x). Surrounding blanks are
 * ignored, as Java's parser does for decimals. Null when unreadable.
 */
export function toNumber(source: unknown, base: unknown): number | null {
  const raw = asString(source);
  if (raw === null) return null;
  const radix = base === null || base === undefined ? 10 : asNumber(base);
  if (radix === null || !Number.isInteger(radix) || radix < 2 || radix > 36) return null;
  if (radix === 10) {
    const text = raw.trim();
    if (DECIMAL_INTEGER.test(text)) return Number(text);
    return DECIMAL_FLOAT.test(text) ? Number(text) : null;
  }
  let text = raw;
  let sign = 1;
  if (text.startsWith("-") || text.startsWith("+")) {
    if (text.startsWith("-")) sign = -1;
    text = text.slice(1);
  }
  if (radix === 16 && (text.startsWith("0x") || text.startsWith("0X"))) text = text.slice(2);
  if (text === "") return null;
  let value = 0;
  for (const ch of fold(text)) {
    const digit = DIGITS.indexOf(ch);
    if (digit < 0 || digit >= radix) return null;
    value = value * radix + digit;
  }
  return sign * value;
}

// ---------------------------------------------------------------- arithmetic

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%";

/**
 * Arithmetic as Elasticsearch's scripts do it: null if either side is null or
 * not a number; long operands give a long (division truncates toward zero,
 * remainder keeps the dividend's sign), a double operand gives a double.
 * Long division or remainder by zero is null (Elasticsearch fails the search).
 */
export function arithmetic(op: ArithmeticOp, left: unknown, right: unknown, float: boolean): number | null {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a === null || b === null) return null;
  const integral = !float && Number.isInteger(a) && Number.isInteger(b);
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (!integral) return a / b;
      return b === 0 ? null : Math.trunc(a / b);
    case "%":
      if (integral && b === 0) return null;
      return a % b;
  }
}

// ---------------------------------------------------------------- compiling calls

function typeError(expr: ScriptExpr, message: string): EqlError {
  return new EqlError("type", message, expr.span);
}

/** The value of a constant argument, for checks and precompilation. */
function constantOf(expr: ScriptExpr): unknown {
  return expr.constant ? expr.evaluate([]) : undefined;
}

function requireConstantType(call: FunctionCall, expr: ScriptExpr, position: number, kind: "string" | "number") {
  if (!expr.constant) return;
  const value = constantOf(expr);
  if (value !== null && typeof value !== kind) {
    // reported at the call, as Elasticsearch does ("first argument of [length(1)] must be [string]")
    throw new EqlError(
      "type",
      `argument ${position} of ${call.name}() must be a ${kind}, found ${JSON.stringify(value)}`,
      call.span,
    );
  }
}

function arg(args: readonly ScriptExpr[], index: number): ScriptExpr | undefined {
  return args[index];
}

function need(call: FunctionCall, args: readonly ScriptExpr[], index: number): ScriptExpr {
  const expr = args[index];
  if (expr === undefined) {
    throw new EqlError("arity", `${call.name}() needs at least ${index + 1} arguments`, call.span);
  }
  return expr;
}

function compileCidrBlocks(blocks: readonly ScriptExpr[]): (slots: readonly unknown[]) => CidrBlock[] | null {
  const constantBlocks: CidrBlock[] = [];
  const dynamic: ScriptExpr[] = [];
  for (const expr of blocks) {
    if (!expr.constant) {
      dynamic.push(expr);
      continue;
    }
    const value = constantOf(expr);
    if (typeof value !== "string") {
      throw typeError(expr, `cidrMatch() addresses must be strings in CIDR notation, found ${JSON.stringify(value)}`);
    }
    const block = parseCidr(value);
    if (block === null) {
      throw new EqlError(
        "invalid",
        `"${value}" is not a valid CIDR block (expected e.g. "10.0.0.0/8" or "fe80::/10")`,
        expr.span,
      );
    }
    constantBlocks.push(block);
  }
  if (dynamic.length === 0) return () => constantBlocks;
  return (slots) => {
    const all = [...constantBlocks];
    for (const expr of dynamic) {
      const value = expr.evaluate(slots);
      if (value === null || value === undefined) return null;
      const block = typeof value === "string" ? parseCidr(value) : null;
      if (block !== null) all.push(block);
    }
    return all;
  };
}

/**
 * Compile a call whose arguments are already compiled script expressions.
 * `caseInsensitive` is the call's `~` or the request-wide option.
 */
export function compileCall(call: FunctionCall, args: readonly ScriptExpr[], caseInsensitive: boolean): ScriptExpr {
  const span = call.span;
  const constant = args.every((expr) => expr.constant);
  const make = (evaluate: Evaluate, float = false): ScriptExpr => ({ evaluate, float, constant, span });
  const signature = FUNCTIONS_BY_NAME.get(call.name);
  if (call.caseInsensitive && signature && !signature.caseInsensitiveForm) {
    throw new EqlError("unknown_function", `${call.name}() has no case-insensitive form; remove the ~`, call.nameSpan);
  }
  if (signature && args.length > signature.maxArgs) {
    const most = signature.maxArgs === signature.minArgs ? `${signature.maxArgs}` : `at most ${signature.maxArgs}`;
    throw new EqlError(
      "arity",
      `${call.name}() takes ${most} argument${signature.maxArgs === 1 ? "" : "s"}, found ${args.length}`,
      call.span,
    );
  }

  switch (call.name) {
    case "add":
    case "subtract":
    case "multiply":
    case "divide":
    case "modulo": {
      const op = ({ add: "+", subtract: "-", multiply: "*", divide: "/", modulo: "%" } as const)[call.name];
      const left = need(call, args, 0);
      const right = need(call, args, 1);
      requireConstantType(call, left, 1, "number");
      requireConstantType(call, right, 2, "number");
      const float = left.float || right.float;
      return make((slots) => arithmetic(op, left.evaluate(slots), right.evaluate(slots), float), float);
    }
    case "between": {
      const [source, left, right] = [need(call, args, 0), need(call, args, 1), need(call, args, 2)];
      const greedy = arg(args, 3);
      requireConstantType(call, left, 2, "string");
      requireConstantType(call, right, 3, "string");
      if (greedy?.constant) {
        const value = constantOf(greedy);
        if (value !== null && typeof value !== "boolean") {
          throw new EqlError(
            "type",
            `argument 4 of between() must be a boolean, found ${JSON.stringify(value)}`,
            call.span,
          );
        }
      }
      return make((slots) =>
        between(
          source.evaluate(slots),
          left.evaluate(slots),
          right.evaluate(slots),
          greedy === undefined ? false : greedy.evaluate(slots),
          caseInsensitive,
        ),
      );
    }
    case "cidrMatch": {
      const source = need(call, args, 0);
      const blocks = compileCidrBlocks(args.slice(1));
      return make((slots) => {
        const list = blocks(slots);
        return list === null ? null : cidrMatch(source.evaluate(slots), list);
      });
    }
    case "concat": {
      const floats = args.map((expr) => expr.float);
      const values: unknown[] = new Array(args.length).fill(null);
      return make((slots) => {
        for (let i = 0; i < args.length; i++) values[i] = (args[i] as ScriptExpr).evaluate(slots);
        return concat(values, floats);
      });
    }
    case "endsWith":
    case "startsWith":
    case "stringContains": {
      const implementation = { endsWith, startsWith, stringContains }[call.name];
      const source = need(call, args, 0);
      const other = need(call, args, 1);
      requireConstantType(call, other, 2, "string");
      return make((slots) => implementation(source.evaluate(slots), other.evaluate(slots), caseInsensitive));
    }
    case "indexOf": {
      const source = need(call, args, 0);
      const needle = need(call, args, 1);
      const start = arg(args, 2);
      requireConstantType(call, needle, 2, "string");
      if (start !== undefined) requireConstantType(call, start, 3, "number");
      return make((slots) =>
        indexOf(source.evaluate(slots), needle.evaluate(slots), start?.evaluate(slots) ?? null, caseInsensitive),
      );
    }
    case "length": {
      const source = need(call, args, 0);
      requireConstantType(call, source, 1, "string");
      return make((slots) => length(source.evaluate(slots)));
    }
    case "number": {
      const source = need(call, args, 0);
      const base = arg(args, 1);
      requireConstantType(call, source, 1, "string");
      if (base !== undefined) {
        requireConstantType(call, base, 2, "number");
        const value = constantOf(base);
        if (typeof value === "number" && (!Number.isInteger(value) || value < 2 || value > 36)) {
          throw new EqlError("invalid", `number() base must be an integer from 2 to 36, found ${value}`, base.span);
        }
      }
      return make((slots) => toNumber(source.evaluate(slots), base === undefined ? null : base.evaluate(slots)));
    }
    case "string": {
      const source = need(call, args, 0);
      return make((slots) => toEqlString(source.evaluate(slots), source.float));
    }
    case "substring": {
      const source = need(call, args, 0);
      const start = need(call, args, 1);
      const end = arg(args, 2);
      requireConstantType(call, source, 1, "string");
      requireConstantType(call, start, 2, "number");
      if (end !== undefined) requireConstantType(call, end, 3, "number");
      return make((slots) =>
        substring(source.evaluate(slots), start.evaluate(slots), end === undefined ? null : end.evaluate(slots)),
      );
    }
    default:
      throw unknownFunction(call);
  }
}

/**
 * A Lucene wildcard matcher for `endsWith`/`stringContains` on a field, which
 * Elasticsearch runs as the wildcard query `*arg` / `*arg*` without escaping
 * the argument (so `*` and `?` in it are wildcards, `\` escapes).
 */
export function compileFieldSubstringQuery(
  name: "endsWith" | "stringContains",
  argument: string,
  caseInsensitive: boolean,
): (value: string) => boolean {
  const pattern = name === "endsWith" ? `*${argument}` : `*${argument}*`;
  return compileWildcard(pattern, { caseInsensitive, backslashEscapes: true });
}

function unknownFunction(call: FunctionCall): EqlError {
  const suggestion = suggestFunction(call.name);
  const hint = suggestion ? `, did you mean "${suggestion}"?` : "";
  return new EqlError("unknown_function", `unknown function "${call.name}"${hint}`, call.nameSpan);
}
