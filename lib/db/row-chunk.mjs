/**
 * Event rows on their way to the batch writer's thread, with their documents
 * as one UTF-8 buffer that is transferred, not copied, instead of as strings.
 *
 * Why: a batch's 2,000 documents (about 2 KB each) arrived in the thread as
 * strings, which lived for the whole batch in a young generation of 12 MB
 * (batch-writer.ts says why it is small): they were copied into the old
 * generation and collected there. Garbage collection was the thread's largest
 * cost, 1.35 s of its 3.8 s busy time storing 60,000 events (scratch profile,
 * notes of 2026-12-06). As one buffer, a document is a view of bytes that the
 * block packs as they are (block-codec.mjs accepts bytes).
 *
 * Plain JavaScript, like batch-writer-thread.mjs, which loads it without a
 * TypeScript loader; row-chunk.d.mts types it.
 */

/**
 * @param {readonly { document: string }[]} rows
 * @returns {{ chunk: { rows: object[], documents: Uint8Array, ends: Uint32Array }, transfer: ArrayBuffer[] }}
 */
export function encodeRows(rows) {
  let total = 0;
  const lengths = new Uint32Array(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const length = Buffer.byteLength(rows[index].document, "utf8");
    lengths[index] = length;
    total += length;
  }
  // Not from Buffer's shared pool: a pooled slice's ArrayBuffer cannot be transferred.
  const documents = new Uint8Array(total);
  const view = Buffer.from(documents.buffer, 0, total);
  const ends = new Uint32Array(rows.length);
  const slim = new Array(rows.length);
  let offset = 0;
  for (let index = 0; index < rows.length; index++) {
    const { document, ...row } = rows[index];
    offset += view.write(document, offset, lengths[index], "utf8");
    ends[index] = offset;
    slim[index] = row;
  }
  return { chunk: { rows: slim, documents, ends }, transfer: [documents.buffer, ends.buffer] };
}

/**
 * The rows again, each with its document as a Buffer view of the chunk's bytes.
 * @param {{ rows: object[], documents: Uint8Array, ends: Uint32Array }} chunk
 */
export function decodeRows(chunk) {
  const bytes = Buffer.from(chunk.documents.buffer, chunk.documents.byteOffset, chunk.documents.byteLength);
  let start = 0;
  return chunk.rows.map((row, index) => {
    const end = chunk.ends[index];
    const document = bytes.subarray(start, end);
    start = end;
    return { ...row, document };
  });
}
