import { describe, expect, it } from "vitest";
import { type EqlEvent, run } from "../eql";
import { type DetectionRule, Detector } from "./detector";

const rule = (query: string): DetectionRule => ({
  id: "r1",
  name: "rule",
  severity: "low",
  riskScore: 21,
  maxAlertsPerRun: 100,
  query,
  eventCategoryField: "event.category",
  timestampField: "@timestamp",
  tiebreakerField: null,
});

const event = (id: string, time: string, name: string): EqlEvent => ({
  "@timestamp": time,
  event: { category: "process", id },
  host: { name: "h1" },
  process: { name },
});

// In file order the later-timed "a" comes first: a sample takes it, a sequence takes the earlier one.
const events = [
  event("late-a", "2024-01-01T00:00:09Z", "a"),
  event("early-a", "2024-01-01T00:00:01Z", "a"),
  event("b", "2024-01-01T00:00:05Z", "b"),
];
const ids = (list: readonly EqlEvent[]) => list.map((item) => (item.event as { id: string }).id);

function detect(query: string): string[][] {
  const detector = new Detector([rule(query)]);
  return [...detector.detect(events), ...detector.finish()].map((detection) => ids(detection.events));
}

describe("Detector", () => {
  it("takes a sample's events in the order given, as run and keelwatch eql do (Elasticsearch's index order)", () => {
    const query = 'sample by host.name [process where process.name == "a"] [process where process.name == "b"]';
    expect(detect(query)).toEqual([["late-a", "b"]]);
    const expected = run(query, events).map((result) => (result.kind === "event" ? [] : ids(result.events)));
    expect(detect(query)).toEqual(expected);
  });

  it("puts a sequence's events in time order first", () => {
    const query = 'sequence by host.name [process where process.name == "a"] [process where process.name == "b"]';
    expect(detect(query)).toEqual([["early-a", "b"]]);
  });
});
