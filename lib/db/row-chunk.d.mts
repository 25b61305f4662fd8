import type { EventRow } from "./events";

/** Rows without their documents, and the documents as one UTF-8 buffer with each one's end offset. */
export interface RowChunk {
  rows: Omit<EventRow, "document">[];
  documents: Uint8Array;
  ends: Uint32Array;
}
export declare function encodeRows(rows: readonly EventRow[]): { chunk: RowChunk; transfer: ArrayBuffer[] };
export declare function decodeRows(chunk: RowChunk): (Omit<EventRow, "document"> & { document: Buffer })[];
