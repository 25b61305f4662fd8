import { describe, expect, it } from "vitest";
import { RecentMap } from "./recent-map";

describe("RecentMap", () => {
  it("keeps the latest writes and forgets the oldest a generation at a time", () => {
    const map = new RecentMap<string, number>(4);
    for (const [index, key] of ["a", "b", "c", "d", "e"].entries()) map.set(key, index);
    expect(map.size).toBe(3);
    expect(map.has("a")).toBe(false);
    expect(map.has("b")).toBe(false);
    expect(map.get("e")).toBe(4);
  });

  it("answers the newest value of a key written again", () => {
    const map = new RecentMap<string, string>(4);
    map.set("p", "old");
    map.set("q", "x");
    map.set("p", "new");
    expect(map.get("p")).toBe("new");
    expect(map.size).toBe(2);
  });

  it("keeps a key it was asked about, as if written again", () => {
    const map = new RecentMap<string, number>(4);
    map.set("a", 1);
    map.set("b", 2); // a and b move to the older generation
    expect(map.has("a")).toBe(true);
    map.set("c", 3);
    map.set("d", 4); // the older generation is dropped: b, and a had it not been asked about
    expect(map.get("a")).toBe(1);
    expect(map.has("b")).toBe(false);
    expect(map.size).toBeLessThanOrEqual(4);
  });

  it("never holds more than its capacity, whatever is written", () => {
    const map = new RecentMap<number, number>(1_000);
    for (let key = 0; key < 100_000; key++) map.set(key, key);
    expect(map.size).toBeLessThanOrEqual(1_000);
    expect(map.size).toBeGreaterThanOrEqual(500);
    expect(map.get(99_999)).toBe(99_999);
    expect(map.has(0)).toBe(false);
  });
});
