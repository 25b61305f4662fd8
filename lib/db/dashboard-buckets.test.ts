import { describe, expect, it } from "vitest";
import { BUCKET_SIZES, bucketStart, bucketStarts, chooseBucketSize, MAX_BUCKETS } from "./dashboard-buckets";

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe("bucketStart", () => {
  const time = at("2026-11-25T15:42:10.123Z"); // a Wednesday
  it.each([
    ["hour", "2026-11-25T15:00:00.000Z"],
    ["6h", "2026-11-25T12:00:00.000Z"],
    ["day", "2026-11-25T00:00:00.000Z"],
    ["week", "2026-11-23T00:00:00.000Z"],
    ["month", "2026-11-01T00:00:00.000Z"],
    ["quarter", "2026-10-01T00:00:00.000Z"],
    ["year", "2026-01-01T00:00:00.000Z"],
  ] as const)("%s", (size, expected) => {
    expect(bucketStart(time, size).toISOString()).toBe(expected);
  });

  it("starts weeks on Monday, also for a Sunday and a Monday", () => {
    expect(bucketStart(at("2026-11-29T23:59:59Z"), "week").toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(bucketStart(at("2026-11-30T00:00:00Z"), "week").toISOString()).toBe("2026-11-30T00:00:00.000Z");
  });
});

describe("bucketStarts", () => {
  it("lists calendar months of unequal length, and quarters across a year end", () => {
    expect(iso(bucketStarts(at("2026-01-31T10:00:00Z"), at("2026-03-01T00:00:00Z"), "month"))).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-02-01T00:00:00.000Z",
      "2026-03-01T00:00:00.000Z",
    ]);
    expect(iso(bucketStarts(at("2025-11-15T00:00:00Z"), at("2026-02-01T00:00:00Z"), "quarter"))).toEqual([
      "2025-10-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
    ]);
  });
});

describe("chooseBucketSize", () => {
  it.each([
    ["2026-11-22T12:00:00Z", "2026-11-23T12:00:00Z", "hour"], // the dashboard's 24 hours
    ["2026-11-16T12:00:00Z", "2026-11-23T12:00:00Z", "6h"], // 7 days
    ["2026-10-24T12:00:00Z", "2026-11-23T12:00:00Z", "day"], // 30 days
    ["2026-01-01T00:00:00Z", "2026-11-23T12:00:00Z", "week"],
    ["2024-01-01T00:00:00Z", "2026-11-23T12:00:00Z", "month"],
    ["2016-01-01T00:00:00Z", "2026-11-23T12:00:00Z", "quarter"],
    ["1990-01-01T00:00:00Z", "2026-11-23T12:00:00Z", "year"],
  ] as const)("%s .. %s -> %s", (from, to, expected) => {
    expect(chooseBucketSize(at(from), at(to))).toBe(expected);
  });

  it("never gives more than MAX_BUCKETS buckets, nor a size larger than needed", () => {
    const to = at("2026-11-23T12:00:00Z");
    for (let hours = 0; hours < 24 * 365 * 12; hours += 37) {
      const from = new Date(to.getTime() - hours * 3_600_000);
      const size = chooseBucketSize(from, to);
      expect(bucketStarts(from, to, size).length).toBeLessThanOrEqual(MAX_BUCKETS);
      const smaller = BUCKET_SIZES[BUCKET_SIZES.indexOf(size) - 1];
      if (smaller) expect(bucketStarts(from, to, smaller, MAX_BUCKETS).length).toBeGreaterThan(MAX_BUCKETS);
    }
  });
});
