import { describe, expect, it } from "vitest";
import { readConfig } from "./config";

describe("bench config", () => {
  it("defaults to the full run of issues 6, 9 and 24", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      quick: false,
      parts: ["engine", "scaling", "ingest", "alerts", "investigate", "cli", "eql", "sensors"],
      databases: ["sqlite", "postgresql"],
      databaseIngestEvents: 1_000_000,
      investigateEvents: 1_000_000,
      investigate: ["session", "timeline", "hunt", "sequence", "exception-preview"],
      eqlScales: [200_000, 1_000_000],
      eqlRounds: 3,
      sensors: { healthRequests: 5_000, singlePosts: 3_000, batchEvents: 100_000, bulkEvents: 1_000_000 },
      events: 1_000_000,
      scales: [1_000_000, 2_000_000, 4_000_000],
      ingestScales: [125_000, 250_000, 500_000],
      gzipScales: [500_000],
      alerts: 1_000_000,
      port: 3130,
      record: true,
    });
  });

  it("shrinks everything with BENCH_QUICK=1, and explicit values still win", () => {
    const quick = readConfig({ BENCH_QUICK: "1" });
    expect(quick.events).toBe(100_000);
    expect(quick.alerts).toBe(50_000);
    expect(Math.max(...quick.scales)).toBeLessThanOrEqual(100_000);
    expect(readConfig({ BENCH_QUICK: "1", BENCH_SCALES: "1e6,2e6", BENCH_ALERTS: "1_000" })).toMatchObject({
      scales: [1_000_000, 2_000_000],
      alerts: 1_000,
    });
  });

  it("keeps the in-process ingest within the engine's events, and skips gzip on request", () => {
    expect(readConfig({ BENCH_EVENTS: "1000", BENCH_INGEST_EVENTS: "5000" }).ingestEvents).toBe(1_000);
    expect(readConfig({ BENCH_GZIP_SCALES: "none" }).gzipScales).toEqual([]);
  });

  it("runs the investigate part's measurements alone on request", () => {
    expect(readConfig({ BENCH_INVESTIGATE: "hunt, timeline" }).investigate).toEqual(["hunt", "timeline"]);
    expect(readConfig({ BENCH_QUICK: "1" }).investigateEvents).toBe(100_000);
  });

  it("runs the ingest and alerts cases on the databases asked for, and uploads an even number of events", () => {
    expect(readConfig({ BENCH_DATABASES: "postgresql" }).databases).toEqual(["postgresql"]);
    expect(readConfig({ BENCH_DB_INGEST_EVENTS: "1001" }).databaseIngestEvents).toBe(1_000);
    expect(readConfig({ BENCH_QUICK: "1" }).databaseIngestEvents).toBe(50_000);
    expect(() => readConfig({ BENCH_DATABASES: "sqlite,mysql" })).toThrow(/BENCH_DATABASES: unknown "mysql"/);
  });

  it("names the variable and the value it cannot use", () => {
    expect(() => readConfig({ BENCH_PARTS: "engine,speed" })).toThrow(/BENCH_PARTS: unknown part "speed"/);
    expect(() => readConfig({ BENCH_ALERTS: "-3" })).toThrow(/BENCH_ALERTS must be a positive whole number, not "-3"/);
    expect(() => readConfig({ BENCH_PORT: "70000" })).toThrow(/BENCH_PORT must be a port/);
    expect(() => readConfig({ BENCH_SCALES: "1e6,x" })).toThrow(/BENCH_SCALES: "x"/);
    expect(() => readConfig({ BENCH_INVESTIGATE: "hunt,speed" })).toThrow(/BENCH_INVESTIGATE: unknown "speed"/);
  });
});
