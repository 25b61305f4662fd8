import type { Duration, EventFilter, Expr, Node, Pipe, Query, QueryTerm } from "./ast";
import { KEYWORDS } from "./lexer";

/**
 * Prints an AST back as EQL text that parses to the same tree.
 *
 * Used to show a rule's query normalised (one layout, minimal parentheses
 * decided by precedence) and by the round-trip property test of the parser.
 */

/** Binding strength, loosest first; a child weaker than its parent gets parentheses. */
function precedence(expr: Expr): number {
  switch (expr.kind) {
    case "or":
      return 1;
    case "and":
      return 2;
    case "not":
      return 3;
    case "compare":
      return 4;
    case "arith":
      return expr.op === "+" || expr.op === "-" ? 5 : 6;
    case "negate":
      return 7;
    case "in":
    case "match":
      return 8;
    default:
      return 9;
  }
}

const PLAIN_NAME = /^[A-Za-z_@][A-Za-z0-9_@]*$/;

function printName(segment: string): string {
  if (PLAIN_NAME.test(segment) && !KEYWORDS.has(segment)) return segment;
  return `\`${segment.replaceAll("`", "``")}\``;
}

function printString(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " ") out += `\\u{${ch.codePointAt(0)?.toString(16).padStart(2, "0")}}`;
    else out += ch;
  }
  return `${out}"`;
}

function printNumber(value: number, float: boolean): string {
  const text = String(value);
  if (!float || /[.eE]/.test(text) || !Number.isFinite(value)) return text;
  return `${text}.0`;
}

function wrap(child: Expr, minimum: number): string {
  const text = printExpr(child);
  return precedence(child) < minimum ? `(${text})` : text;
}

export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case "literal":
      if (expr.type === "string") return printString(expr.value as string);
      if (expr.type === "null") return "null";
      if (expr.type === "boolean") return String(expr.value);
      return printNumber(expr.value as number, expr.type === "float");
    case "field":
      return `${expr.optional ? "?" : ""}${expr.path.map(printName).join(".")}`;
    case "not":
      return `not ${wrap(expr.operand, 3)}`;
    case "and":
    case "or": {
      const own = precedence(expr);
      // Both operators are associative, so the left child needs no parentheses at equal strength.
      return `${wrap(expr.left, own)} ${expr.kind} ${wrap(expr.right, own + 1)}`;
    }
    case "compare":
      return `${wrap(expr.left, 5)} ${expr.op} ${wrap(expr.right, 5)}`;
    case "arith": {
      const own = precedence(expr);
      return `${wrap(expr.left, own)} ${expr.op} ${wrap(expr.right, own + 1)}`;
    }
    case "negate":
      return `-${wrap(expr.operand, 8)}`;
    case "in": {
      const op = `${expr.negated ? "not " : ""}in${expr.caseInsensitive ? "~" : ""}`;
      return `${wrap(expr.value, 9)} ${op} (${expr.list.map(printExpr).join(", ")})`;
    }
    case "match": {
      const op = expr.op === "seq" ? ":" : `${expr.op}${expr.caseInsensitive ? "~" : ""}`;
      const patterns = expr.patterns.map(printExpr);
      const operand = patterns.length === 1 ? patterns[0] : `(${patterns.join(", ")})`;
      return `${wrap(expr.value, 9)} ${op} ${operand}`;
    }
    case "call":
      return `${expr.name}${expr.caseInsensitive ? "~" : ""}(${expr.args.map(printExpr).join(", ")})`;
  }
}

function printFilter(filter: EventFilter): string {
  const category =
    filter.category === null
      ? "any"
      : PLAIN_NAME.test(filter.category) && !KEYWORDS.has(filter.category)
        ? filter.category
        : printString(filter.category);
  return `${category} where ${printExpr(filter.condition)}`;
}

function printDuration(duration: Duration): string {
  return `${duration.value}${duration.unit}`;
}

function printBy(keys: readonly Expr[]): string {
  return keys.length === 0 ? "" : ` by ${keys.map(printExpr).join(", ")}`;
}

function printTerm(term: QueryTerm): string {
  const runs = term.runs > 1 ? ` with runs=${term.runs}` : "";
  return `${term.missing ? "!" : ""}[${printFilter(term.filter)}]${printBy(term.by)}${runs}`;
}

function printPipe(pipe: Pipe): string {
  return `| ${pipe.name}${pipe.args.length > 0 ? ` ${pipe.args.map(printExpr).join(", ")}` : ""}`;
}

function printQuery(query: Query): string {
  const lines: string[] = [];
  if (query.kind === "event") {
    lines.push(printFilter(query.filter));
  } else if (query.kind === "sequence") {
    const maxspan = query.maxspan ? ` with maxspan=${printDuration(query.maxspan)}` : "";
    lines.push(`sequence${printBy(query.by)}${maxspan}`);
    for (const term of query.terms) lines.push(`  ${printTerm(term)}`);
    if (query.until) lines.push(`until ${printTerm(query.until)}`);
  } else {
    lines.push(`sample${printBy(query.by)}`);
    for (const term of query.terms) lines.push(`  ${printTerm(term)}`);
  }
  for (const pipe of query.pipes) lines.push(printPipe(pipe));
  return lines.join("\n");
}

/** EQL text for a query, an expression, or any other node. */
export function print(node: Node): string {
  if ("kind" in node) {
    switch (node.kind) {
      case "event":
      case "sequence":
      case "sample":
        return printQuery(node);
      case "filter":
        return printFilter(node);
      case "pipe":
        return printPipe(node);
      default:
        return printExpr(node);
    }
  }
  if ("unit" in node) return printDuration(node);
  return printTerm(node);
}
