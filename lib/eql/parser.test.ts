import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expr, Query } from "./ast";
import { EqlError } from "./errors";
import { KEYWORDS } from "./lexer";
import { parse, parseExpression } from "./parser";
import { print, printExpr } from "./printer";

/** The tree without positions, to compare shapes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "span" && key !== "nameSpan")
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return value;
}

function errorOf(text: string): EqlError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof EqlError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

const field = (...path: string[]) => ({ kind: "field", path, optional: false });
const str = (value: string) => ({ kind: "literal", value, type: "string" });
const int = (value: number) => ({ kind: "literal", value, type: "integer" });

describe("expressions", () => {
  it("binds and tighter than or, and not tighter than and", () => {
    expect(printExpr(parseExpression("not a or b and c"))).toBe("not a or b and c");
    expect(shape(parseExpression("not a and b"))).toEqual({
      kind: "and",
      left: { kind: "not", operand: field("a") },
      right: field("b"),
    });
    expect(shape(parseExpression("not a == 1"))).toEqual({
      kind: "not",
      operand: { kind: "compare", op: "==", caseInsensitive: false, left: field("a"), right: int(1) },
    });
  });

  it("gives arithmetic the usual precedence and left associativity", () => {
    expect(printExpr(parseExpression("(a - b) - c * (d + e) % 2"))).toBe("a - b - c * (d + e) % 2");
    expect(shape(parseExpression("-5"))).toEqual(int(-5));
    expect(shape(parseExpression("-x"))).toEqual({ kind: "negate", operand: field("x") });
  });

  it("binds predicates to the value right before them", () => {
    expect(shape(parseExpression('process.name : ("a*", "B")'))).toEqual({
      kind: "match",
      op: "seq",
      caseInsensitive: true,
      value: field("process", "name"),
      patterns: [str("a*"), str("B")],
    });
    expect(shape(parseExpression('x not in~ ("a", y)'))).toEqual({
      kind: "in",
      value: field("x"),
      list: [str("a"), field("y")],
      caseInsensitive: true,
      negated: true,
    });
    const like = parseExpression('x like~ "a?"');
    expect(like).toMatchObject({ kind: "match", op: "like", caseInsensitive: true });
    expect(parseExpression('x regex "a.*"')).toMatchObject({ kind: "match", op: "regex", caseInsensitive: false });
  });

  it("reads fields with dots, backquotes, keywords after a dot and the ? prefix", () => {
    expect(shape(parseExpression("?`my field`.`a.b`.type"))).toEqual({
      kind: "field",
      path: ["my field", "a.b", "type"],
      optional: true,
    });
    expect(shape(parseExpression("@timestamp"))).toEqual(field("@timestamp"));
    expect(shape(parseExpression("event.in"))).toEqual(field("event", "in"));
  });

  it("reads function calls, with and without ~", () => {
    expect(parseExpression('startsWith~(process.name, "Cmd")')).toMatchObject({
      kind: "call",
      name: "startsWith",
      caseInsensitive: true,
      nameSpan: { start: { column: 1 }, end: { column: 12 } },
    });
    expect(parseExpression("length()")).toMatchObject({ kind: "call", args: [] });
  });

  it("decodes strings: escapes, unicode escapes and raw strings", () => {
    expect(parseExpression('"a\\"b\\\\c\\t\\u{1F600}"')).toMatchObject({ value: 'a"b\\c\t😀' });
    expect(parseExpression('"""C:\\Temp\\x"y"""')).toMatchObject({ value: 'C:\\Temp\\x"y' });
    expect(parseExpression("1.5e3")).toMatchObject({ value: 1500, type: "float" });
    expect(parseExpression(".5")).toMatchObject({ value: 0.5, type: "float" });
  });

  it("skips comments", () => {
    expect(shape(parseExpression("a /* note */ == // rest of line\n 1"))).toEqual(shape(parseExpression("a == 1")));
  });
});

describe("queries", () => {
  it("parses the seed rule shape: event filter, in lists, wildcards", () => {
    const query = parse(`process where container.id like "*" and event.type == "start" and
      process.name in ("nc", "ncat", "nmap")`);
    expect(query.kind).toBe("event");
    if (query.kind !== "event") return;
    expect(query.filter.category).toBe("process");
    expect(query.filter.condition.kind).toBe("and");
  });

  it("takes runs on a lone term and on missing events, counting each run as a query", () => {
    const lone = parse("sequence by host.id with maxspan=1m [authentication where true] with runs=10");
    expect(lone).toMatchObject({ kind: "sequence", terms: [{ runs: 10, missing: false }] });
    const missing = parse("sequence [a where true] ![b where true] with runs=2 [c where true]");
    expect(missing).toMatchObject({ terms: [{ runs: 1 }, { runs: 2, missing: true }, { runs: 1 }] });
    expect(errorOf("sequence [a where true] with runs=1").message).toBe(
      "line 1, column 1: a sequence needs at least 2 queries (counting runs), found 1",
    );
  });

  it("parses sequences with keys, maxspan, runs, missing events, until and pipes", () => {
    const query = parse(`sequence by host.name with maxspan=30s
      [process where event.type == "start"] by process.entity_id with runs=2
     ![network where true] by process.entity_id
      [file where true] by process.parent.entity_id
    until [process where event.type == "end"] by process.entity_id
    | head 3 | tail 1`) as Query & { kind: "sequence" };
    expect(query.by.map(printExpr)).toEqual(["host.name"]);
    expect(query.maxspan).toMatchObject({ value: 30, unit: "s", millis: 30_000 });
    expect(query.terms.map((term) => [term.filter.category, term.runs, term.missing])).toEqual([
      ["process", 2, false],
      ["network", 1, true],
      ["file", 1, false],
    ]);
    expect(query.until?.filter.category).toBe("process");
    expect(query.pipes.map((pipe) => [pipe.name, pipe.args.map(printExpr)])).toEqual([
      ["head", ["3"]],
      ["tail", ["1"]],
    ]);
  });

  it("parses samples and quoted categories", () => {
    const query = parse('sample by host.name ["process" where true] [any where x == 1]');
    expect(query).toMatchObject({
      kind: "sample",
      terms: [{ filter: { category: "process" } }, { filter: { category: null } }],
    });
  });

  it.each([
    ["process where", "syntax", 1, 14],
    ["process wher true", "syntax", 1, 9],
    ["process where a == 1 == 2", "syntax", 1, 22],
    ["process where a = 1", "syntax", 1, 17],
    ["process where x in ()", "syntax", 1, 21],
    ["process where 'single'", "syntax", 1, 15],
    ['process where "open', "syntax", 1, 15],
    ['process where "bad \\d escape"', "syntax", 1, 20],
    ["process where x[0] == 1", "unsupported", 1, 16],
    ["process where x : y", "syntax", 1, 19],
    ["sequence [process where true]", "invalid", 1, 1],
    ["sequence [process where true] with runs=1", "invalid", 1, 1],
    ["sequence ![a where true] with runs=3", "invalid", 1, 1],
    ["sequence ![a where true] ![b where true]", "invalid", 1, 1],
    ["sequence [a where true] by x [b where true]", "invalid", 1, 30],
    ["sequence [a where true] with runs=0 [b where true]", "invalid", 1, 35],
    ["sequence [a where true] with runs=101 [b where true]", "invalid", 1, 35],
    ["sequence with maxspan=5 [a where true] [b where true]", "syntax", 1, 23],
    ["sequence with maxspan=1s by x [a where true] [b where true]", "syntax", 1, 26],
    ["sample [a where true]", "invalid", 1, 1],
    ["join [a where true] [b where true]", "unsupported", 1, 1],
    ["process where true |", "syntax", 1, 21],
    ["/* never closed", "syntax", 1, 1],
  ])("rejects %j as %s at %i:%i", (text, code, line, column) => {
    expect(errorOf(text)).toMatchObject({ code, line, column });
  });

  it("reports positions on later lines", () => {
    expect(errorOf("process where\n  a == 1 and\n  b ==")).toMatchObject({ line: 3, column: 7 });
  });

  it("says what it expected and what it found", () => {
    expect(errorOf("process wher true").message).toBe(
      "line 1, column 9: expected 'where' after the event category, found 'wher'",
    );
    expect(errorOf("process where sequence == 1").message).toContain("`sequence`");
  });
});

// ------------------------------------------------------------ round trip

const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
// A keyword is never a function's name in a parsed tree (the parser refuses `by()`), and function names have no
// quoted form, so calls are named from the rest; field names may be keywords, which the printer backquotes.
const functionName = name.filter((candidate) => !KEYWORDS.has(candidate));
const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc.string({ maxLength: 8 }).map((value) => ({ kind: "literal", value, type: "string" }) as Expr),
  fc.integer({ min: 0, max: 10_000 }).map((value) => ({ kind: "literal", value, type: "integer" }) as Expr),
  fc
    .constantFrom(true, false, null)
    .map((value) => ({ kind: "literal", value, type: value === null ? "null" : "boolean" }) as Expr),
);
const fieldRef: fc.Arbitrary<Expr> = fc
  .record({
    path: fc.array(fc.oneof(name, fc.constantFrom("my field", "and", "@t")), { minLength: 1, maxLength: 3 }),
    optional: fc.boolean(),
  })
  .map(({ path, optional }) => ({ kind: "field", path, optional }) as Expr);
const nowhere = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie("expr");
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      literal,
      fieldRef,
      fc.record({ kind: fc.constantFrom("and", "or"), left: sub, right: sub }).map((node) => node as Expr),
      sub.map((operand) => ({ kind: "not", operand }) as Expr),
      fc
        .record({ op: fc.constantFrom("==", "!=", "<", ">="), left: sub, right: sub })
        .map((node) => ({ kind: "compare", caseInsensitive: false, ...node }) as Expr),
      fc
        .record({ op: fc.constantFrom("+", "-", "*", "/", "%"), left: sub, right: sub })
        .map((node) => ({ kind: "arith", ...node }) as Expr),
      fc
        .record({
          value: fieldRef,
          list: fc.array(sub, { minLength: 1, maxLength: 3 }),
          caseInsensitive: fc.boolean(),
          negated: fc.boolean(),
        })
        .map((node) => ({ kind: "in", ...node }) as Expr),
      fc
        .record({
          op: fc.constantFrom("seq", "like", "regex"),
          value: fieldRef,
          patterns: fc.array(literal, { minLength: 1, maxLength: 3 }),
          ci: fc.boolean(),
        })
        .map(
          ({ op, value, patterns, ci }) =>
            ({ kind: "match", op, value, patterns, caseInsensitive: op === "seq" || ci }) as Expr,
        ),
      fc
        .record({ name: functionName, args: fc.array(sub, { maxLength: 3 }), caseInsensitive: fc.boolean() })
        .map((node) => ({ kind: "call", ...node, nameSpan: nowhere }) as Expr),
    ),
  };
});

describe("printing", () => {
  it("prints any expression so that it parses back to the same tree", () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const text = printExpr(tree);
        expect(shape(parseExpression(text))).toEqual(shape(tree));
      }),
      { numRuns: 500 },
    );
  });

  it("prints whole queries that parse back to the same text", () => {
    const text = `sequence by host.name with maxspan=5m
  [process where process.name : "a*"] by process.entity_id with runs=2
  ![file where true] by process.entity_id
until [process where event.type == "end"] by process.entity_id
| tail 2`;
    expect(print(parse(text))).toBe(text);
  });
});

describe("robustness", () => {
  const fragments = fc.constantFrom(
    "process",
    "where",
    "and",
    "or",
    "not",
    "sequence",
    "sample",
    "by",
    "with",
    "maxspan=",
    "runs=",
    "until",
    "[",
    "]",
    "![",
    "(",
    ")",
    "|",
    "head",
    ",",
    ":",
    "==",
    "!=",
    "<",
    "like~",
    "regex",
    "in",
    "in~",
    '"x*"',
    '"""raw"""',
    "`q`",
    "?",
    "f.g",
    "1",
    "-2.5",
    "null",
    "true",
    "length(",
    "5s",
    "/*",
    "*/",
    "//",
    "\n",
    "'",
    "\\",
  );

  it("rejects any input it cannot parse with an EqlError and nothing else", () => {
    const inputs = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join(" ")),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        try {
          parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(EqlError);
          const { line, column } = error as EqlError;
          expect(line).toBeGreaterThanOrEqual(1);
          expect(column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
