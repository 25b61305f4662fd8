import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockCorruptError, packBlock, SEGMENT_DOCUMENTS, unpackBlock } from "./block-codec.mjs";

/** Every layout a stored block may have: blocks written before segments still read. */
const LAYOUTS = ["br-segments", "br", "deflate"] as const;

describe("event blocks", () => {
  it("gives back every document at its position, removed ones as null, in every layout", () => {
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
        fc.constantFrom(...LAYOUTS),
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

  it("reads a block of several segments at every position, the last segment short", () => {
    const count = SEGMENT_DOCUMENTS * 2 + 37;
    const documents = Array.from({ length: count }, (_, index) =>
      index % 97 === 5 ? null : JSON.stringify({ index, text: "x".repeat(index % 13) }),
    );
    const packed = packBlock(documents);
    expect(packed.codec).toBe("br-segments");
    const block = unpackBlock({ id: 3, ...packed });
    expect(block.count).toBe(count);
    // Read out of order, so segments are unpacked in any order.
    const positions = documents.map((_, position) => position).reverse();
    expect(positions.map((position) => block.document(position))).toEqual([...documents].reverse());
    expect(block.document(count)).toBeNull();
  });

  it("a damaged segment spoils only its own documents, and the error names the block and the segment", () => {
    const documents = Array.from({ length: SEGMENT_DOCUMENTS * 3 }, (_, index) => `{"n":${index}}`);
    const packed = packBlock(documents);
    // Overwrite the middle segment's compressed bytes, then give the block a checksum that passes: damage that
    // happened before the checksum was taken, which only unpacking can find.
    const directoryBytes = 4 * (3 + 2 * 3);
    const firstEnd = packed.data.readUInt32LE(12);
    const secondEnd = packed.data.readUInt32LE(20);
    const data = Buffer.from(packed.data);
    data.fill(0x5a, directoryBytes + firstEnd, directoryBytes + secondEnd);
    const block = unpackBlock({ id: 77, ...packed, data, checksum: crc32(data) | 0 });
    expect(block.document(0)).toBe('{"n":0}');
    expect(block.document(SEGMENT_DOCUMENTS * 2 + 1)).toBe(`{"n":${SEGMENT_DOCUMENTS * 2 + 1}}`);
    expect(() => block.document(SEGMENT_DOCUMENTS)).toThrow(BlockCorruptError);
    expect(() => block.document(SEGMENT_DOCUMENTS + 1)).toThrow(/event block 77 is corrupt: .*segment 1 /);
  });

  it("refuses a segment directory that does not add up", () => {
    const packed = packBlock(['{"a":1}', '{"a":2}']);
    const data = Buffer.from(packed.data);
    data.writeUInt32LE(5, 8); // five segments claimed for two documents
    expect(() => unpackBlock({ id: 12, ...packed, data, checksum: crc32(data) | 0 })).toThrow(
      /event block 12 is corrupt: its layout is inconsistent/,
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
