import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockCorruptError, CODECS, packBlock, unpackBlock } from "./block-codec.mjs";

describe("event blocks", () => {
  it("gives back every document at its position, removed ones as null, with either codec", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.option(
            fc.json({ maxDepth: 3 }).filter((text) => text.length > 0),
            { nil: null },
          ),
          {
            maxLength: 40,
          },
        ),
        fc.constantFrom(...(Object.keys(CODECS) as (keyof typeof CODECS)[])),
        (documents, codec) => {
          const packed = packBlock(documents, codec);
          const block = unpackBlock({ id: 1, ...packed });
          expect(block.count).toBe(documents.length);
          expect(documents.map((_, position) => block.document(position))).toEqual(documents);
          expect(block.document(documents.length)).toBeNull();
          expect(block.document(-1)).toBeNull();
        },
      ),
    );
  });

  it("keeps text outside the BMP and escapes byte for byte", () => {
    const documents = ['{"a":"🦀 ünïcode"}', '{"b":"line\\nbreak \\"quoted\\""}', "{}"];
    const block = unpackBlock({ id: 7, ...packBlock(documents) });
    expect([0, 1, 2].map((position) => block.document(position))).toEqual(documents);
  });

  it("names the block when its bytes are damaged, however they are damaged", () => {
    const packed = packBlock(['{"x":1}', '{"x":2}']);
    const flipped = Buffer.from(packed.data);
    flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0xff;
    expect(() => unpackBlock({ id: 42, ...packed, data: flipped })).toThrow(BlockCorruptError);
    expect(() => unpackBlock({ id: 42, ...packed, data: flipped })).toThrow(/event block 42 is corrupt: its checksum/);
    // Bytes that pass the checksum but are not a block (written by something else): still named.
    const foreign = packBlock([]);
    const garbage = Buffer.from("not a compressed block at all");
    expect(() => unpackBlock({ id: 9, codec: foreign.codec, data: garbage, checksum: crc32(garbage) | 0 })).toThrow(
      /event block 9 is corrupt/,
    );
  });

  it("compresses a batch of similar events many times over", () => {
    const documents = Array.from({ length: 2_000 }, (_, index) =>
      JSON.stringify({
        "@timestamp": new Date(1_700_000_000_000 + index * 1000).toISOString(),
        event: { category: ["process"], type: ["start"], action: "exec" },
        container: { id: "4f0e2e1c7f0b", image: { name: "nginx:1.25" } },
        process: {
          entity_id: `p-${index}`,
          executable: "/usr/bin/curl",
          args: ["curl", `http://10.0.0.${index % 250}/`],
        },
      }),
    );
    const packed = packBlock(documents);
    expect(packed.rawBytes / packed.data.length).toBeGreaterThan(8);
  });
});
