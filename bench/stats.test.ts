import { describe, expect, it } from "vitest";
import { flatness, linearity, microsPerEvent, parseScales, percentile, summarize } from "./stats";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

  it("picks the sample at rank ceil(p/100 × n)", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 1, 3], 50)).toBe(3);
    expect(percentile([7, 1, 3], 1)).toBe(1);
  });

  it("never invents a value between samples", () => {
    const samples = [10, 20, 30, 40, 1000];
    expect(samples).toContain(percentile(samples, 95));
    expect(percentile(samples, 95)).toBe(1000);
  });

  it("refuses empty input and p outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 0)).toThrow(/p must be/);
    expect(() => percentile([1], 101)).toThrow(/p must be/);
  });

  it("summarizes count, percentiles, max and mean without touching the input", () => {
    const samples = [4, 2, 8, 6];
    expect(summarize(samples)).toEqual({ count: 4, p50: 4, p95: 8, p99: 8, max: 8, mean: 5 });
    expect(samples).toEqual([4, 2, 8, 6]);
  });
});

describe("scaling verdicts", () => {
  const point = (events: number, millis: number, peakRss: number) => ({ events, millis, peakRss });

  it("measures time per event in microseconds", () => {
    expect(microsPerEvent(point(1_000_000, 5_000, 0))).toBe(5);
  });

  it("calls doubling time for doubled input linear, and n log n growth over 4× with slack not", () => {
    expect(linearity([point(4e6, 20_400, 1), point(1e6, 5_000, 1), point(2e6, 10_100, 1)])).toEqual({
      ratio: expect.closeTo(1.02, 2),
      linear: true,
    });
    // 4× the events in 6× the time: 1.5× per event.
    expect(linearity([point(1e6, 5_000, 1), point(4e6, 30_000, 1)])?.linear).toBe(false);
    expect(linearity([point(1e6, 5_000, 1)])).toBeNull();
  });

  it("calls memory flat when the peak does not follow the input", () => {
    const mib = 1024 ** 2;
    expect(flatness([point(1e6, 1, 200 * mib), point(4e6, 1, 230 * mib)])).toEqual({
      ratio: expect.closeTo(1.15, 2),
      flat: true,
    });
    expect(flatness([point(1e6, 1, 200 * mib), point(4e6, 1, 700 * mib)])?.flat).toBe(false);
    expect(flatness([])).toBeNull();
  });

  it("reads scale lists in exponent or underscore form, sorted and unique", () => {
    expect(parseScales("4e6, 1e6,2_000_000,1e6")).toEqual([1_000_000, 2_000_000, 4_000_000]);
    expect(() => parseScales("1e6,lots")).toThrow(/"lots" is not a positive whole number/);
    expect(() => parseScales(" , ")).toThrow(/names no scale/);
    expect(() => parseScales("1.5")).toThrow(/not a positive/);
  });
});
