import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { falcoAlertMaker, falcosidekickBody, gzipBatches } from "./sensor-payloads";
import type { LoadFigure, SensorsResult } from "./sensors";
import { sensorsSection } from "./sensors-targets";

const MIB = 1024 ** 2;

function figure(requests: number, events: number, millis: number, failed = 0): LoadFigure {
  return {
    requests,
    ok: requests - failed,
    events,
    millis,
    latency: { count: requests, p50: 20, p95: 40, p99: 50, max: 60, mean: 22 },
    failures: failed > 0 ? ["503 (accepted null): busy"] : [],
    failed,
  };
}

function result(overrides: Partial<SensorsResult> = {}): SensorsResult {
  return {
    // 400 health/s, 360 single POSTs/s (0.9×), 9,000 batch events/s against 10,000 bulk (0.9×)
    health: figure(4_000, 0, 10_000),
    single: figure(3_600, 3_600, 10_000),
    batch: figure(900, 90_000, 10_000),
    bulk: { events: 1_000_000, bytes: 2 * 1024 ** 3, millis: 100_000, accepted: 1_000_000, alerts: 30_000 },
    idleRss: 150 * MIB,
    peakRssBeforeBulk: 200 * MIB,
    peakRss: 290 * MIB,
    ...overrides,
  };
}

const met = (value: SensorsResult) => sensorsSection(value).verdicts.map((verdict) => verdict.met);

describe("sensors verdicts", () => {
  it("meets every target with ratios above 0.8, 10k bulk events/s and 290 MiB", () => {
    expect(met(result())).toEqual([true, true, true, true]);
    expect(sensorsSection(result()).verdicts[0]?.measured).toMatch(/^0\.90× \(360 POSTs\/s \/ 400 health\/s\)/);
  });

  it("misses each target on its own figure", () => {
    expect(met(result({ single: figure(3_000, 3_000, 10_000) }))).toEqual([false, true, true, true]);
    expect(met(result({ batch: figure(700, 70_000, 10_000) }))).toEqual([true, false, true, true]);
    const slowBulk = { events: 1_000_000, bytes: 1, millis: 110_000, accepted: 1_000_000, alerts: 0 };
    // 9,091 bulk events/s: the batch ratio rises, the absolute target is missed.
    expect(met(result({ bulk: slowBulk }))).toEqual([true, true, false, true]);
    expect(met(result({ peakRss: 301 * MIB }))).toEqual([true, true, true, false]);
  });

  it("does not count a ratio as met when requests failed or the bulk lost events", () => {
    expect(met(result({ single: figure(3_600, 3_590, 9_000, 10) }))).toEqual([false, true, true, true]);
    const lost = { events: 1_000_000, bytes: 1, millis: 50_000, accepted: 999_999, alerts: 0 };
    expect(met(result({ bulk: lost }))[2]).toBe(false);
    expect(sensorsSection(result({ single: figure(10, 9, 100, 1) })).sections[0]?.notes.join("\n")).toMatch(
      /1-event POSTs: 1 of 10 requests failed/,
    );
  });
});

describe("sensor payloads", () => {
  it("makes distinct Falcosidekick bodies, Go-escaped, one JSON object and a newline each", () => {
    const alert = falcoAlertMaker("test");
    const bodies = Array.from({ length: 50 }, (_, n) => falcosidekickBody(alert(n)).toString());
    expect(new Set(bodies).size).toBe(50);
    for (const body of bodies) {
      expect(body.endsWith("}\n")).toBe(true);
      expect(body.slice(0, -1)).not.toContain("\n");
      expect(body).not.toMatch(/[<>&]/);
    }
    const parsed = JSON.parse(bodies[7] as string);
    expect(parsed.rule).toBe("Terminal shell in container");
    expect(parsed.output.startsWith(parsed.time.replace("Z", "+0000"))).toBe(true);
  });

  it("makes gzip NDJSON batches of distinct events", () => {
    const batches = gzipBatches(3, 100);
    const lines = batches.flatMap((body) => gunzipSync(body).toString().trimEnd().split("\n"));
    expect(lines).toHaveLength(300);
    expect(new Set(lines).size).toBe(300);
  });
});
