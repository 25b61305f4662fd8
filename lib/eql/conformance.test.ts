/**
 * Data-driven conformance suite: every `[[case]]` in lib/eql/conformance/*.toml
 * becomes one test that runs the query over a fixture and compares the ids of
 * the returned events (or the error code and position) with what Elasticsearch
 * would return. The format is described in lib/eql/conformance/README.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import { fieldTypesFromMapping, run } from "./index";
import type { EqlEvent, EqlOptions, EqlResult } from "./types";

const CONFORMANCE_DIR = path.join(import.meta.dirname, "conformance");

/** A placeholder for an event a sequence proved absent (`![...]`) has no id. */
const MISSING_EVENT_ID = -1;

const FILE_KEYS = new Set(["events", "options", "case"]);
const CASE_KEYS = new Set([
  "name",
  "query",
  "expected",
  "error",
  "events",
  "options",
  "join_keys",
  "source",
  "note",
  "known_gap",
]);
const ERROR_KEYS = new Set(["code", "line", "column", "message_contains"]);
const OPTION_KEYS: Record<string, keyof EqlOptions> = {
  size: "size",
  max_samples_per_key: "maxSamplesPerKey",
  case_insensitive: "caseInsensitive",
  tiebreaker_field: "tiebreakerField",
  timestamp_field: "timestampField",
  event_category_field: "eventCategoryField",
};

type Ids = number[] | number[][];

interface ExpectedError {
  code: string;
  line?: number;
  column?: number;
  messageContains?: string;
}

interface ConformanceCase {
  name: string;
  query: string;
  fixture: string;
  options: EqlOptions;
  expected: Ids | null;
  error: ExpectedError | null;
  joinKeys: unknown[][] | null;
  knownGap: string | null;
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** TOML has no null: an empty inline table `{}` stands for it in join_keys. */
function tomlValue(value: unknown): unknown {
  return isTable(value) && Object.keys(value).length === 0 ? null : value;
}

function unknownKeys(table: Table, allowed: Set<string>): string[] {
  return Object.keys(table).filter((key) => !allowed.has(key));
}

function toOptions(raw: unknown, where: string): EqlOptions {
  if (raw === undefined) return {};
  if (!isTable(raw)) throw new Error(`${where}: options must be a table`);
  const options: EqlOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "mapping") {
      if (typeof value !== "string") throw new Error(`${where}: mapping must name a JSON file in conformance/`);
      options.fieldTypes = fieldTypesFromMapping(JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, value), "utf8")));
      continue;
    }
    const target = OPTION_KEYS[key];
    if (target === undefined) throw new Error(`${where}: unknown option "${key}"`);
    (options as Record<string, unknown>)[target] = value;
  }
  return options;
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id));
}

function toIds(raw: unknown, where: string): Ids {
  if (isIdList(raw)) return raw;
  if (Array.isArray(raw) && raw.every(isIdList)) return raw as number[][];
  throw new Error(`${where}: expected must be a list of ids or a list of id lists`);
}

function toError(raw: unknown, where: string): ExpectedError {
  if (!isTable(raw)) throw new Error(`${where}: error must be a table`);
  const extra = unknownKeys(raw, ERROR_KEYS);
  if (extra.length > 0) throw new Error(`${where}: unknown error keys ${extra.join(", ")}`);
  if (typeof raw.code !== "string") throw new Error(`${where}: error.code must be a string`);
  for (const key of ["line", "column"] as const) {
    if (raw[key] !== undefined && !Number.isInteger(raw[key]))
      throw new Error(`${where}: error.${key} must be an integer`);
  }
  if (raw.message_contains !== undefined && typeof raw.message_contains !== "string") {
    throw new Error(`${where}: error.message_contains must be a string`);
  }
  return {
    code: raw.code,
    line: raw.line as number | undefined,
    column: raw.column as number | undefined,
    messageContains: raw.message_contains as string | undefined,
  };
}

function toCase(raw: unknown, index: number, fileFixture: unknown, fileOptions: EqlOptions): ConformanceCase {
  const where = `case #${index + 1}`;
  if (!isTable(raw)) throw new Error(`${where}: must be a table`);
  const label = typeof raw.name === "string" ? `${where} "${raw.name}"` : where;
  const extra = unknownKeys(raw, CASE_KEYS);
  if (extra.length > 0) throw new Error(`${label}: unknown keys ${extra.join(", ")}`);
  if (typeof raw.name !== "string" || raw.name.trim() === "") throw new Error(`${label}: name is required`);
  if (typeof raw.query !== "string") throw new Error(`${label}: query is required`);
  if (typeof raw.source !== "string" || raw.source.trim() === "") {
    throw new Error(`${label}: source is required (where the fact comes from)`);
  }
  if ((raw.expected === undefined) === (raw.error === undefined)) {
    throw new Error(`${label}: exactly one of expected or error is required`);
  }
  const fixture = raw.events ?? fileFixture;
  if (typeof fixture !== "string") throw new Error(`${label}: no events fixture (set events at file or case level)`);
  if (raw.known_gap !== undefined && (typeof raw.known_gap !== "string" || raw.known_gap.trim() === "")) {
    throw new Error(`${label}: known_gap must be a non-empty reason`);
  }
  if (raw.join_keys !== undefined && !(Array.isArray(raw.join_keys) && raw.join_keys.every(Array.isArray))) {
    throw new Error(`${label}: join_keys must be a list of key lists, one per result`);
  }
  return {
    name: raw.name,
    query: raw.query,
    fixture,
    options: { ...fileOptions, ...toOptions(raw.options, label) },
    expected: raw.expected === undefined ? null : toIds(raw.expected, label),
    error: raw.error === undefined ? null : toError(raw.error, label),
    joinKeys: raw.join_keys === undefined ? null : (raw.join_keys as unknown[][]).map((keys) => keys.map(tomlValue)),
    knownGap: (raw.known_gap as string | undefined) ?? null,
  };
}

function loadCases(file: string): ConformanceCase[] {
  const document = parseToml(readFileSync(path.join(CONFORMANCE_DIR, file), "utf8")) as Table;
  const extra = unknownKeys(document, FILE_KEYS);
  if (extra.length > 0) throw new Error(`${file}: unknown top-level keys ${extra.join(", ")}`);
  if (!Array.isArray(document.case) || document.case.length === 0) throw new Error(`${file}: no [[case]] entries`);
  const fileOptions = toOptions(document.options, file);
  const cases = document.case.map((raw, index) => toCase(raw, index, document.events, fileOptions));
  const seen = new Set<string>();
  for (const conformanceCase of cases) {
    if (seen.has(conformanceCase.name)) throw new Error(`${file}: duplicate case name "${conformanceCase.name}"`);
    seen.add(conformanceCase.name);
  }
  return cases;
}

const fixtures = new Map<string, EqlEvent[]>();

function loadFixture(name: string): EqlEvent[] {
  const cached = fixtures.get(name);
  if (cached) return cached;
  const lines = readFileSync(path.join(CONFORMANCE_DIR, name), "utf8").split("\n");
  const events: EqlEvent[] = [];
  const ids = new Set<number>();
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const event = JSON.parse(line) as EqlEvent;
    if (!Number.isInteger(event.id) || ids.has(event.id as number)) {
      throw new Error(`${name}:${index + 1}: every event needs a unique integer id`);
    }
    ids.add(event.id as number);
    events.push(event);
  });
  fixtures.set(name, events);
  return events;
}

function eventId(event: EqlEvent): number {
  return Number.isInteger(event.id) ? (event.id as number) : MISSING_EVENT_ID;
}

function resultIds(results: EqlResult[], expected: Ids): Ids {
  const grouped = expected.length > 0 && Array.isArray(expected[0]);
  if (!grouped) {
    return results.map((result) => {
      if (result.kind !== "event") throw new Error(`expected event results, got a ${result.kind}`);
      return eventId(result.event);
    });
  }
  return results.map((result) => {
    if (result.kind === "event") throw new Error("expected sequence or sample results, got an event");
    return result.events.map(eventId);
  });
}

function runCase(conformanceCase: ConformanceCase): void {
  const events = loadFixture(conformanceCase.fixture);
  if (conformanceCase.error) {
    const expectedError = conformanceCase.error;
    let thrown: unknown = null;
    try {
      run(conformanceCase.query, events, conformanceCase.options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, "the query should be rejected").toBeInstanceOf(EqlError);
    const error = thrown as EqlError;
    expect({ code: error.code, line: error.line, column: error.column }).toEqual({
      code: expectedError.code,
      line: expectedError.line ?? error.line,
      column: expectedError.column ?? error.column,
    });
    if (expectedError.messageContains !== undefined) {
      expect(error.message.toLowerCase()).toContain(expectedError.messageContains.toLowerCase());
    }
    return;
  }
  const expected = conformanceCase.expected as Ids;
  const results = run(conformanceCase.query, events, conformanceCase.options);
  expect(resultIds(results, expected)).toEqual(expected);
  if (conformanceCase.joinKeys) {
    const joinKeys = results.map((result) => (result.kind === "event" ? [] : result.joinKeys));
    expect(joinKeys).toEqual(conformanceCase.joinKeys);
  }
}

const caseFiles = readdirSync(CONFORMANCE_DIR)
  .filter((file) => file.endsWith(".toml"))
  .sort();

describe("conformance suite layout", () => {
  it("has case files", () => {
    expect(caseFiles.length).toBeGreaterThan(0);
  });
});

for (const file of caseFiles) {
  describe(file, () => {
    let cases: ConformanceCase[];
    try {
      cases = loadCases(file);
    } catch (error) {
      it("is well-formed", () => {
        throw error;
      });
      return;
    }
    for (const conformanceCase of cases) {
      const test = conformanceCase.knownGap ? it.fails : it;
      const title = conformanceCase.knownGap
        ? `${conformanceCase.name} [known gap: ${conformanceCase.knownGap}]`
        : conformanceCase.name;
      test(title, () => runCase(conformanceCase));
    }
  });
}
