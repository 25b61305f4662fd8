import { describe, expect, it } from "vitest";
import { compileFieldGetter, firstValue, parseIsoTimestamp, readTimestamp } from "./values";

const get = (path: string, event: Record<string, unknown>) => compileFieldGetter(path.split("."))(event);

describe("compileFieldGetter", () => {
  it("reads nested objects", () => {
    expect(get("process.name", { process: { name: "nc" } })).toBe("nc");
    expect(get("process.parent.pid", { process: { parent: { pid: 7 } } })).toBe(7);
  });

  it("reads dotted keys at the top", () => {
    expect(get("process.name", { "process.name": "nc" })).toBe("nc");
  });

  it("reads dotted keys inside nested objects", () => {
    const event = { process: { "entry_leader.same_as_process": false } };
    expect(get("process.entry_leader.same_as_process", event)).toBe(false);
    expect(get("a.b.c.d", { a: { "b.c": { d: 1 } } })).toBe(1);
  });

  it("merges a nested and a dotted spelling of the same field when the nested one is missing", () => {
    expect(get("process.name", { process: { pid: 1 }, "process.name": "x" })).toBe("x");
  });

  it("returns arrays of scalars as multi-valued fields", () => {
    expect(get("process.args", { process: { args: ["bash", "-i"] } })).toEqual(["bash", "-i"]);
  });

  it("treats a one-element array as a single value", () => {
    expect(get("event.type", { event: { type: ["start"] } })).toBe("start");
  });

  it("flattens arrays of objects", () => {
    expect(get("a.b", { a: [{ b: 1 }, { b: 2 }, { c: 3 }] })).toEqual([1, 2]);
    expect(get("dns.answers.type", { dns: { answers: [{ type: "A" }, { type: "AAAA" }] } })).toEqual(["A", "AAAA"]);
  });

  it("flattens nested arrays and drops nulls inside arrays", () => {
    expect(get("a", { a: [1, [2, [3]], null] })).toEqual([1, 2, 3]);
    expect(get("a", { a: [null, "x"] })).toBe("x");
  });

  it("treats null, empty arrays, absent keys and objects as missing", () => {
    expect(get("a.b", { a: { b: null } })).toBeUndefined();
    expect(get("a.b", { a: { b: [] } })).toBeUndefined();
    expect(get("a.b", { a: { b: [null] } })).toBeUndefined();
    expect(get("a.b", { a: {} })).toBeUndefined();
    expect(get("a.b", {})).toBeUndefined();
    expect(get("a", { a: { b: 1 } })).toBeUndefined();
    expect(get("a.b.c", { a: "scalar" })).toBeUndefined();
  });

  it("keeps empty strings, zero and false as values", () => {
    expect(get("a", { a: "" })).toBe("");
    expect(get("a", { a: 0 })).toBe(0);
    expect(get("a", { a: false })).toBe(false);
  });

  it("does not read inherited properties", () => {
    expect(get("constructor", {})).toBeUndefined();
    expect(get("toString", {})).toBeUndefined();
  });

  it("firstValue picks the first of several values", () => {
    expect(firstValue(["a", "b"])).toBe("a");
    expect(firstValue("a")).toBe("a");
    expect(firstValue(undefined)).toBeUndefined();
  });
});

describe("timestamps", () => {
  const ts = compileFieldGetter(["@timestamp"]);
  const read = (value: unknown) => readTimestamp({ "@timestamp": value }, ts);

  it("reads ISO-8601 with Z", () => {
    expect(read("2024-01-01T00:00:01.000Z")).toBe(Date.UTC(2024, 0, 1, 0, 0, 1));
  });

  it("reads offsets", () => {
    expect(read("2024-01-01T02:00:00+02:00")).toBe(Date.UTC(2024, 0, 1, 0, 0, 0));
    expect(read("2024-01-01T00:00:00-0130")).toBe(Date.UTC(2024, 0, 1, 1, 30, 0));
  });

  it("keeps sub-millisecond fractions so nanosecond timestamps order", () => {
    const a = read("2024-01-01T00:00:00.000000001Z") as number;
    const b = read("2024-01-01T00:00:00.000000900Z") as number;
    expect(b).toBeGreaterThan(a);
    expect(read("2024-01-01T00:00:00.123456789Z")).toBeCloseTo(Date.UTC(2024, 0, 1) + 123.456789, 6);
  });

  it("reads a date without time and a time without offset as UTC", () => {
    expect(read("2024-03-04")).toBe(Date.UTC(2024, 2, 4));
    expect(read("2024-03-04T05:06:07")).toBe(Date.UTC(2024, 2, 4, 5, 6, 7));
  });

  it("reads epoch milliseconds as a number or numeric string", () => {
    expect(read(1700000000000)).toBe(1700000000000);
    expect(read("1700000000000")).toBe(1700000000000);
    expect(read("1700000000000.5")).toBe(1700000000000.5);
  });

  it("uses the first value of an array", () => {
    expect(read(["2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"])).toBe(Date.UTC(2024, 0, 1));
  });

  it("is undefined for missing or unreadable values", () => {
    expect(read(undefined)).toBeUndefined();
    expect(read("yesterday")).toBeUndefined();
    expect(read("2024-13-01T00:00:00Z")).toBeUndefined();
    expect(read(true)).toBeUndefined();
    expect(parseIsoTimestamp("2024-01-01T25:00:00Z")).toBeUndefined();
  });
});
