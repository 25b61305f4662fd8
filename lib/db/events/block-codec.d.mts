export interface Codec {
  compress(bytes: Buffer): Buffer;
  /** `rawBytes`: the unpacked size when known (output in one piece, never more than it). */
  decompress(bytes: Buffer, rawBytes?: number): Buffer;
}
export declare const CODECS: Record<"br" | "deflate", Codec>;
export declare const DEFAULT_CODEC: "br-segments";
/** Documents a segment of a "br-segments" block holds (the last may hold fewer). */
export declare const SEGMENT_DOCUMENTS: number;
export interface PackedBlock {
  codec: string;
  data: Buffer;
  rawBytes: number;
  checksum: number;
}
export declare function packBlock(documents: readonly (string | Uint8Array | null)[], codec?: string): PackedBlock;
export interface UnpackedBlock {
  readonly count: number;
  /**
   * The document's JSON text at a position, or null when removed or out of range. Throws a BlockCorruptError
   * when the segment holding it does not unpack.
   */
  document(position: number): string | null;
}
export declare function unpackBlock(block: {
  id: number;
  codec: string;
  data: Uint8Array;
  checksum: number;
  /** EventBlock.rawBytes: the unpacked size */
  rawBytes?: number;
}): UnpackedBlock;
export declare class BlockCorruptError extends Error {
  readonly code: "block_corrupt";
  readonly blockId: number;
  constructor(blockId: number, why: string);
}
