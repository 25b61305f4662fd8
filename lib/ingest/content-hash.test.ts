import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash } from "./content-hash";

const hashOf = (text: string) => contentHash(JSON.stringify(JSON.parse(text)));

describe("contentHash", () => {
  it("is the same for the same event however the file spells its JSON", () => {
    const compact = '{"a":1,"b":["x",true],"c":{"d":null}}';
    expect(hashOf('{ "a" : 1.0,\n "b": [ "\\u0078", true ], "c": {"d": null} }')).toBe(hashOf(compact));
    expect(hashOf(compact)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs when a value, its type or the key order differs", () => {
    const base = hashOf('{"a":1,"b":2}');
    expect(hashOf('{"a":"1","b":2}')).not.toBe(base);
    expect(hashOf('{"a":1,"b":3}')).not.toBe(base);
    expect(hashOf('{"b":2,"a":1}')).not.toBe(base);
  });
});

describe("contentHash, as a digest", () => {
  it("is the hex sha256 of the event's JSON text (UTF-8)", () => {
    expect(contentHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(contentHash('{"name":"é"}')).toBe(createHash("sha256").update('{"name":"é"}', "utf8").digest("hex"));
  });
});
