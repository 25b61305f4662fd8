/**
 * readEvents for readers that take events a block at a time and may pass
 * over lines without parsing them (keelwatch eql and its literal prefilter).
 *
 * A plain NDJSON body (no gzip, no JSON array, no binary data at the start:
 * nearly every events file) is cut at newlines one block of whole lines at a
 * time. `select` may rule lines out before they are decoded; every other line
 * is parsed as readEvents parses it, with the same line numbers and errors.
 * There is one promise per block instead of one per event, and a block that
 * is all ASCII is decoded as latin1, which is the same text for ASCII and
 * cheaper than UTF-8. Any other body goes through readEvents itself, batched.
 */
import { Buffer, isAscii } from "node:buffer";
import {
  DEFAULT_MAX_LINE_BYTES,
  looksBinary,
  parseItem,
  type ReadEventItem,
  readEvents,
  SNIFF_BYTES,
  tooLong,
} from "./read-events";

/** Which lines of `block` to parse (1) or pass over unparsed (0); `ends[i]` is the offset of line i's newline. */
export type LineSelector = (block: Buffer, ends: readonly number[]) => Uint8Array;

export interface ReadEventBatchesOptions {
  /** Longest line kept, in bytes (default 16 MiB); longer ones become an error item, as in readEvents. */
  maxLineBytes?: number;
  /** Lines to parse; without it every line is parsed. Only plain NDJSON bodies are selected from. */
  select?: LineSelector;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const OPEN_BRACKET = 0x5b;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/**
 * Largest block handed to `select`, in bytes. A selector searches a block as one string, and V8 makes
 * a string over 128 KiB outside its young generation, in fresh pages every time: 1 MiB blocks spent
 * more time on page faults than on the searches.
 */
const BLOCK_BYTES = 96 * 1024;

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function isWhitespace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

/**
 * Where the first line of a plain NDJSON body starts (past a byte order mark
 * and leading whitespace, as readEvents skips them), or null for a body that
 * readEvents must read itself: empty, gzip, a JSON array, or binary data at
 * the start (which readEvents may refuse as a whole).
 */
function plainNdjsonStart(head: Buffer): { offset: number; line: number } | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return null;
  let offset = UTF8_BOM.every((byte, index) => head[index] === byte) ? UTF8_BOM.length : 0;
  if (looksBinary(head.subarray(offset, offset + SNIFF_BYTES))) return null;
  let line = 1;
  while (offset < head.length && isWhitespace(head[offset] as number)) {
    if (head[offset] === LF) line++;
    offset++;
  }
  if (offset === head.length || head[offset] === OPEN_BRACKET) return null;
  return { offset, line };
}

/** Cuts NDJSON into lines and parses the selected ones; push whole chunks, get each chunk's items back. */
class NdjsonLines {
  private partial: Buffer[] = [];
  private partialLength = 0;
  private overflow = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly select: LineSelector | undefined,
    /** 1-based line of the next line to start. */
    private line: number,
  ) {}

  push(chunk: Buffer): Iterable<ReadEventItem>[] {
    const batches: Iterable<ReadEventItem>[] = [];
    let from = 0;
    if (this.partialLength > 0 || this.overflow) {
      const newline = chunk.indexOf(LF);
      if (newline === -1) {
        this.addPartial(chunk);
        return batches;
      }
      this.addPartial(chunk.subarray(0, newline));
      batches.push(this.finishPartial());
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    while (from <= last) {
      // Whole lines, up to BLOCK_BYTES of them where a line is not longer.
      let end = from + BLOCK_BYTES >= last ? last : chunk.lastIndexOf(LF, from + BLOCK_BYTES);
      if (end < from) end = chunk.indexOf(LF, from + BLOCK_BYTES);
      batches.push(this.block(chunk.subarray(from, end + 1)));
      from = end + 1;
    }
    if (from < chunk.length) this.addPartial(chunk.subarray(from));
    return batches;
  }

  /** The last line, when the body does not end with a newline. */
  end(): Iterable<ReadEventItem>[] {
    return this.partialLength > 0 || this.overflow ? [this.finishPartial()] : [];
  }

  private addPartial(bytes: Buffer): void {
    if (this.overflow || bytes.length === 0) return;
    if (this.partialLength + bytes.length > this.maxLineBytes) {
      // Past the limit the bytes are dropped as they come, so a huge line never sits in memory.
      this.overflow = true;
      this.partial = [];
      this.partialLength = 0;
      return;
    }
    this.partial.push(bytes);
    this.partialLength += bytes.length;
  }

  /** A line that straddled chunks: a block of its own, so `select` sees it as any other. */
  private finishPartial(): Iterable<ReadEventItem> {
    let batch: Iterable<ReadEventItem>;
    if (this.overflow) {
      batch = [{ line: this.line, error: tooLong(this.maxLineBytes, "the line") }];
      this.line++;
    } else {
      batch = this.block(Buffer.concat([...this.partial, Buffer.from([LF])]));
    }
    this.partial = [];
    this.partialLength = 0;
    this.overflow = false;
    return batch;
  }

  /**
   * `bytes` holds whole lines, each ending with a newline. They are cut and selected now, but parsed
   * only as the batch is iterated: each event is taken before the next is made, so few live long
   * enough for the garbage collector to move them.
   */
  private block(bytes: Buffer): Iterable<ReadEventItem> {
    const ends: number[] = [];
    for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) ends.push(at);
    const keep = this.select ? this.select(bytes, ends) : null;
    const firstLine = this.line;
    this.line += ends.length;
    const maxLineBytes = this.maxLineBytes;
    return (function* () {
      const ascii = isAscii(bytes);
      let from = 0;
      for (let index = 0; index < ends.length; index++) {
        const to = ends[index] as number;
        const line = firstLine + index;
        if (to - from > maxLineBytes) yield { line, error: tooLong(maxLineBytes, "the line") };
        else if (keep === null || keep[index] === 1) {
          const item = parseLine(bytes, from, to, line, ascii);
          if (item !== null) yield item;
        }
        from = to + 1;
      }
    })();
  }
}

/** One line as readEvents reads it: a trailing CR dropped, a blank line skipped (null). */
function parseLine(bytes: Buffer, from: number, to: number, line: number, ascii: boolean): ReadEventItem | null {
  const end = to > from && bytes[to - 1] === CR ? to - 1 : to;
  let first = from;
  while (first < end && isWhitespace(bytes[first] as number)) first++;
  if (first === end) return null;
  const text = ascii ? bytes.toString("latin1", from, end) : bytes.toString("utf8", from, end);
  return parseItem(text, line, 1);
}

async function* batched(items: AsyncIterable<ReadEventItem>, size = 512): AsyncGenerator<Iterable<ReadEventItem>> {
  let batch: ReadEventItem[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* prepend(head: Buffer, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * The events of `input` in batches, in order: the same items readEvents
 * gives, less the lines `select` passes over (plain NDJSON only). Iterate
 * each batch before asking for the next: its lines are parsed as it is read.
 */
export async function* readEventBatches(
  input: AsyncIterable<Uint8Array>,
  options: ReadEventBatchesOptions = {},
): AsyncGenerator<Iterable<ReadEventItem>> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const iterator = input[Symbol.asyncIterator]();
  try {
    const parts: Buffer[] = [];
    let length = 0;
    while (length < SNIFF_BYTES + UTF8_BOM.length) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = toBuffer(next.value);
      parts.push(chunk);
      length += chunk.length;
    }
    const head = Buffer.concat(parts, length);
    const start = plainNdjsonStart(head);
    if (start === null) {
      yield* batched(readEvents(prepend(head, iterator), { maxLineBytes }));
      return;
    }
    const lines = new NdjsonLines(maxLineBytes, options.select, start.line);
    yield* lines.push(head.subarray(start.offset));
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      yield* lines.push(toBuffer(next.value));
    }
    yield* lines.end();
  } finally {
    // Stopping early (a consumer that returns) must release the source.
    await iterator.return?.();
  }
}
