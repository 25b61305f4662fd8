import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import { sortEvents } from "./event-order";
import { parse } from "./parser";
import { compile, createRunner, orderEventsFor, run } from "./runner";
import type { EqlEvent, EqlOptions, EqlResult } from "./types";

const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString();

function ev(id: number, second: number, category: string, extra: Record<string, unknown> = {}): EqlEvent {
  return { id, "@timestamp": at(second), event: { category }, ...extra };
}

/** Ids of event results, or id lists of sequence/sample results (-1 for a missing event). */
function ids(results: EqlResult[]): unknown[] {
  return results.map((result) =>
    result.kind === "event" ? result.event.id : result.events.map((event) => (event.id as number | undefined) ?? -1),
  );
}

const events = [
  ev(3, 3, "process", { name: "c" }),
  ev(1, 1, "process", { name: "a" }),
  ev(2, 2, "file", { name: "b" }),
  ev(4, 4, "process", { name: "d" }),
  ev(5, 5, "process", { name: "e" }),
];

describe("compile", () => {
  it("accepts text or a parsed query and compiles it once for many runners", () => {
    const fromText = compile("process where true");
    const fromAst = compile(parse("process where true"));
    expect(fromText.query).toEqual(fromAst.query);
    const first = createRunner(fromText);
    const second = createRunner(fromText);
    expect(ids(first.pushAll(sortEvents(events)))).toEqual([1, 3, 4, 5]);
    expect(ids(second.pushAll(sortEvents(events)))).toEqual([1, 3, 4, 5]);
  });

  it("reports an unknown pipe with its position", () => {
    expect(() => compile("process where true | uniq name")).toThrow(EqlError);
    try {
      compile("process where true | uniq name");
    } catch (error) {
      expect((error as EqlError).code).toBe("unknown_pipe");
      expect((error as EqlError).column).toBe(22);
    }
  });

  it("rejects a size that is not a non-negative integer", () => {
    expect(() => compile("any where true", { size: -1 })).toThrow(EqlError);
    expect(() => compile("any where true", { size: 1.5 })).toThrow(EqlError);
  });
});

describe("run on event queries", () => {
  it("returns matching events in time order", () => {
    expect(ids(run("process where true", events))).toEqual([1, 3, 4, 5]);
  });

  it("applies head, tail and size", () => {
    expect(ids(run("process where true | head 2", events))).toEqual([1, 3]);
    expect(ids(run("process where true | tail 2", events))).toEqual([4, 5]);
    expect(ids(run("process where true | tail 3 | head 1", events))).toEqual([3]);
    expect(ids(run("process where true", events, { size: 3 }))).toEqual([1, 3, 4]);
    expect(ids(run("process where true | tail 3", events, { size: 1 }))).toEqual([3]);
  });

  it("honours the category field and case-insensitivity options", () => {
    const custom = [{ id: 1, ts: 1, kind: "proc", name: "A" }];
    const options: EqlOptions = { eventCategoryField: "kind", timestampField: "ts", caseInsensitive: true };
    expect(ids(run('proc where name == "a"', custom, options))).toEqual([1]);
    expect(ids(run('proc where name == "a"', custom, { ...options, caseInsensitive: false }))).toEqual([]);
  });
});

describe("createRunner", () => {
  it("streams event results as soon as each event is pushed", () => {
    const runner = createRunner(compile("process where true | head 2"));
    expect(ids(runner.push(ev(1, 1, "process")))).toEqual([1]);
    expect(ids(runner.push(ev(2, 2, "file")))).toEqual([]);
    expect(ids(runner.push(ev(3, 3, "process")))).toEqual([3]);
    expect(ids(runner.push(ev(4, 4, "process")))).toEqual([]);
    expect(runner.finish()).toEqual([]);
  });

  it("holds tail results until finish", () => {
    const runner = createRunner(compile("process where true | tail 1"));
    expect(runner.pushAll(sortEvents(events))).toEqual([]);
    expect(ids(runner.finish())).toEqual([5]);
  });

  it("stops evaluating events once a head is full", () => {
    let reads = 0;
    const counted = (id: number): EqlEvent => ({
      id,
      "@timestamp": id,
      get event() {
        reads++;
        return { category: "process" };
      },
    });
    const runner = createRunner(compile("process where true | head 1"));
    runner.pushAll([counted(1), counted(2), counted(3)]);
    expect(reads).toBe(1);
  });

  it("refuses pushes after finish", () => {
    const runner = createRunner(compile("any where true"));
    runner.finish();
    expect(() => runner.push(ev(1, 1, "process"))).toThrow(/after finish/);
    expect(() => runner.finish()).toThrow(/twice/);
  });
});

// ---------------------------------------------------------------- streaming equals batch

const queries = [
  "process where true",
  'any where name != "a" | tail 3',
  "process where true | head 3 | tail 2",
  "sequence by host [process where true] [file where true]",
  "sequence [process where true] [any where true] [file where true]",
  "sequence by host with maxspan=3s [process where true] [file where true] until [network where true]",
  "sequence by host with maxspan=4s [process where true] ![network where true] [file where true]",
  "sequence by host with maxspan=3s ![network where true] [process where true] ![network where true]",
  "sequence by host [process where true] with runs=2 [file where true] | tail 2",
  "sample by host [process where true] [file where true]",
  "sample by host, ?name [any where true] [any where true]",
];

const randomEvent = fc.record({
  second: fc.integer({ min: 0, max: 20 }),
  category: fc.constantFrom("process", "file", "network"),
  host: fc.option(fc.constantFrom("h1", "h2", "h3"), { nil: undefined }),
  name: fc.option(fc.constantFrom("a", "b"), { nil: undefined }),
});

function toEvents(raw: { second: number; category: string; host?: string; name?: string }[]): EqlEvent[] {
  return raw.map((r, index) => {
    const event: EqlEvent = { id: index + 1, "@timestamp": at(r.second), event: { category: r.category } };
    if (r.host !== undefined) event.host = r.host;
    if (r.name !== undefined) event.name = r.name;
    return event;
  });
}

describe("streaming in chunks gives the same results as run", () => {
  for (const query of queries) {
    it(query, () => {
      const compiled = compile(query);
      fc.assert(
        fc.property(fc.array(randomEvent, { maxLength: 40 }), fc.array(fc.nat(8), { maxLength: 10 }), (raw, cuts) => {
          const list = toEvents(raw);
          const expected = ids(run(query, list));
          const sorted = orderEventsFor(compiled, list);
          const runner = createRunner(compiled);
          const streamed: EqlResult[] = [];
          let position = 0;
          for (const cut of cuts) {
            streamed.push(...runner.pushAll(sorted.slice(position, position + cut)));
            position += cut;
          }
          for (const event of sorted.slice(position)) streamed.push(...runner.push(event));
          streamed.push(...runner.finish());
          expect(ids(streamed)).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe("event order per query kind", () => {
  const events: EqlEvent[] = [
    { id: 1, "@timestamp": 3000, event: { category: "process" }, host: "h" },
    { id: 2, "@timestamp": 1000, event: { category: "process" }, host: "h" },
    { id: 3, "@timestamp": 2000, event: { category: "file" }, host: "h" },
  ];

  it("sorts by time for sequences, and keeps the given (index) order for samples", () => {
    const sequence = run("sequence by host [process where true] [file where true]", events);
    expect(ids(sequence)).toEqual([[2, 3]]);
    const sample = run("sample by host [process where true] [file where true]", events);
    expect(ids(sample)).toEqual([[1, 3]]);
  });

  it("gives up to maxSamplesPerKey samples for one key, and refuses a count below 1", () => {
    const query = "sample by host [process where true] [file where true]";
    const two = run(query, events, { maxSamplesPerKey: 2 });
    expect(ids(two)).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(() => compile(query, { maxSamplesPerKey: 0 })).toThrow(/maxSamplesPerKey must be a whole number/);
  });
});
