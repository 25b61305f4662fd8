import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints, compareEvents, sortEvents } from "./event-order";
import type { EqlEvent } from "./types";

const ids = (events: EqlEvent[]) => events.map((event) => event.id);

describe("sortEvents", () => {
  it("orders by @timestamp, reading ISO strings with offsets and epoch milliseconds alike", () => {
    const events = [
      { id: 1, "@timestamp": "2024-01-01T00:00:02Z" },
      { id: 2, "@timestamp": "2024-01-01T01:00:01+01:00" }, // 00:00:01Z
      { id: 3, "@timestamp": Date.UTC(2024, 0, 1, 0, 0, 3) },
      { id: 4, "@timestamp": String(Date.UTC(2024, 0, 1)) },
    ];
    expect(ids(sortEvents(events))).toEqual([4, 2, 1, 3]);
  });

  it("keeps input order for equal timestamps when there is no tiebreaker", () => {
    const events = [
      { id: 1, "@timestamp": "2024-01-01T00:00:00Z", seq: 2 },
      { id: 2, "@timestamp": "2024-01-01T00:00:00Z", seq: 1 },
    ];
    expect(ids(sortEvents(events))).toEqual([1, 2]);
    expect(ids(sortEvents(events, { tiebreakerField: "seq" }))).toEqual([2, 1]);
  });

  it("uses the configured timestamp field and nested tiebreaker paths", () => {
    const events = [
      { id: 1, ts: 5, event: { sequence: 9 } },
      { id: 2, ts: 5, event: { sequence: 3 } },
      { id: 3, ts: 1, event: { sequence: 99 } },
    ];
    expect(ids(sortEvents(events, { timestampField: "ts", tiebreakerField: "event.sequence" }))).toEqual([3, 2, 1]);
  });

  it("puts events without a readable timestamp last, in input order", () => {
    const events = [{ id: 1 }, { id: 2, "@timestamp": "not a date" }, { id: 3, "@timestamp": "2024-01-01T00:00:00Z" }];
    expect(ids(sortEvents(events))).toEqual([3, 1, 2]);
  });

  it("does not change its input", () => {
    const events = [
      { id: 1, "@timestamp": 2 },
      { id: 2, "@timestamp": 1 },
    ];
    const copy = structuredClone(events);
    sortEvents(events);
    expect(events).toEqual(copy);
  });

  it("agrees with a stable sort by compareEvents", () => {
    const event = fc.record({
      id: fc.nat(),
      "@timestamp": fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      seq: fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("a", "b")), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), fc.boolean(), (events, withTiebreaker) => {
        const options = withTiebreaker ? { tiebreakerField: "seq" } : {};
        const expected = [...events].sort(compareEvents(options));
        expect(sortEvents(events, options)).toEqual(expected);
      }),
    );
  });
});

describe("compareEvents", () => {
  it("compares numeric tiebreakers numerically, not as text", () => {
    const compare = compareEvents({ tiebreakerField: "seq" });
    expect(compare({ "@timestamp": 1, seq: 10 }, { "@timestamp": 1, seq: 9 })).toBeGreaterThan(0);
    expect(compare({ "@timestamp": 1, seq: 9 }, { "@timestamp": 2, seq: 1 })).toBeLessThan(0);
    expect(compare({ "@timestamp": 1, seq: 1 }, { "@timestamp": 1, seq: 1 })).toBe(0);
  });
});

describe("compareCodePoints", () => {
  it("orders astral characters after the rest of the BMP, as UTF-8 bytes do", () => {
    expect(compareCodePoints("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
    expect("\u{1F600}" < "\uFFFD").toBe(true); // UTF-16 order differs
    expect(compareCodePoints("a", "ab")).toBeLessThan(0);
    expect(compareCodePoints("B", "a")).toBeLessThan(0);
  });
});
