import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "./content-hash";

describe("canonicalJson", () => {
  it("writes keys in sorted order at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 0, y: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":1,"z":0}]},"b":1}',
    );
  });

  it("orders integer-like keys as text like every other key", () => {
    expect(canonicalJson({ b: 1, "10": 2, "9": 3, "": 4 })).toBe('{"":4,"10":2,"9":3,"b":1}');
    expect(canonicalJson([{ x: { "0": null } }])).toBe('[{"x":{"0":null}}]');
  });

  it("keeps a __proto__ key as data", () => {
    const event = JSON.parse('{"__proto__":{"x":1},"a":2}');
    expect(canonicalJson(event)).toBe('{"__proto__":{"x":1},"a":2}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("hashes events that differ only in key order alike", () => {
    expect(contentHash({ a: 1, b: [1, 2] })).toBe(contentHash({ b: [1, 2], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: "1" }));
  });
});
