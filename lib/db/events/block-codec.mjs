/**
 * The layout of one event block: the documents of one stored batch, packed
 * and compressed together. Plain JavaScript so that the batch writer's thread
 * (batch-writer-thread.mjs, loaded without a TypeScript loader) packs blocks
 * with the same code the server reads them with; block-codec.d.mts types it.
 *
 * Why blocks: a document alone (about 2 KB) compresses poorly and zlib's fixed
 * cost per call dominates (31-34 µs a document, issue #5's notes), while the
 * 2,000 documents of a batch repeat each other's field names, images, hosts
 * and ancestry, and compress many times over in one call (bench/RESULTS.md,
 * "event blocks").
 *
 * Unpacked layout, little-endian: u32 count, then count + 1 u32 offsets into
 * the text that follows (document i is text[offset i, offset i+1)), then the
 * documents' UTF-8 text. A document removed by retention keeps its position
 * as an empty slice, so the positions stored in Event rows never move.
 */
import { brotliCompressSync, brotliDecompressSync, constants, crc32, deflateRawSync, inflateRawSync } from "node:zlib";

/** Codecs by the name stored in EventBlock.codec. */
export const CODECS = {
  // Quality 1: ~2x faster than deflate level 1 here and smaller (bench "event blocks"); higher qualities cost
  // several times the CPU for a few percent.
  br: {
    compress: (bytes) =>
      brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 1,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      }),
    decompress: (bytes, rawBytes) => brotliDecompressSync(bytes, outputOptions(rawBytes)),
  },
  deflate: {
    compress: (bytes) => deflateRawSync(bytes, { level: 1 }),
    decompress: (bytes, rawBytes) => inflateRawSync(bytes, outputOptions(rawBytes)),
  },
};

/**
 * Output in one piece when the unpacked size is known: with zlib's default 16 KiB chunks a 4.7 MB block came
 * out as ~290 chunks that Buffer.concat then copied (a fifth to a third of unpacking, by hand on stored blocks).
 * @param {number | undefined} rawBytes
 */
function outputOptions(rawBytes) {
  return rawBytes && rawBytes > 0 ? { chunkSize: Math.max(rawBytes, 64), maxOutputLength: rawBytes } : {};
}

/** The codec new blocks are written with. */
export const DEFAULT_CODEC = "br";

/**
 * Packs documents (JSON text, as a string or its UTF-8 bytes, or null for a removed one) into a block.
 * @param {readonly (string | Uint8Array | null)[]} documents
 * @param {string} [codec]
 * @returns {{ codec: string, data: Buffer, rawBytes: number, checksum: number }}
 */
export function packBlock(documents, codec = DEFAULT_CODEC) {
  const texts = documents.map((document) =>
    document === null ? Buffer.alloc(0) : typeof document === "string" ? Buffer.from(document, "utf8") : document,
  );
  const header = Buffer.allocUnsafe(4 * (documents.length + 2));
  header.writeUInt32LE(documents.length, 0);
  let offset = 0;
  header.writeUInt32LE(0, 4);
  texts.forEach((text, index) => {
    offset += text.length;
    header.writeUInt32LE(offset, 4 * (index + 2));
  });
  const raw = Buffer.concat([header, ...texts]);
  const data = codecNamed(codec).compress(raw);
  // Signed, as SQLite and Prisma's Int hold it.
  return { codec, data, rawBytes: raw.length, checksum: crc32(data) | 0 };
}

/** @param {string} codec */
function codecNamed(codec) {
  const found = CODECS[codec];
  if (!found) throw new Error(`unknown block codec "${codec}"`);
  return found;
}

/**
 * An unpacked block: its documents by position, as text (null for a removed one).
 * Throws a BlockCorruptError when the stored bytes do not check out.
 * `rawBytes`, when given (EventBlock.rawBytes), is the unpacked size: the output is made in one piece, and a
 * block that unpacks to more is refused as corrupt.
 * @param {{ id: number, codec: string, data: Uint8Array, checksum: number, rawBytes?: number }} block
 */
export function unpackBlock(block) {
  const data = Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength);
  if ((crc32(data) | 0) !== (block.checksum | 0)) {
    throw new BlockCorruptError(block.id, "its checksum does not match its bytes");
  }
  let raw;
  try {
    raw = codecNamed(block.codec).decompress(data, block.rawBytes);
  } catch (error) {
    throw new BlockCorruptError(block.id, `it does not decompress (${error instanceof Error ? error.message : error})`);
  }
  const count = raw.length >= 4 ? raw.readUInt32LE(0) : -1;
  const textStart = 4 * (count + 2);
  if (count < 0 || raw.length < textStart || raw.readUInt32LE(4 * (count + 1)) !== raw.length - textStart) {
    throw new BlockCorruptError(block.id, "its layout is inconsistent");
  }
  return {
    count,
    /** @param {number} position */
    document(position) {
      if (!Number.isInteger(position) || position < 0 || position >= count) return null;
      const start = raw.readUInt32LE(4 * (position + 1));
      const end = raw.readUInt32LE(4 * (position + 2));
      return end > start ? raw.toString("utf8", textStart + start, textStart + end) : null;
    },
  };
}

/** A block whose bytes cannot be read back: the message names the block, so an operator can find it. */
export class BlockCorruptError extends Error {
  /** @param {number} blockId @param {string} why */
  constructor(blockId, why) {
    super(`event block ${blockId} is corrupt: ${why}; the events stored in it cannot be read`);
    this.name = "BlockCorruptError";
    this.code = "block_corrupt";
    this.blockId = blockId;
  }
}
