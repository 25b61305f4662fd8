import { describe, expect, it } from "vitest";
import { countOf, utcTime } from "./format";

describe("countOf", () => {
  it("uses the singular for one only", () => {
    expect(countOf(1, "alert")).toBe("1 alert");
    expect(countOf(0, "alert")).toBe("0 alerts");
    expect(countOf(1200, "stored event")).toBe("1,200 stored events");
  });
});

describe("utcTime", () => {
  it("shows UTC to the minute, or the second when asked", () => {
    expect(utcTime("2026-11-23T10:47:56.120+02:00")).toBe("2026-11-23 08:47 UTC");
    expect(utcTime("2026-11-23T10:47:56.120Z", true)).toBe("2026-11-23 10:47:56 UTC");
  });

  it("leaves text that is not a time as it is", () => {
    expect(utcTime("soon")).toBe("soon");
  });
});
