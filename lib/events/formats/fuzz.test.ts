/**
 * Adapter fuzz: every format adapter, given any JSON object, either returns a
 * normalized event or a typed rejection ({ ok: false, message }); it never
 * throws, never pollutes Object.prototype, and its events can be stored
 * (JSON.stringify). `npm run fuzz` raises the run counts through FUZZ_RUNS.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { detectFormat, getAdapter, sniffFormat } from "../detect-format";
import { EVENT_FORMATS, type FormatAdapter } from "./types";

/**
 * FUZZ_RUNS is the total number of inputs for all fuzz properties of the
 * project; this file takes half of it (lib/eql/fuzz.test.ts the other half),
 * split evenly over its properties.
 */
const PROPERTIES_HERE = EVENT_FORMATS.length + 1;
const TOTAL = Number(process.env.FUZZ_RUNS);
const LONG = Number.isInteger(TOTAL) && TOTAL > 0;
const RUNS = LONG ? Math.ceil(TOTAL / 2 / PROPERTIES_HERE) : 400;
const TIMEOUT = LONG ? 0 : 30_000;

/**
 * Keys each adapter reads, taken from its source's string literals, so that
 * generated objects reach the adapters' branches instead of failing at the
 * first missing field.
 */
function adapterKeys(format: string): string[] {
  const source = readFileSync(path.join(import.meta.dirname, `${format}.ts`), "utf8");
  const keys = new Set<string>();
  for (const match of source.matchAll(/"([A-Za-z_@][\w.@-]{0,40})"/g)) {
    const name = match[1]!;
    keys.add(name);
    for (const segment of name.split(".")) keys.add(segment);
  }
  return [...keys];
}

const ALL_KEYS = [...new Set(EVENT_FORMATS.flatMap(adapterKeys))];
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", "a.", ".b"];

const scalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1,
    1.5,
    1e21,
    -1e21,
    1_700_000_000,
    1_700_000_000_000,
    1_700_000_000_000_000_000,
    "",
    " ",
    "2024-04-01T10:00:00Z",
    "2024-04-01T10:00:00.123456789+02:00",
    "2024-04-01 10:00",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1700000000",
    "not a date",
    "containerd://abc",
    "host",
    "registry:5000/a/b:1@sha256:x",
    "/bin/sh -c 'a \\' b",
    "\u0000\u001b[31m",
    "<img src=x onerror=alert(1)>",
    "\ud800",
  ),
  fc.string({ maxLength: 16 }),
  fc.integer(),
  fc.double(),
);

function keyFor(pool: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
}

/** JSON objects over `pool`'s keys, nested a few levels, arrays and wrong types everywhere. */
function jsonObject(pool: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const key = keyFor(pool);
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 4, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
      { weight: 3, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 8 }) },
    ),
  }));
  // Round-tripped through JSON, as the reader hands them over ("__proto__" becomes an own key).
  return fc
    .dictionary(key, value, { maxKeys: 10 })
    .map((object) => JSON.parse(JSON.stringify(object)) as Record<string, unknown>);
}

/** The smallest valid event of each format; random fields are merged into it so the "ok" branch is reached. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  ecs: { "@timestamp": "2024-04-01T10:00:00Z", event: { category: ["process"] }, process: { name: "nc" } },
  falco: { time: "2024-04-01T10:00:00Z", rule: "r", output_fields: { "proc.name": "nc" } },
  tetragon: { time: "2024-04-01T10:00:00Z", process_exec: { process: { binary: "/bin/ls" } } },
  datadog: { date: "2024-04-01T10:00:00Z", evt: { name: "exec" }, process: {} },
};

/** Merges `overrides` into `base` one level down, so nested template objects get hostile siblings too. */
function merge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  for (const [name, value] of Object.entries(overrides)) {
    // Own keys only: merged.__proto__ would be Object.prototype itself.
    const inner = Object.hasOwn(merged, name) ? merged[name] : undefined;
    const isObject = (item: unknown): item is Record<string, unknown> =>
      item !== null && typeof item === "object" && !Array.isArray(item);
    if (isObject(inner) && isObject(value)) {
      for (const [innerName, innerValue] of Object.entries(value)) {
        Object.defineProperty(inner, innerName, {
          value: innerValue,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    } else Object.defineProperty(merged, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

function eventOf(format: string): fc.Arbitrary<Record<string, unknown>> {
  const random = jsonObject(adapterKeys(format));
  return fc.oneof(
    random,
    random.map((overrides) => merge(TEMPLATES[format]!, overrides)),
  );
}

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

function checkResult(adapter: FormatAdapter, raw: Record<string, unknown>): "ok" | "rejected" {
  const score = adapter.detect(raw);
  expect(typeof score).toBe("number");
  const result = adapter.toEcs(raw);
  if (result.ok) {
    expect(result.event).toBeTypeOf("object");
    expect(Array.isArray(result.event)).toBe(false);
    // Stored as JSON; must serialise.
    expect(typeof JSON.stringify(result.event)).toBe("string");
    return "ok";
  }
  expect(result.message).toBeTypeOf("string");
  expect(result.message.length).toBeGreaterThan(0);
  if (result.field !== undefined) expect(result.field).toBeTypeOf("string");
  return "rejected";
}

describe("format adapter fuzz", () => {
  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  for (const format of EVENT_FORMATS) {
    it(
      `${format}: any JSON object gives an event or a typed rejection, never a throw`,
      () => {
        const adapter = getAdapter(format);
        const outcomes = { ok: 0, rejected: 0 };
        fc.assert(
          fc.property(eventOf(format), (raw) => {
            outcomes[checkResult(adapter, raw)]++;
          }),
          { numRuns: RUNS },
        );
        // Both branches must be reached, or the generator is not exercising the adapter.
        expect(outcomes.rejected).toBeGreaterThan(0);
        expect(outcomes.ok).toBeGreaterThan(0);
      },
      TIMEOUT,
    );
  }

  it(
    "format detection, line sniffing and every adapter survive fully arbitrary values (not only JSON)",
    () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(fc.object({ maxDepth: 3 }), jsonObject(ALL_KEYS)) as fc.Arbitrary<Record<string, unknown>>,
            { minLength: 1, maxLength: 3 },
          ),
          (samples) => {
            const detected = detectFormat(samples);
            expect(EVENT_FORMATS).toContain(detected.format);
            for (const sample of samples) {
              const sniffed = sniffFormat(sample);
              if (sniffed !== undefined) expect(EVENT_FORMATS).toContain(sniffed);
            }
            for (const format of EVENT_FORMATS) {
              for (const sample of samples) {
                const result = getAdapter(format).toEcs(sample);
                expect(typeof result.ok).toBe("boolean");
              }
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
