import { describe, expect, it } from "vitest";
import { axisLabel, bucketLastInstant, periodLabel } from "./bucket-labels";

describe("bucket labels", () => {
  it.each([
    ["hour", "2026-11-23T14:00:00.000Z", false, "14:00", "Nov 23, 2026, 14:00–15:00"],
    ["hour", "2026-11-23T23:00:00.000Z", true, "Nov 23 23:00", "Nov 23, 2026, 23:00–24:00"],
    ["6h", "2026-11-23T06:00:00.000Z", true, "Nov 23 06:00", "Nov 23, 2026, 06:00–12:00"],
    ["day", "2026-11-23T00:00:00.000Z", true, "Nov 23", "Nov 23, 2026"],
    ["week", "2026-11-23T00:00:00.000Z", true, "Nov 23", "Week of Nov 23, 2026"],
    ["month", "2026-11-01T00:00:00.000Z", true, "Nov 2026", "Nov 2026"],
    ["quarter", "2026-10-01T00:00:00.000Z", true, "Q4 2026", "Q4 2026"],
    ["year", "2026-01-01T00:00:00.000Z", true, "2026", "2026"],
  ] as const)("%s at %s", (size, start, spansDays, axis, period) => {
    expect(axisLabel(start, size, spansDays)).toBe(axis);
    expect(periodLabel(start, size)).toBe(period);
  });

  it("ends a bucket just before the next starts, months by the calendar", () => {
    expect(bucketLastInstant("2026-02-01T00:00:00.000Z", "month")).toBe("2026-02-28T23:59:59.999Z");
    expect(bucketLastInstant("2026-11-23T18:00:00.000Z", "6h")).toBe("2026-11-23T23:59:59.999Z");
  });
});
