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
 * A run of documents unpacks to, little-endian: u32 count, then count + 1 u32
 * offsets into the text that follows (document i is text[offset i, offset
 * i+1)), then the documents' UTF-8 text. A document removed by retention
 * keeps its position as an empty slice, so the positions stored in Event rows
 * never move.
 *
 * Two layouts, named by EventBlock.codec:
 * - "br", "deflate": the whole block is one such run, compressed in one piece.
 * - "br-segments" (written since issue 20's alert-detail work): the block is cut
 *   into segments of SEGMENT_DOCUMENTS documents, each such a run compressed on
 *   its own, behind a plain directory: u32 count, u32 documents per segment,
 *   u32 segments, then per segment u32 end (in the compressed bytes that
 *   follow) and u32 unpacked size. Reading one event unpacks its segment, an
 *   eighth of the block: an alert's detail reads a handful of events from as
 *   many blocks, and unpacking whole 2,000-document blocks was most of its time
 *   (bench/RESULTS.md). Segments are only done when a document in them is read.
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

/** Segmented layouts by the name stored in EventBlock.codec, with the codec of their segments. */
const SEGMENTED = { "br-segments": "br" };

/**
 * 256 documents (about 180-500 KB unpacked) a segment: on stored blocks of the investigate bench, compressed
 * 21x against 25x for whole 2,000-document blocks, while one event's read unpacks an eighth as much.
 */
export const SEGMENT_DOCUMENTS = 256;

/** The codec new blocks are written with. */
export const DEFAULT_CODEC = "br-segments";

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
  const segmentCodec = SEGMENTED[codec];
  if (segmentCodec === undefined) {
    const raw = runOf(texts);
    const data = codecNamed(codec).compress(raw);
    // Signed, as SQLite and Prisma's Int hold it.
    return { codec, data, rawBytes: raw.length, checksum: crc32(data) | 0 };
  }
  const segments = [];
  let rawBytes = 0;
  for (let start = 0; start < texts.length; start += SEGMENT_DOCUMENTS) {
    const raw = runOf(texts.slice(start, start + SEGMENT_DOCUMENTS));
    rawBytes += raw.length;
    segments.push({ packed: codecNamed(segmentCodec).compress(raw), rawBytes: raw.length });
  }
  const directory = Buffer.allocUnsafe(4 * (3 + 2 * segments.length));
  directory.writeUInt32LE(texts.length, 0);
  directory.writeUInt32LE(SEGMENT_DOCUMENTS, 4);
  directory.writeUInt32LE(segments.length, 8);
  let end = 0;
  segments.forEach((segment, index) => {
    end += segment.packed.length;
    directory.writeUInt32LE(end, 12 + 8 * index);
    directory.writeUInt32LE(segment.rawBytes, 16 + 8 * index);
  });
  const data = Buffer.concat([directory, ...segments.map((segment) => segment.packed)]);
  return { codec, data, rawBytes, checksum: crc32(data) | 0 };
}

/** @param {Buffer[]} texts the unpacked run of these documents: count, offsets, text */
function runOf(texts) {
  const header = Buffer.allocUnsafe(4 * (texts.length + 2));
  header.writeUInt32LE(texts.length, 0);
  let offset = 0;
  header.writeUInt32LE(0, 4);
  texts.forEach((text, index) => {
    offset += text.length;
    header.writeUInt32LE(offset, 4 * (index + 2));
  });
  return Buffer.concat([header, ...texts]);
}

/** @param {string} codec */
function codecNamed(codec) {
  const found = CODECS[codec];
  if (!found) throw new Error(`unknown block codec "${codec}"`);
  return found;
}

/**
 * An unpacked block: its documents by position, as text (null for a removed one).
 * Throws a BlockCorruptError when the stored bytes do not check out: at once for the checksum and the layout,
 * and from document() for a segment that does not decompress (segments are unpacked when first read).
 * `rawBytes`, when given (EventBlock.rawBytes), is the unpacked size: the output is made in one piece, and a
 * block that unpacks to more is refused as corrupt.
 * @param {{ id: number, codec: string, data: Uint8Array, checksum: number, rawBytes?: number }} block
 */
export function unpackBlock(block) {
  const data = Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength);
  if ((crc32(data) | 0) !== (block.checksum | 0)) {
    throw new BlockCorruptError(block.id, "its checksum does not match its bytes");
  }
  const segmentCodec = SEGMENTED[block.codec];
  if (segmentCodec === undefined) {
    const run = unpackRun(block.id, codecNamed(block.codec), data, block.rawBytes);
    return { count: run.count, document: (position) => run.document(position) };
  }
  return unpackSegmented(block.id, codecNamed(segmentCodec), data);
}

/**
 * @param {number} blockId
 * @param {{ decompress(bytes: Buffer, rawBytes?: number): Buffer }} codec
 * @param {Buffer} data
 */
function unpackSegmented(blockId, codec, data) {
  const word = (index) => (data.length >= 4 * (index + 1) ? data.readUInt32LE(4 * index) : -1);
  const count = word(0);
  const perSegment = word(1);
  const segmentCount = word(2);
  const directoryBytes = 4 * (3 + 2 * segmentCount);
  if (
    count < 0 ||
    perSegment <= 0 ||
    segmentCount < 0 ||
    segmentCount !== Math.ceil(count / perSegment) ||
    data.length < directoryBytes ||
    (segmentCount === 0 ? 0 : word(3 + 2 * (segmentCount - 1))) !== data.length - directoryBytes
  ) {
    throw new BlockCorruptError(blockId, "its layout is inconsistent");
  }
  /** @type {({ count: number, document(position: number): string | null } | undefined)[]} */
  const runs = new Array(segmentCount);
  const segment = (index) => {
    let run = runs[index];
    if (run === undefined) {
      const start = directoryBytes + (index === 0 ? 0 : word(3 + 2 * (index - 1)));
      const end = directoryBytes + word(3 + 2 * index);
      if (end < start) throw new BlockCorruptError(blockId, `its segment ${index} has a negative length`);
      run = unpackRun(blockId, codec, data.subarray(start, end), word(4 + 2 * index), index);
      const expected = Math.min(perSegment, count - index * perSegment);
      if (run.count !== expected) {
        throw new BlockCorruptError(blockId, `its segment ${index} holds ${run.count} documents, not ${expected}`);
      }
      runs[index] = run;
    }
    return run;
  };
  return {
    count,
    /** @param {number} position */
    document(position) {
      if (!Number.isInteger(position) || position < 0 || position >= count) return null;
      return segment(Math.floor(position / perSegment)).document(position % perSegment);
    },
  };
}

/**
 * One compressed run of documents (a whole block, or one segment) unpacked.
 * @param {number} blockId
 * @param {{ decompress(bytes: Buffer, rawBytes?: number): Buffer }} codec
 * @param {Buffer} data
 * @param {number | undefined} rawBytes
 * @param {number} [segment] which segment of its block, for the error (none: the whole block)
 */
function unpackRun(blockId, codec, data, rawBytes, segment) {
  const part = segment === undefined ? "it" : `its segment ${segment}`;
  let raw;
  try {
    raw = codec.decompress(data, rawBytes);
  } catch (error) {
    throw new BlockCorruptError(
      blockId,
      `${part} does not decompress (${error instanceof Error ? error.message : error})`,
    );
  }
  const count = raw.length >= 4 ? raw.readUInt32LE(0) : -1;
  const textStart = 4 * (count + 2);
  if (count < 0 || raw.length < textStart || raw.readUInt32LE(4 * (count + 1)) !== raw.length - textStart) {
    throw new BlockCorruptError(
      blockId,
      segment === undefined ? "its layout is inconsistent" : `the layout of its segment ${segment} is inconsistent`,
    );
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
