import { describe, expect, it } from "vitest";
import type { AlertsApiResult } from "./alerts-api";
import type { ScalingResult } from "./scaling";
import { alertsSection, alertsSideBySide, scalingSection, verdictGrid, verdictLabel } from "./targets";

const MIB = 1024 ** 2;

function scaling(eqlSelf: [number, number], detect: [number, number], ingestRss: [number, number]): ScalingResult {
  const sizes = [1_000_000, 4_000_000];
  return {
    eqlRule: { name: "Net tool", query: '/* why */ process where\n  process.name == "nc"' },
    startupMillis: { eql: 1_000, detect: 1_000 },
    floor: sizes.map((events, i) => ({
      events,
      millis: [4_000, 16_000][i] as number,
      results: 0,
      heap: [],
      maxRss: 100 * MIB,
      file: `f${events}`,
      bytes: events * 2_000,
    })),
    eql: sizes.map((events, i) => ({
      events,
      millis: (eqlSelf[i] as number) + 1_000,
      selfMillis: eqlSelf[i] as number,
      peakRss: 120 * MIB,
      selfPeakRss: 120 * MIB,
      outputs: events / 100,
    })),
    detect: sizes.map((events, i) => ({ events, millis: detect[i] as number, peakRss: 200 * MIB, outputs: 5 })),
    ingest: sizes.map((events, i) => ({
      events,
      millis: events / 60,
      peakRss: ingestRss[i] as number,
      gzip: false,
      bytes: events * 2_000,
      accepted: events,
      alerts: 10,
      idleRss: 150 * MIB,
    })),
    failures: [],
  };
}

describe("scaling verdicts", () => {
  it("meets every target when eql stays near the floor and time and memory scale as they should", () => {
    const { verdicts, sections } = scalingSection(scaling([5_000, 20_000], [11_000, 41_000], [280 * MIB, 290 * MIB]));
    expect(verdicts.map((verdict) => [verdict.target.split(":")[0], verdict.met])).toEqual([
      ["keelwatch eql time ≤ 1.5× read + JSON.parse", true],
      ["keelwatch eql", true],
      ["keelwatch eql", true],
      ["keelwatch detect", true],
      ["keelwatch detect", true],
      ["HTTP ingest (NDJSON)", true],
      ["HTTP ingest (NDJSON)", true],
      ["HTTP ingest ≥ 50,000 events/s", true],
      ["HTTP ingest server peak RSS ≤ 300 MiB", true],
    ]);
    expect(verdicts[0]?.measured).toBe("1.25× at 1,000,000, 1.25× at 4,000,000");
    // Comments stay out of the note; the table has a floor, eql and detect row per size plus the ingest rows.
    expect(sections[0]?.notes[0]).toContain('`process where process.name == "nc"`');
    expect(sections[0]?.grid.rows).toHaveLength(8);
  });

  it("misses the floor ratio, linearity and flatness when the figures say so", () => {
    // detect: start-up removed, 10 s → 60 s for 4× the events is 1.5× per event; ingest memory follows the input.
    const { verdicts } = scalingSection(scaling([5_000, 32_000], [11_000, 61_000], [300 * MIB, 900 * MIB]));
    const byName = (prefix: string) => verdicts.filter((verdict) => verdict.target.startsWith(prefix));
    expect(byName("keelwatch eql time")[0]?.met).toBe(false);
    expect(byName("keelwatch eql: linear")[0]?.met).toBe(false);
    expect(byName("keelwatch detect: linear")[0]?.met).toBe(false);
    expect(byName("keelwatch detect: flat")[0]?.met).toBe(true);
    expect(byName("HTTP ingest (NDJSON): flat")[0]?.met).toBe(false);
    expect(byName("HTTP ingest server peak RSS")[0]).toMatchObject({
      met: false,
      measured: "largest 900 MiB (4,000,000); 1,000,000: 300, 4,000,000: 900",
    });
    expect(verdictGrid(verdicts).rows.some((row) => row[1] === "MISSED")).toBe(true);
  });

  it("judges ingest speed by the slowest size, gzip included", () => {
    const result = scaling([5_000, 20_000], [11_000, 41_000], [280 * MIB, 290 * MIB]);
    result.ingest.push({ ...(result.ingest[0] as (typeof result.ingest)[number]), gzip: true, millis: 1_000_000 / 5 });
    const speed = scalingSection(result).verdicts.find((verdict) => verdict.target.startsWith("HTTP ingest ≥"));
    expect(speed).toMatchObject({
      met: false,
      measured: "slowest 5,000 events/s (1,000,000 gzip); 1,000,000: 60,000, 4,000,000: 60,000, 1,000,000 gzip: 5,000",
    });
    result.ingest = [];
    expect(scalingSection(result).verdicts.filter((verdict) => verdict.target.startsWith("HTTP ingest ≥"))).toEqual([
      { target: "HTTP ingest ≥ 50,000 events/s", measured: "not measured", met: null },
    ]);
  });

  it("turns a failed measurement into a note and a 'not measured' verdict that says why", () => {
    const result = scaling([5_000, 20_000], [11_000, 41_000], [300 * MIB, 320 * MIB]);
    result.ingest = result.ingest.slice(0, 1);
    result.detect = result.detect.slice(1);
    result.failures = [
      { what: "HTTP ingest, 4,000,000", error: "the server read 10 of 20 bytes" },
      { what: "keelwatch detect, 1,000,000", error: "exited 134" },
    ];
    const { verdicts, sections } = scalingSection(result);
    const ingest = verdicts.find((verdict) => verdict.target.startsWith("HTTP ingest (NDJSON): linear"));
    expect(ingest).toMatchObject({
      met: null,
      measured: "failed (1 measurement, see the notes): HTTP ingest, 4,000,000: the server read 10 of 20 bytes",
    });
    expect(verdicts.find((verdict) => verdict.target.startsWith("keelwatch detect: flat"))?.met).toBeNull();
    expect(sections[0]?.notes).toContain("**not measured** — keelwatch detect, 1,000,000: exited 134");
    // The table keeps the sizes that were measured: 2 floors, 2 eql, 1 detect, 1 ingest.
    expect(sections[0]?.grid.rows).toHaveLength(6);
  });
});

describe("alerts API verdicts", () => {
  const latency = (p95: number) => ({ count: 20, p50: p95 / 2, p95, p99: p95, max: p95, mean: p95 / 2 });
  const result = (listP95: number, firstRows: number[] | null): AlertsApiResult => ({
    database: "sqlite",
    copyMillis: null,
    loadAverage: "1.00 1.00 1.00",
    counts: { alerts: 1_000_000, events: 1_000_000, alertEvents: 1_000_000, uploads: 100, rules: 20, users: 6 },
    seedMillis: 60_000,
    seedAgeMillis: 0,
    databaseBytes: 2_000 * MIB,
    cases: [
      { name: "list, status=open", path: "/api/alerts?status=open", latency: latency(listP95), returned: "50 rows" },
      { name: "list, no filter", path: "/api/alerts", latency: latency(12), returned: "50 rows" },
      { name: "groups by rule", path: "/api/alerts/groups?by=rule", latency: latency(30), returned: "total 1" },
    ],
    firstRows: firstRows ? { loads: firstRows, firstContentfulPaint: firstRows.map(() => null) } : null,
    firstRowsError: firstRows ? null : "chromium not found",
  });

  it("judges list and other endpoints apart, naming the slow cases", () => {
    const { verdicts } = alertsSection(result(80, [700, 400]));
    expect(verdicts[0]).toMatchObject({ met: false });
    expect(verdicts[0]?.measured).toBe('worst p95 80.0 ms ("list, status=open"); over the target: list, status=open');
    expect(verdicts[1]).toMatchObject({ met: true });
    expect(verdicts[2]).toMatchObject({ met: true, measured: "slowest of 2 loads 700 ms in the page (cold: 700 ms)" });
  });

  it("judges first rows by the painted frame when the browser reported one per load", () => {
    const base = result(20, [600, 400]);
    const painted: AlertsApiResult = {
      ...base,
      firstRows: { loads: [600, 400], painted: [1_100, 450], firstContentfulPaint: [null, null] },
    };
    const { verdicts, sections } = alertsSection(painted);
    expect(verdicts[2]).toMatchObject({ met: false, measured: "slowest of 2 loads 1100 ms painted (cold: 1100 ms)" });
    expect(sections[0]?.notes.join("\n")).toContain("in the page 600, 400; painted 1100, 450");
  });

  it("reports the browser figure as not measured, with the reason, when it is missing", () => {
    const { verdicts } = alertsSection(result(20, null));
    expect(verdicts[0]?.met).toBe(true);
    expect(verdicts[2]).toMatchObject({ met: null, measured: "chromium not found" });
    expect(verdictLabel(verdicts[2] as (typeof verdicts)[number])).toBe("not measured");
    expect(alertsSection(result(20, [1_200])).verdicts[2]?.met).toBe(false);
  });

  it("says when the seeded alerts were kept from an earlier run", () => {
    expect(alertsSection(result(20, null)).sections[0]?.notes?.[0]).not.toContain("before this run");
    const reused = { ...result(20, null), seedAgeMillis: 3 * 3_600_000 };
    expect(alertsSection(reused).sections[0]?.notes?.[0]).toContain(
      "seeded in 60.00 s (3.0 h before this run, kept in .cache/bench)",
    );
  });

  it("puts the same requests on both databases side by side and names each database's slow cases", () => {
    const sqlite = result(20, null);
    const postgres: AlertsApiResult = {
      ...result(70, null),
      database: "postgresql",
      copyMillis: 90_000,
      cases: result(70, null).cases.slice(0, 2),
    };
    expect(alertsSideBySide([sqlite])).toBeNull();
    const section = alertsSideBySide([sqlite, postgres]);
    expect(section?.grid.headers).toEqual([
      "request",
      "sqlite p50 ms",
      "sqlite p95 ms",
      "postgresql p50 ms",
      "postgresql p95 ms",
      "returned",
    ]);
    expect(section?.grid.rows[0]).toEqual(["list, status=open", "10.0", "20.0", "35.0", "70.0", "50 rows"]);
    // Measured on SQLite only: PostgreSQL's cells stay empty, and the answers differ.
    expect(section?.grid.rows[2]).toEqual(["groups by rule", "15.0", "30.0", "", "", "total 1 / —"]);
    expect(section?.notes[1]).toBe("p95 over 50 ms — sqlite: none — postgresql: list, status=open (70.0 ms)");
    const { verdicts, sections } = alertsSection(postgres);
    expect(verdicts[0]?.target).toMatch(/every filter and sort \(postgresql\)$/);
    expect(sections[0]?.notes[0]).toContain(
      "copied into PostgreSQL (keelwatch db copy's code, then VACUUM ANALYZE) in 90.00 s",
    );
  });
});
