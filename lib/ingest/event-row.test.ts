import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { enrichedDocument } from "./event-row";

type Json = Record<string, unknown>;

const anyObject = fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<Json>;
const ancestors = fc.record({
  process: fc.record({ ancestors: fc.record({ executable: fc.array(fc.string()), name: fc.array(fc.string()) }) }),
});

describe("enrichedDocument", () => {
  it("equals JSON.stringify of the enriched event when enrichment added the keelwatch key", () => {
    fc.assert(
      fc.property(anyObject, ancestors, (event, added) => {
        const original = JSON.stringify(event);
        const hadKeelwatch = event.keelwatch !== undefined;
        event.keelwatch = added;
        expect(enrichedDocument(original, event, hadKeelwatch)).toBe(JSON.stringify(event));
      }),
    );
  });

  it("keeps the text when enrichment added nothing, and re-serialises an event that brought its own key", () => {
    const event: Json = { "@timestamp": "2026-01-01T00:00:00Z", event: { category: ["network"] } };
    const original = JSON.stringify(event);
    expect(enrichedDocument(original, event, false)).toBe(original);

    const own: Json = { keelwatch: { note: "from another tool" }, a: 1 };
    const ownText = JSON.stringify(own);
    (own.keelwatch as Json).process = { ancestors: { executable: ["/bin/sh"], name: ["sh"] } };
    expect(enrichedDocument(ownText, own, true)).toBe(JSON.stringify(own));
  });

  it("writes an enriched empty object without a stray comma", () => {
    const event: Json = {};
    event.keelwatch = { process: { ancestors: { executable: [], name: [] } } };
    expect(JSON.parse(enrichedDocument("{}", event, false))).toEqual(event);
  });
});
