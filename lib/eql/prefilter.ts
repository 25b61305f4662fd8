/**
 * A literal prefilter: from a query, the strings an event's raw JSON line
 * must contain for the event to have any chance of matching, so a reader can
 * skip most lines before paying for JSON.parse.
 *
 * Exactness rests on three facts:
 * - only conditions that can hold for a string value alone give literals:
 *   `f == "nc"`, `f in (…)`, `f : "*nc*"`, `f like "…"`, `startsWith(f, "…")`,
 *   `endsWith`, `stringContains`, and the event category; and only with
 *   constants that cannot also match a number or boolean (no "100", no "true"),
 *   on fields whose type (if known) compares as text;
 * - a JSON string without escapes is its text verbatim between quotes, so a
 *   line without a backslash holds every string value as written, and a
 *   literal that a value must equal, start or end with is searched with the
 *   quote beside it (`"nc"`, `"/tmp/`, `sh"`), which rules out far more lines
 *   than the bare text (`nc` is in `sync`). Only string values match these
 *   conditions: the engine's pattern and string tests take strings alone, and
 *   equality with non-numeric text takes no number or boolean. A line with a
 *   backslash always passes;
 * - a case-insensitive literal is searched in the lowercased line, which is
 *   exact for ASCII; a line with other characters (which Unicode case
 *   folding may match in ways lowercasing does not: `ſ` and `s`) holds it;
 * - `and` needs each side, `or` needs one of them; `not` and anything else
 *   needs nothing. For sequences and samples an event is needed when it may
 *   match any query (missing events and `until` included).
 */
import type { EventFilter, Expr, Query } from "./ast";
import { canonicalFunctionName } from "./function-signatures";
import type { EqlOptions } from "./types";

export interface PrefilterLiteral {
  text: string;
  /** Compare without case: the line and the text are lowercased. */
  caseInsensitive: boolean;
}

/** Literals of which a line must hold at least one. */
type Clause = PrefilterLiteral[];
/** Clauses a line must all satisfy; none means anything may match. */
type Requirement = Clause[];

const NOTHING: Requirement = [];
const NUMERIC_OR_BOOLEAN = /^\s*(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false)\s*$/i;
const TEXT_KINDS = new Set(["keyword", "text"]);
const ASCII = /^[\x00-\x7f]*$/;

export interface LinePrefilter {
  /** False only when the line's event cannot match the query. */
  mayMatch(line: string): boolean;
  /**
   * What mayMatch checks, for readers that search whole blocks of lines at once: a line may
   * match when it satisfies one alternative, that is, holds a literal of each of its clauses.
   */
  readonly alternatives: readonly (readonly (readonly PrefilterLiteral[])[])[];
  /** The literals, for messages and tests: one list of alternatives per query, each a list of clauses. */
  readonly requirements: readonly (readonly (readonly string[])[])[];
}

class Deriver {
  constructor(private readonly options: EqlOptions) {}

  private textField(expr: Expr): boolean {
    if (expr.kind !== "field") return false;
    const type = this.options.fieldTypes?.fields.get(expr.path.join("."));
    // A null_value stands in for `null`, whose line holds no such text.
    return type === undefined || (TEXT_KINDS.has(type.kind) && type.nullValue === undefined);
  }

  /** A string constant that only a string value can match, or null. */
  private text(expr: Expr): string | null {
    if (expr.kind !== "literal" || typeof expr.value !== "string") return null;
    if (expr.value === "" || NUMERIC_OR_BOOLEAN.test(expr.value)) return null;
    return expr.value;
  }

  /**
   * The longest run of plain characters of a wildcard pattern, or null when there is none or it has escapes.
   * A run at the pattern's start or end is anchored there, so it carries the value's quote on that side.
   */
  private patternSegment(pattern: string): string | null {
    if (pattern.includes("\\")) return null;
    const segments = pattern.split(/[*?]/);
    let best = "";
    segments.forEach((segment, index) => {
      if (segment === "") return;
      const anchored = `${index === 0 ? '"' : ""}${segment}${index === segments.length - 1 ? '"' : ""}`;
      if (anchored.length > best.length) best = anchored;
    });
    return best === "" ? null : best;
  }

  private literal(text: string, caseInsensitive: boolean): PrefilterLiteral {
    const ci = caseInsensitive || this.options.caseInsensitive === true;
    return { text: ci ? text.toLowerCase() : text, caseInsensitive: ci };
  }

  /** One clause of literals, or nothing when a case-insensitive one is not plain ASCII. */
  private clause(literals: PrefilterLiteral[]): Requirement {
    return literals.some((literal) => literal.caseInsensitive && !ASCII.test(literal.text)) ? NOTHING : [literals];
  }

  expr(expr: Expr): Requirement {
    switch (expr.kind) {
      case "and":
        return [...this.expr(expr.left), ...this.expr(expr.right)];
      case "or": {
        const left = bestClause(this.expr(expr.left));
        const right = bestClause(this.expr(expr.right));
        return left && right ? [[...left, ...right]] : NOTHING;
      }
      case "compare": {
        if (expr.op !== "==") return NOTHING;
        const [field, constant] = expr.left.kind === "field" ? [expr.left, expr.right] : [expr.right, expr.left];
        const text = this.text(constant);
        if (!this.textField(field) || text === null) return NOTHING;
        return this.clause([this.literal(quoted(text), expr.caseInsensitive)]);
      }
      case "in": {
        if (expr.negated || !this.textField(expr.value)) return NOTHING;
        const texts = expr.list.map((item) => this.text(item));
        if (texts.length === 0 || texts.some((text) => text === null)) return NOTHING;
        return this.clause(texts.map((text) => this.literal(quoted(text as string), expr.caseInsensitive)));
      }
      case "match": {
        if (expr.op === "regex" || !this.textField(expr.value)) return NOTHING;
        const clause: Clause = [];
        for (const pattern of expr.patterns) {
          if (pattern.kind !== "literal" || typeof pattern.value !== "string") return NOTHING;
          const plain = !/[*?]/.test(pattern.value);
          const segment =
            plain && expr.op === "seq" ? quotedOrNull(this.text(pattern)) : this.patternSegment(pattern.value);
          if (segment === null) return NOTHING;
          clause.push(this.literal(segment, expr.op === "seq" || expr.caseInsensitive));
        }
        return clause.length > 0 ? this.clause(clause) : NOTHING;
      }
      case "call": {
        const name = canonicalFunctionName(expr.name);
        if (name !== "startsWith" && name !== "endsWith" && name !== "stringContains") return NOTHING;
        const [field, argument, ...rest] = expr.args;
        if (!field || !argument || rest.length > 0 || !this.textField(field)) return NOTHING;
        if (argument.kind !== "literal" || typeof argument.value !== "string") return NOTHING;
        if (argument.value === "") return NOTHING;
        const segment =
          name === "startsWith"
            ? `"${argument.value}`
            : // Elasticsearch runs these two as wildcard queries, so `*` and `?` in the argument are wildcards.
              this.patternSegment(name === "endsWith" ? `*${argument.value}` : `*${argument.value}*`);
        if (segment === null) return NOTHING;
        return this.clause([this.literal(segment, expr.caseInsensitive)]);
      }
      default:
        return NOTHING;
    }
  }

  filter(filter: EventFilter): Requirement {
    const requirement = this.expr(filter.condition);
    const categoryField = (this.options.eventCategoryField ?? "event.category").split(".");
    const category = filter.category;
    if (category === null || NUMERIC_OR_BOOLEAN.test(category)) return requirement;
    if (!this.textField({ kind: "field", path: categoryField, optional: false, span: filter.span })) return requirement;
    return [[{ text: quoted(category), caseInsensitive: false }], ...requirement];
  }
}

/** A whole string value as its JSON text holds it: between quotes. */
function quoted(text: string): string {
  return `"${text}"`;
}

function quotedOrNull(text: string | null): string | null {
  return text === null ? null : quoted(text);
}

/** The clause that rules out most lines: fewest alternatives, then the longest shortest literal. */
function bestClause(requirement: Requirement): Clause | null {
  let best: Clause | null = null;
  const score = (clause: Clause) => [clause.length, -Math.min(...clause.map((literal) => literal.text.length))];
  for (const clause of requirement) {
    if (best === null) {
      best = clause;
      continue;
    }
    const [length, shortest] = score(clause) as [number, number];
    const [bestLength, bestShortest] = score(best) as [number, number];
    if (length < bestLength || (length === bestLength && shortest < bestShortest)) best = clause;
  }
  return best;
}

function satisfies(line: string, lower: () => string | null, requirement: Requirement): boolean {
  for (const clause of requirement) {
    let found = false;
    for (const literal of clause) {
      const haystack = literal.caseInsensitive ? lower() : line;
      if (haystack === null || haystack.includes(literal.text)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/**
 * The prefilter of a parsed query, or null when some query of it needs no
 * literal (then every line must be read).
 */
export function compilePrefilter(query: Query, options: EqlOptions = {}): LinePrefilter | null {
  const deriver = new Deriver(options);
  const filters =
    query.kind === "event"
      ? [query.filter]
      : [
          ...query.terms.map((term) => term.filter),
          ...(query.kind === "sequence" && query.until ? [query.until.filter] : []),
        ];
  const alternatives = filters.map((filter) => deriver.filter(filter));
  if (alternatives.some((requirement) => requirement.length === 0)) return null;
  return {
    alternatives,
    requirements: alternatives.map((requirement) => requirement.map((clause) => clause.map((literal) => literal.text))),
    mayMatch(line) {
      if (line.includes("\\")) return true;
      let lowered: string | null | undefined;
      // null: the line has non-ASCII text, where lowercasing is not case folding; it may hold any such literal.
      const lower = () => {
        if (lowered === undefined) lowered = ASCII.test(line) ? line.toLowerCase() : null;
        return lowered;
      };
      for (const requirement of alternatives) if (satisfies(line, lower, requirement)) return true;
      return false;
    },
  };
}
