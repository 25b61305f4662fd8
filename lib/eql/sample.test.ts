import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { run } from "./runner";
import { compareJoinKeys, pickDistinct } from "./sample";
import type { EqlEvent, EqlResult } from "./types";

function ev(id: number, fields: Record<string, unknown>): EqlEvent {
  return { id, "@timestamp": id * 1000, event: { category: "process" }, ...fields };
}

function samples(results: EqlResult[]): { ids: number[]; keys: unknown[] }[] {
  return results.map((result) => {
    if (result.kind !== "sample") throw new Error("expected samples");
    return { ids: result.events.map((event) => event.id as number), keys: result.joinKeys };
  });
}

describe("pickDistinct", () => {
  it("takes the earliest event per term, skipping events taken by earlier terms", () => {
    const [a, b, c] = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(
      pickDistinct([
        [a, b],
        [a, c],
      ]),
    ).toEqual([a, c]);
    expect(pickDistinct([[a], [a, b]])).toEqual([a, b]);
  });

  it("backtracks when an earlier choice leaves a later term empty", () => {
    const [a, b] = [{ id: 1 }, { id: 2 }];
    expect(pickDistinct([[a, b], [a]])).toEqual([b, a]);
  });

  it("returns null when no distinct choice exists", () => {
    const a = { id: 1 };
    expect(pickDistinct([[a], [a]])).toBeNull();
    expect(pickDistinct([[a], []])).toBeNull();
  });
});

describe("compareJoinKeys", () => {
  it("orders null first, then numbers, booleans and strings by code point", () => {
    const keys = [["b"], [2], [null], ["B"], [10], [true], [false], ["a"]];
    expect([...keys].sort(compareJoinKeys)).toEqual([[null], [2], [10], [false], [true], ["B"], ["a"], ["b"]]);
  });

  it("compares key tuples position by position", () => {
    expect(compareJoinKeys(["a", "z"], ["b", "a"])).toBeLessThan(0);
    expect(compareJoinKeys(["a", null], ["a", "x"])).toBeLessThan(0);
    expect(compareJoinKeys(["a", "x"], ["a", "x"])).toBe(0);
  });
});

describe("samples", () => {
  it("returns one sample per key, ordered by key, events in term order", () => {
    const events = [
      ev(1, { host: "b", kind: "y" }),
      ev(2, { host: "b", kind: "x" }),
      ev(3, { host: "a", kind: "x" }),
      ev(4, { host: "a", kind: "y" }),
      ev(5, { host: "c", kind: "x" }),
    ];
    const results = run('sample by host [any where kind == "x"] [any where kind == "y"]', events);
    expect(samples(results)).toEqual([
      { ids: [3, 4], keys: ["a"] },
      { ids: [2, 1], keys: ["b"] },
    ]);
  });

  it("gives each value of a multi-valued key its own sample", () => {
    const events = [
      ev(1, { tags: ["p", "q"], kind: "x" }),
      ev(2, { tags: ["q"], kind: "y" }),
      ev(3, { tags: "p", kind: "y" }),
    ];
    const results = run('sample by tags [any where kind == "x"] [any where kind == "y"]', events);
    expect(samples(results)).toEqual([
      { ids: [1, 3], keys: ["p"] },
      { ids: [1, 2], keys: ["q"] },
    ]);
  });

  it("needs a distinct event for each of two identical terms", () => {
    const events = [ev(1, { host: "a" }), ev(2, { host: "b" }), ev(3, { host: "b" }), ev(4, { host: "b" })];
    expect(samples(run("sample by host [any where true] [any where true]", events))).toEqual([
      { ids: [2, 3], keys: ["b"] },
    ]);
  });

  it("applies head, tail and size in key order", () => {
    const events = ["d", "c", "b", "a", "d", "c", "b", "a"].map((host, i) => ev(i + 1, { host }));
    const query = "sample by host [any where true] [any where true]";
    expect(samples(run(`${query} | head 2`, events)).map((s) => s.keys)).toEqual([["a"], ["b"]]);
    expect(samples(run(`${query} | tail 1`, events)).map((s) => s.keys)).toEqual([["d"]]);
    expect(samples(run(query, events, { size: 3 })).map((s) => s.keys)).toEqual([["a"], ["b"], ["c"]]);
  });

  it("finds the same samples as an exhaustive search over all events", () => {
    const event = fc.record({ host: fc.constantFrom("a", "b"), kind: fc.constantFrom("x", "y", "z") });
    const terms = fc.array(fc.constantFrom("x", "y", "z", "*"), { minLength: 2, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), terms, (raw, kinds) => {
        const events = raw.map((r, i) => ev(i + 1, r));
        const query = `sample by host ${kinds.map((k) => (k === "*" ? "[any where true]" : `[any where kind == "${k}"]`)).join(" ")}`;
        const expected: { ids: number[]; keys: unknown[] }[] = [];
        for (const host of ["a", "b"]) {
          const candidates = kinds.map((k) => events.filter((e) => e.host === host && (k === "*" || e.kind === k)));
          const picked = pickDistinct(candidates);
          if (picked) expected.push({ ids: picked.map((e) => e.id as number), keys: [host] });
        }
        expect(samples(run(query, events))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
