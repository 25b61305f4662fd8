import { describe, expect, it } from "vitest";
import { describeHealth, formatDuration, formatName, healthLabel, silentSourcesText } from "./format";

const quiet = { rejected: 0 };

describe("formatDuration", () => {
  it("uses the largest unit that fits, and the next one down when it adds something", () => {
    expect(formatDuration(0)).toBe("< 1 s");
    expect(formatDuration(0.4)).toBe("< 1 s");
    expect(formatDuration(1)).toBe("1 s");
    expect(formatDuration(44.6)).toBe("45 s");
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(59 * 60 + 59)).toBe("59 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe("3 h 20 min");
    expect(formatDuration(47 * 3600)).toBe("47 h");
    expect(formatDuration(2 * 86_400 + 4 * 3600)).toBe("2 d 4 h");
    expect(formatDuration(3 * 86_400)).toBe("3 d");
    expect(formatDuration(-5)).toBe("< 1 s");
  });
});

describe("describeHealth", () => {
  it("says how long a silent source has been quiet against its usual gap", () => {
    expect(describeHealth({ health: "silent", usualGapSeconds: 30, silentForSeconds: 2 * 3600, lastHour: quiet })).toBe(
      "Nothing received for 2 h (it usually pushes every 30 s): check the sensor and its shipper.",
    );
    expect(describeHealth({ health: "silent", usualGapSeconds: null, silentForSeconds: null, lastHour: quiet })).toBe(
      "Nothing received for a while: check the sensor and its shipper.",
    );
  });

  it("counts the last hour's rejected lines of a rejecting source", () => {
    const text = (rejected: number) =>
      describeHealth({ health: "rejecting", usualGapSeconds: 5, silentForSeconds: 1, lastHour: { rejected } });
    expect(text(1)).toBe("1 line was rejected in the last hour: see the latest errors.");
    expect(text(1200)).toBe("1,200 lines were rejected in the last hour: see the latest errors.");
  });

  it("explains the other states, and shows a state it does not know as its own word", () => {
    const state = (health: string, usualGapSeconds: number | null = null) =>
      describeHealth({ health, usualGapSeconds, silentForSeconds: null, lastHour: quiet });
    expect(state("ok", 90)).toBe("Pushing as usual, about every 1 min.");
    expect(state("ok")).toBe("Pushing.");
    expect(state("new")).toBe("This token has not pushed any events yet.");
    expect(state("revoked")).toBe("The token is revoked: its pushes are refused.");
    expect(state("throttled")).toBe("throttled");
    expect(healthLabel("rejecting")).toBe("Rejecting lines");
    expect(healthLabel("throttled")).toBe("throttled");
  });
});

describe("labels", () => {
  it("names formats briefly and counts silent sources", () => {
    expect(["falco", "tetragon", "datadog", "ecs", "other"].map(formatName)).toEqual([
      "Falco",
      "Tetragon",
      "Datadog CWS",
      "ECS",
      "other",
    ]);
    expect(silentSourcesText(1)).toBe("1 source silent");
    expect(silentSourcesText(3)).toBe("3 sources silent");
  });
});
