import { describe, expect, it } from "vitest";
import { DEFAULT_UPKEEP_INTERVAL_MS, retentionPolicy, upkeepIntervalFromEnv } from "./upkeep";

describe("the upkeep's settings from the environment", () => {
  it("passes every 10 minutes unless KEELWATCH_UPKEEP_INTERVAL_MS names a whole number of milliseconds from 100", () => {
    expect(upkeepIntervalFromEnv({})).toBe(DEFAULT_UPKEEP_INTERVAL_MS);
    expect(DEFAULT_UPKEEP_INTERVAL_MS).toBe(600_000);
    expect(upkeepIntervalFromEnv({ KEELWATCH_UPKEEP_INTERVAL_MS: " " })).toBe(DEFAULT_UPKEEP_INTERVAL_MS);
    expect(upkeepIntervalFromEnv({ KEELWATCH_UPKEEP_INTERVAL_MS: "500" })).toBe(500);
    for (const bad of ["99", "1500ms", "2.5", "-1000", "soon"]) {
      expect(() => upkeepIntervalFromEnv({ KEELWATCH_UPKEEP_INTERVAL_MS: bad })).toThrow(
        `KEELWATCH_UPKEEP_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${bad}"`,
      );
    }
  });

  it("reads the retention policy in days and GiB, and refuses values out of range", () => {
    expect(retentionPolicy({})).toEqual({ maxDays: null, maxBytes: null });
    expect(retentionPolicy({ KEELWATCH_RETENTION_DAYS: "30", KEELWATCH_RETENTION_MAX_GB: "0.5" })).toEqual({
      maxDays: 30,
      maxBytes: 512 * 1024 ** 2,
    });
    expect(() => retentionPolicy({ KEELWATCH_RETENTION_DAYS: "0" })).toThrow(
      'KEELWATCH_RETENTION_DAYS must be a number from 1 to 36500, got "0"',
    );
  });
});
