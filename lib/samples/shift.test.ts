import { describe, expect, it } from "vitest";
import { generateRecentSample, generateSamples } from "./generate";
import { buildIncident } from "./incident";
import { deltaToEndBefore, shiftStory } from "./shift";

const MINUTE = 60_000;

describe("a sample moved to now", () => {
  it("ends a few minutes before now, in whole minutes, with every time moved alike", () => {
    const now = Date.parse("2027-03-05T14:37:12.345Z");
    const story = buildIncident();
    const original = buildIncident();
    const delta = deltaToEndBefore(story, now);
    expect(delta % MINUTE).toBe(0);
    shiftStory(story, delta);
    const last = Math.max(...story.events.map((event) => event.time));
    expect(last).toBeLessThanOrEqual(now - 5 * MINUTE);
    expect(last).toBeGreaterThan(now - 6 * MINUTE);
    story.events.forEach((event, index) => {
      const before = original.events[index]!;
      expect(event.time - before.time).toBe(delta);
      expect(event.process.start - before.process.start).toBe(delta);
      if (event.process.container)
        expect(event.process.container.startedAt - before.process.container!.startedAt).toBe(delta);
    });
  });

  it("writes the same events as the committed file, only at another time", () => {
    const now = Date.parse("2027-03-05T14:37:12.345Z");
    const committed = generateSamples().ecs.trim().split("\n");
    const recent = generateRecentSample("ecs", now).trim().split("\n");
    expect(recent).toHaveLength(committed.length);
    const first = JSON.parse(recent[0]!) as { "@timestamp": string };
    expect(first["@timestamp"].startsWith("2027-03-05")).toBe(true);
    const last = JSON.parse(recent.at(-1)!) as { "@timestamp": string };
    expect(Date.parse(last["@timestamp"])).toBeLessThan(now);
    expect(JSON.parse(recent[0]!).process.args).toEqual(JSON.parse(committed[0]!).process.args);
  });
});
