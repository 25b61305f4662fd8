import { describe, expect, it } from "vitest";
import { bucketSizeFor, Histogram } from "./histogram";

describe("bucketSizeFor", () => {
  it.each([
    [10 * 60_000, 10_000],
    [3_600_000, 60_000],
    [86_400_000, 30 * 60_000],
    [30 * 86_400_000, 12 * 3_600_000],
    [365 * 86_400_000, 7 * 86_400_000],
    [20 * 365 * 86_400_000, 30 * 86_400_000],
  ])("a range of %d ms gets buckets of %d ms", (range, bucket) => {
    expect(bucketSizeFor(range)).toBe(bucket);
  });
});

describe("Histogram", () => {
  it("lists every bucket of the range, counts each time in its bucket and ignores times outside", () => {
    const from = new Date("2026-11-20T10:00:00Z");
    const to = new Date("2026-11-20T10:10:00Z");
    const histogram = new Histogram(from, to);
    expect(histogram.bucketMs).toBe(10_000);
    histogram.add(Date.parse("2026-11-20T10:00:00Z"));
    histogram.add(Date.parse("2026-11-20T10:00:09.999Z"));
    histogram.add(Date.parse("2026-11-20T10:09:59Z"));
    histogram.add(Date.parse("2026-11-20T09:59:59Z"));
    histogram.add(Date.parse("2026-11-20T10:10:00Z"));
    const buckets = histogram.buckets();
    expect(buckets).toHaveLength(60);
    expect(buckets[0]).toEqual({ start: "2026-11-20T10:00:00.000Z", count: 2 });
    expect(buckets[59]).toEqual({ start: "2026-11-20T10:09:50.000Z", count: 1 });
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(3);
  });
});
