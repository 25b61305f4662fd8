import { describe, expect, it } from "vitest";
import type { IngestCase, IngestResult } from "./ingest";
import { caseRate, cpuSplit, ingestSection } from "./ingest-targets";

const MIB = 1024 ** 2;

function upload(events: number, seconds: number, peakMib: number) {
  return { events, millis: seconds * 1000, peakRss: peakMib * MIB, idleRss: 150 * MIB, alerts: 3 };
}

function ingestCase(
  database: IngestCase["database"],
  instances: ReturnType<typeof upload>[],
  wallSeconds: number,
  cpu: [number, number | null],
): IngestCase {
  return {
    database,
    instances,
    wallMillis: wallSeconds * 1000,
    appCpuSeconds: cpu[0],
    postgresCpuSeconds: cpu[1],
    loadAverage: "3.10 2.50 2.00",
  };
}

const result: IngestResult = {
  events: 1_000_000,
  cases: [
    ingestCase("sqlite", [upload(1_000_000, 100, 280)], 100, [95, null]),
    ingestCase("sqlite", [upload(500_000, 80, 250), upload(500_000, 90, 260)], 90, [150, null]),
    ingestCase("postgresql", [upload(1_000_000, 200, 310)], 200, [120, 60]),
    ingestCase("postgresql", [upload(500_000, 150, 240), upload(500_000, 160, 245)], 160, [200, 100]),
  ],
  failures: [],
};

describe("ingest side by side", () => {
  it("rates a case by all its events over its wall time", () => {
    expect(caseRate(result.cases[1] as IngestCase)).toBeCloseTo(1_000_000 / 90, 6);
  });

  it("splits CPU per event between the app and PostgreSQL, and bounds the events/s one more machine allows", () => {
    const split = cpuSplit(result.cases[3] as IngestCase, 2);
    // 200 s app and 100 s PostgreSQL over 1M events: 200 and 100 µs each.
    expect(split).toEqual({
      appMicros: 200,
      postgresMicros: 100,
      ceilingHere: 2e6 / 300,
      ceilingTwoMachines: 2e6 / 200,
    });
    expect(cpuSplit(result.cases[0] as IngestCase, 2)).toBeNull();
  });

  it("judges the peak RSS of the one-instance upload on each database, and compares PostgreSQL with SQLite", () => {
    const { verdicts, sections } = ingestSection(result, 2);
    expect(verdicts.map((verdict) => [verdict.target, verdict.met])).toEqual([
      ["HTTP ingest server peak RSS ≤ 300 MiB during a 1,000,000-event upload (sqlite)", true],
      ["HTTP ingest server peak RSS ≤ 300 MiB during a 1,000,000-event upload (postgresql)", false],
    ]);
    expect(verdicts[1]?.measured).toBe("310 MiB (idle before the upload 150 MiB); two instances: 240 and 245 MiB");
    const notes = sections[0]?.notes.join("\n") ?? "";
    expect(notes).toContain("postgresql, one instance: 5,000 events/s, 0.50× SQLite's 10,000");
    expect(notes).toContain(
      "postgresql, two instances at once: 3,333 and 3,125 events/s each, 6,250 together = 1.25× one instance's 5,000 (0.63× SQLite's one instance)",
    );
    expect(notes).toContain("CPU per event 200 µs in the app, 100 µs in PostgreSQL (33% of the work)");
    expect(notes).toContain("would raise the CPU ceiling to 10,000 events/s (×1.50), bounded by the app side");
    // One row per instance plus one for each case as a whole.
    expect(sections[0]?.grid.rows).toHaveLength(10);
    expect(sections[0]?.grid.rows[9]).toEqual([
      "postgresql",
      "2 instances at once: together",
      "1,000,000",
      "160.0",
      "6,250",
      "",
      "200.0",
      "100.0",
      "1.88",
      "3.10 2.50 2.00",
    ]);
  });

  it("reports a database whose cases all failed as not measured, with the reason in the notes", () => {
    const failed: IngestResult = {
      ...result,
      cases: result.cases.slice(0, 2),
      failures: [{ what: "postgresql: one instance, 1,000,000 events", error: "initdb failed" }],
    };
    const { verdicts, sections } = ingestSection(failed, 2);
    expect(verdicts[1]).toMatchObject({ met: null, target: expect.stringContaining("(postgresql)") });
    expect(sections[0]?.notes).toContain(
      "**not measured** — postgresql: one instance, 1,000,000 events: initdb failed",
    );
  });
});
