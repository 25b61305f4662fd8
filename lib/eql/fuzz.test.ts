/**
 * Evaluator fuzz: whatever shape an event has, running a compiled query over
 * it never throws, and compiling a query throws nothing but EqlError.
 * Parser fuzz lives in parser.test.ts; this file is about evaluation.
 *
 * Queries: every query of the conformance suite (seed rules included) plus
 * generated ones. Events: arbitrary JSON built from the field names those
 * queries use (nested, dotted, arrays, nulls, wrong types) and fully arbitrary
 * values. `npm run fuzz` raises the run counts through FUZZ_RUNS.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import { type CompiledQuery, compile, createRunner, run } from "./runner";
import type { EqlEvent, EqlOptions } from "./types";

/**
 * FUZZ_RUNS is the total number of inputs for all fuzz properties of the
 * project; this file takes half of it (lib/events/formats/fuzz.test.ts the
 * other half), split evenly over its properties.
 */
const PROPERTIES_HERE = 3;
const TOTAL = Number(process.env.FUZZ_RUNS);
const LONG = Number.isInteger(TOTAL) && TOTAL > 0;
const RUNS = LONG ? Math.ceil(TOTAL / 2 / PROPERTIES_HERE) : 300;
const TIMEOUT = LONG ? 0 : 30_000;

interface SuiteQuery {
  query: string;
  options: EqlOptions;
}

const CONFORMANCE_DIR = path.join(import.meta.dirname, "conformance");

/** Every query of the conformance suite with its request options. */
function conformanceQueries(): SuiteQuery[] {
  const queries: SuiteQuery[] = [];
  for (const file of readdirSync(CONFORMANCE_DIR).filter((name) => name.endsWith(".toml"))) {
    const doc = parseToml(readFileSync(path.join(CONFORMANCE_DIR, file), "utf8")) as {
      case?: { query?: unknown; options?: Record<string, unknown> }[];
    };
    for (const entry of doc.case ?? []) {
      if (typeof entry.query !== "string") continue;
      const raw = entry.options ?? {};
      const options: EqlOptions = {};
      if (typeof raw.event_category_field === "string") options.eventCategoryField = raw.event_category_field;
      if (typeof raw.timestamp_field === "string") options.timestampField = raw.timestamp_field;
      if (typeof raw.tiebreaker_field === "string") options.tiebreakerField = raw.tiebreaker_field;
      if (typeof raw.size === "number") options.size = raw.size;
      if (typeof raw.case_insensitive === "boolean") options.caseInsensitive = raw.case_insensitive;
      queries.push({ query: entry.query, options });
    }
  }
  return queries;
}

/** Compiles, letting only EqlError through as "does not compile"; anything else fails the test. */
function tryCompile(query: string, options: EqlOptions): CompiledQuery | null {
  try {
    return compile(query, options);
  } catch (error) {
    if (error instanceof EqlError) return null;
    throw error;
  }
}

const suite = conformanceQueries();
const compiledSuite = suite
  .map((entry) => ({ ...entry, compiled: tryCompile(entry.query, entry.options) }))
  .filter((entry): entry is SuiteQuery & { compiled: CompiledQuery } => entry.compiled !== null);

/** Field names the queries use, whole and by segment, so generated events hit real paths. */
const FIELD_NAMES = (() => {
  const names = new Set<string>(["@timestamp", "event.category", "ts", "kind", "process.name", "container.id"]);
  for (const { query } of suite) {
    const withoutStrings = query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/\*[\s\S]*?\*\//g, " ");
    for (const match of withoutStrings.matchAll(/[A-Za-z_@][\w@]*(?:\.[A-Za-z_@][\w@]*)*/g)) names.add(match[0]);
  }
  return [...names].filter((name) => name.length <= 60);
})();
const SEGMENTS = [...new Set(FIELD_NAMES.flatMap((name) => name.split(".")))];

/** Values that stress comparisons, wildcards, arithmetic and time handling. */
const scalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    2 ** 53,
    -(2 ** 63),
    1e308,
    "",
    "*",
    "?",
    "nc",
    "NC",
    "bash",
    "/bin/sh",
    "-i",
    "10.0.0.1",
    "::1",
    "2026-01-01T00:00:00Z",
    "not a date",
    "\u0000",
    "\ud800",
    "__proto__",
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "", ".", "a..b") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 2, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 5 }) },
  ),
}));

/** An event: an object with query field names at the top, nested or dotted, anything below. */
const event: fc.Arbitrary<EqlEvent> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(key, jsonish, { maxKeys: 8 }) },
  // JSON.parse keeps "__proto__" as an own key; build such events the same way.
  {
    weight: 1,
    arbitrary: fc
      .dictionary(key, jsonish, { maxKeys: 6 })
      .map((value) => JSON.parse(JSON.stringify(value)) as EqlEvent),
  },
  { weight: 1, arbitrary: fc.object({ maxDepth: 3 }) as fc.Arbitrary<EqlEvent> },
);

const events = fc.array(event, { maxLength: 12 });

/** Runs a compiled query two ways (sorted batch and unsorted stream); only EqlError may escape. */
function evaluate(compiled: CompiledQuery, query: string, options: EqlOptions, batch: EqlEvent[]): void {
  try {
    run(query, batch, options);
    const runner = createRunner(compiled);
    for (const item of batch) runner.push(item);
    runner.finish();
  } catch (error) {
    if (!(error instanceof EqlError)) throw error;
  }
}

/** Generated queries: conditions, functions, sequences, samples and pipes over the suite's field names. */
const field = fc.constantFrom(...FIELD_NAMES.filter((name) => /^[A-Za-z_][\w.]*$/.test(name)));
const literal = fc.oneof(
  fc.constantFrom('"nc"', '"*sh"', '"10.0.0.0/8"', "null", "true", "false", "0", "1", "-1", "2.5", '""', '"a*b?"'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const { cond } = fc.letrec<{ cond: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small" },
    field,
    literal,
    fc.tuple(tie("term"), fc.constantFrom("+", "-", "*", "/", "%"), tie("term")).map((p) => `(${p.join(" ")})`),
    fc
      .tuple(
        fc.constantFrom(
          "length",
          "string",
          "number",
          "add",
          "subtract",
          "multiply",
          "divide",
          "modulo",
          "startsWith",
          "endsWith",
          "stringContains",
          "indexOf",
          "substring",
          "concat",
          "between",
          "cidrMatch",
        ),
        fc.array(tie("term"), { minLength: 1, maxLength: 3 }),
      )
      .map(([name, args]) => `${name}(${args.join(", ")})`),
  ),
  cond: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom("true", "false"),
    fc
      .tuple(
        tie("term"),
        fc.constantFrom("==", "!=", "<", "<=", ">", ">=", ":", "like", "like~", "regex", "in"),
        literal,
      )
      .map(([left, op, right]) => (op === "in" ? `${left} in (${right}, "x")` : `${left} ${op} ${right}`)),
    fc.tuple(tie("cond"), fc.constantFrom("and", "or"), tie("cond")).map((p) => `(${p.join(" ")})`),
    tie("cond").map((inner) => `not ${inner}`),
    tie("term").map((term) => `${term} != null`),
  ),
}));
const category = fc.constantFrom("any", "process", "file", "network");
const pipe = fc.constantFrom("", " | head 3", " | tail 2", " | head 1 | tail 1");
const generatedQuery = fc.oneof(
  fc.tuple(category, cond, pipe).map(([cat, where, tail]) => `${cat} where ${where}${tail}`),
  fc
    .tuple(field, fc.array(fc.tuple(category, cond), { minLength: 2, maxLength: 3 }), fc.boolean(), pipe)
    .map(
      ([by, steps, maxspan, tail]) =>
        `sequence by ${by}${maxspan ? " with maxspan=5s" : ""} ${steps.map(([cat, where]) => `[${cat} where ${where}]`).join(" ")}${tail}`,
    ),
  fc
    .tuple(field, fc.array(fc.tuple(category, cond), { minLength: 2, maxLength: 3 }))
    .map(([by, steps]) => `sample by ${by} ${steps.map(([cat, where]) => `[${cat} where ${where}]`).join(" ")}`),
);

describe("EQL evaluator fuzz", () => {
  it("reads the whole conformance suite, seed rules included", () => {
    // Guards against the property below silently running over nothing.
    expect(suite.length).toBeGreaterThan(300);
    expect(compiledSuite.length).toBeGreaterThan(250);
    expect(compiledSuite.some((entry) => entry.query.includes("process.entry_leader.same_as_process"))).toBe(true);
  });

  it(
    "never throws while running any suite query over any event shape",
    () => {
      fc.assert(
        fc.property(fc.nat(compiledSuite.length - 1), events, (index, batch) => {
          const entry = compiledSuite[index]!;
          evaluate(entry.compiled, entry.query, entry.options, batch);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "never throws while running the seed rules over ECS-like events with hostile values",
    () => {
      const seeds = compiledSuite.filter((entry) => entry.query.includes('container.id: "*"'));
      expect(seeds.length).toBeGreaterThanOrEqual(2);
      fc.assert(
        fc.property(fc.array(event, { maxLength: 20 }), (batch) => {
          for (const seed of seeds) evaluate(seed.compiled, seed.query, seed.options, batch);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "compiles generated queries or rejects them with EqlError, and runs them without throwing",
    () => {
      let compiledCount = 0;
      let total = 0;
      fc.assert(
        fc.property(generatedQuery, events, (query, batch) => {
          total++;
          const compiled = tryCompile(query, {});
          if (!compiled) return;
          compiledCount++;
          evaluate(compiled, query, {}, batch);
        }),
        { numRuns: RUNS },
      );
      // Most generated queries must reach the evaluator, or this property tests only the compiler.
      expect(compiledCount / total).toBeGreaterThan(0.3);
    },
    TIMEOUT,
  );
});
