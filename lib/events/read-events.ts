/**
 * Streaming event input: gzip or plain, NDJSON or one JSON array, any size.
 *
 * Memory is bounded by the longest line (or array element), never by the body:
 * NDJSON is cut at newlines and a JSON array is cut into elements by a small
 * scanner that only tracks strings, escapes and bracket depth. Each piece is
 * then handed to JSON.parse on its own, so one bad line costs one error item
 * and the rest of the upload goes on.
 */
import { Buffer } from "node:buffer";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export type ReadEventItem =
  /** `text` is the line or array element the event was parsed from. */
  { line: number; event: Record<string, unknown>; text: string } | { line: number; column?: number; error: string };

export interface ReadEventsOptions {
  /** Longest line or array element kept, in bytes (default 16 MiB); longer ones become an error item. */
  maxLineBytes?: number;
  /** Largest body accepted after decompression; beyond it reading stops with BodyTooLargeError. */
  maxBodyBytes?: number;
}

/** The body as a whole cannot be read (corrupt gzip, binary data). Callers answer it with HTTP 400. */
export class ReadEventsError extends Error {
  override name = "ReadEventsError";
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Deepest nesting of objects and arrays an event may have. JSON.parse copes
 * with any depth, but JSON.stringify and every recursive walk after it (content
 * hash, storage, rendering) overflow the stack a few thousand levels down, so
 * deeper events are refused here with their line. 1,000 is also Jackson's
 * default (StreamReadConstraints), which Elasticsearch parses with.
 */
export const MAX_NESTING_DEPTH = 1_000;

/** The (decompressed) body is larger than the caller allows: a gzip bomb or simply too big. */
export class BodyTooLargeError extends ReadEventsError {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the events body is larger than the limit of ${limit} bytes (after decompression)`);
  }
}

/** Passes the body through, failing as soon as it exceeds `limit` bytes. */
async function* limitBody(body: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/** How much of the (decompressed) body is inspected for binary content. */
export const SNIFF_BYTES = 1024;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isJsonWhitespace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export async function* readEvents(
  input: AsyncIterable<Uint8Array>,
  options: ReadEventsOptions = {},
): AsyncGenerator<ReadEventItem> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const raw = await takeHead(input[Symbol.asyncIterator](), 2);
  const gzipped = raw.head.length >= 2 && raw.head[0] === 0x1f && raw.head[1] === 0x8b;
  const unlimited = gzipped ? gunzip(prepend(raw.head, raw.rest)) : prepend(raw.head, raw.rest);
  const body = options.maxBodyBytes === undefined ? unlimited : limitBody(unlimited, options.maxBodyBytes);

  const sniffed = await takeHead(body[Symbol.asyncIterator](), SNIFF_BYTES + 3);
  let head = sniffed.head;
  // A UTF-8 byte order mark is allowed once, at the very start; JSON.parse would reject it.
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
  const binary = looksBinary(head.subarray(0, SNIFF_BYTES));

  const scanner = new EventScanner(maxLineBytes);
  let first = true;
  const check = (item: ReadEventItem): ReadEventItem => {
    // Binary data with nothing parseable at the start is not an upload of events at all: refuse the body.
    if (first && binary && "error" in item) {
      throw new ReadEventsError(
        `the body is not JSON, NDJSON or gzip: its first ${SNIFF_BYTES} bytes hold binary data (NUL bytes or invalid UTF-8) and line ${item.line} does not parse (${item.error})`,
      );
    }
    first = false;
    return item;
  };

  try {
    for await (const chunk of prepend(head, sniffed.rest)) {
      for (const item of scanner.push(chunk)) yield check(item);
    }
  } catch (error) {
    // A body that breaks off after good events (a cut or damaged gzip) keeps them: the break
    // becomes the last item, at the line where reading stopped. With nothing read yet, or past
    // the size limit, the body as a whole is refused.
    if (!(error instanceof ReadEventsError) || error instanceof BodyTooLargeError || first) throw error;
    yield {
      line: scanner.currentLine(),
      error: `${error.message}; the body breaks off here, nothing from this line on could be read`,
    };
    return;
  }
  for (const item of scanner.end()) yield check(item);
}

/** Reads chunks until at least `size` bytes (or the end) and returns them joined, plus the iterator for the rest. */
async function takeHead(
  iterator: AsyncIterator<Uint8Array>,
  size: number,
): Promise<{ head: Buffer; rest: AsyncIterator<Uint8Array> }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = toBuffer(next.value);
    parts.push(chunk);
    length += chunk.length;
  }
  return { head: parts.length === 1 ? parts[0]! : Buffer.concat(parts, length), rest: iterator };
}

async function* prepend(head: Buffer, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      if (next.value.byteLength > 0) yield toBuffer(next.value);
    }
  } finally {
    // Stopping early (a consumer that returns) must release the source, e.g. an HTTP body.
    await rest.return?.();
  }
}

/** Streams through zlib; zlib's errors (truncated or corrupt data) become ReadEventsError. */
async function* gunzip(compressed: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const inflater = createGunzip();
  let compressedBytes = 0;
  const counted = (async function* () {
    for await (const chunk of compressed) {
      compressedBytes += chunk.length;
      yield chunk;
    }
  })();
  // pipeline forwards a source error into the inflater, so iterating it sees every failure.
  pipeline(Readable.from(counted), inflater, () => {});
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      const what = code === "Z_BUF_ERROR" ? "truncated" : "corrupt";
      throw new ReadEventsError(
        `the gzip data is ${what} (${(error as Error).message}) after ${compressedBytes} compressed bytes`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    inflater.destroy();
  }
}

export function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  try {
    // stream: true leaves a character cut at the sniff boundary pending instead of calling it invalid.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}

/**
 * Parses one line or array element. `line`/`column` say where `text` starts in
 * the file; V8's "at position N" is turned into a file line and column.
 */
export function parseItem(text: string, line: number, column: number): ReadEventItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalidJson(error as Error, text, line, column);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { line, error: `expected a JSON object, found ${describeType(value)}` };
  }
  if (mayNestDeeper(text, MAX_NESTING_DEPTH) && nestedDeeper(value, MAX_NESTING_DEPTH)) {
    return { line, error: `the event is nested deeper than ${MAX_NESTING_DEPTH} levels; skipped` };
  }
  return { line, event: value as Record<string, unknown>, text };
}

/**
 * Cheap pre-check on the text: nesting deeper than `limit` needs more than
 * `limit` opening brackets. Counting them with indexOf (native, no per-char
 * JavaScript) keeps ordinary events from paying for the walk below.
 */
function mayNestDeeper(text: string, limit: number): boolean {
  if (text.length <= 2 * limit) return false;
  let openers = 0;
  for (const opener of ["{", "["]) {
    for (let index = text.indexOf(opener); index !== -1; index = text.indexOf(opener, index + 1)) {
      if (++openers > limit) return true;
    }
  }
  return false;
}

/** Walks the parsed value without recursion (so depth itself cannot overflow the stack). */
function nestedDeeper(root: object, limit: number): boolean {
  const stack: [object, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

const MAX_REASON_LENGTH = 200;

function invalidJson(error: Error, text: string, line: number, column: number): ReadEventItem {
  let reason = error.message;
  const position = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(reason);
  const item: { line: number; column?: number; error: string } = { line, error: "" };
  if (position) {
    reason = reason.replace(position[0], "");
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const lastNewline = before.lastIndexOf("\n");
    if (lastNewline === -1) {
      item.column = column + offset;
    } else {
      item.line = line + countNewlines(before);
      item.column = offset - lastNewline;
    }
  } else if (/Unexpected end of JSON input/.test(reason)) {
    item.column = column + text.length;
  }
  if (reason.length > MAX_REASON_LENGTH) reason = `${reason.slice(0, MAX_REASON_LENGTH)}…`;
  item.error = `invalid JSON: ${escapeControlCharacters(reason)}`;
  return item;
}

/**
 * JSON.parse quotes the start of the text it refused, raw: a binary file's NUL bytes and other controls would reach
 * the upload's report, the screen and the database. Written as \u escapes they stay readable, and PostgreSQL, whose
 * text cannot hold a NUL at all, can store the message (a NUL once kept a failed upload from being marked failed).
 */
function escapeControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count++;
  return count;
}

export function tooLong(maxLineBytes: number, what: string): string {
  return `${what} is longer than the ${formatBytes(maxLineBytes)} limit; skipped`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Collects the bytes of one line or element across chunks, up to a limit. */
class Piece {
  private parts: Buffer[] = [];
  length = 0;
  overflow = false;

  constructor(private readonly limit: number) {}

  add(bytes: Buffer): void {
    if (this.overflow || bytes.length === 0) return;
    if (this.length + bytes.length > this.limit) {
      // Past the limit the bytes are dropped as they come, so a huge line never sits in memory.
      this.overflow = true;
      this.parts = [];
      return;
    }
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  take(): Buffer {
    const joined = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.reset();
    return joined;
  }

  reset(): void {
    this.parts = [];
    this.length = 0;
    this.overflow = false;
  }
}

type Mode = "start" | "ndjson" | "array" | "after-array" | "ignore";

/**
 * The incremental scanner: push chunks, get complete items back. Chunk
 * boundaries never change the result (the tests check it with one-byte chunks).
 */
class EventScanner {
  private mode: Mode = "start";
  /** 1-based line of the next byte. */
  private line = 1;
  /** 1-based column (in characters) of the next byte, kept in array mode only. */
  private column = 1;
  private readonly piece: Piece;

  // NDJSON state.
  private lineStart = 1;

  // Array state.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inElement = false;
  private elementLine = 0;
  private elementColumn = 0;
  /** A comma was seen and no element has started since. */
  private afterComma = false;

  constructor(private readonly maxLineBytes: number) {
    this.piece = new Piece(maxLineBytes);
  }

  *push(chunk: Buffer): Generator<ReadEventItem> {
    const items: ReadEventItem[] = [];
    let index = 0;
    while (index < chunk.length) {
      switch (this.mode) {
        case "start":
          index = this.skipLeadingWhitespace(chunk, index);
          break;
        case "ndjson":
          index = this.scanLines(chunk, index, items);
          break;
        case "array":
          index = this.scanArray(chunk, index, items);
          break;
        case "after-array":
          index = this.scanAfterArray(chunk, index, items);
          break;
        case "ignore":
          index = chunk.length;
          break;
      }
      // Each scan step completes at most one item; it is passed on before the next is parsed.
      if (items.length > 0) {
        yield* items;
        items.length = 0;
      }
    }
  }

  /** The line of the item being read (or of the next one): where a body that breaks off stops. */
  currentLine(): number {
    if (this.mode === "ndjson") return this.lineStart;
    if (this.mode === "array" && this.inElement) return this.elementLine;
    return this.line;
  }

  end(): ReadEventItem[] {
    const items: ReadEventItem[] = [];
    if (this.mode === "ndjson") {
      if (this.piece.overflow || this.piece.length > 0) this.finishLine(items);
    } else if (this.mode === "array") {
      if (this.inElement) this.finishElement(items);
      items.push({
        line: this.line,
        column: this.column,
        error: "invalid JSON: the body ends before the closing ] of the array",
      });
    }
    return items;
  }

  private skipLeadingWhitespace(chunk: Buffer, index: number): number {
    while (index < chunk.length) {
      const byte = chunk[index]!;
      if (byte === LF) {
        this.line++;
      } else if (!isJsonWhitespace(byte)) {
        if (byte === OPEN_BRACKET) {
          this.mode = "array";
          this.column = 2;
          return index + 1;
        }
        this.mode = "ndjson";
        this.lineStart = this.line;
        return index;
      }
      index++;
    }
    return index;
  }

  private scanLines(chunk: Buffer, index: number, items: ReadEventItem[]): number {
    const newline = chunk.indexOf(LF, index);
    if (newline === -1) {
      this.piece.add(chunk.subarray(index));
      return chunk.length;
    }
    this.piece.add(chunk.subarray(index, newline));
    this.finishLine(items);
    this.line++;
    this.lineStart = this.line;
    return newline + 1;
  }

  private finishLine(items: ReadEventItem[]): void {
    const line = this.lineStart;
    if (this.piece.overflow) {
      this.piece.reset();
      items.push({ line, error: tooLong(this.maxLineBytes, "the line") });
      return;
    }
    let bytes = this.piece.take();
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (isBlank(bytes)) return;
    items.push(parseItem(bytes.toString("utf8"), line, 1));
  }

  private scanArray(chunk: Buffer, index: number, items: ReadEventItem[]): number {
    let elementFrom = this.inElement ? index : -1;
    while (index < chunk.length) {
      const byte = chunk[index]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        else if (byte === LF) this.newline();
      } else if (byte === LF) {
        this.newline();
      } else if (this.depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
        if (this.inElement) {
          this.piece.add(chunk.subarray(elementFrom, index));
          elementFrom = -1;
          this.finishElement(items);
        } else if (this.afterComma || byte === COMMA) {
          items.push({
            line: this.line,
            column: this.column,
            error: `invalid JSON: missing array element before '${byte === COMMA ? "," : "]"}'`,
          });
        }
        this.afterComma = byte === COMMA;
        if (byte === CLOSE_BRACKET) this.mode = "after-array";
        // Hand each element over as soon as it is complete, so a large chunk is never parsed all at once.
        this.column++;
        return index + 1;
      } else if (!isJsonWhitespace(byte)) {
        if (!this.inElement) {
          this.inElement = true;
          this.afterComma = false;
          this.elementLine = this.line;
          this.elementColumn = this.column;
          elementFrom = index;
        }
        if (byte === QUOTE) this.inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
        // A stray closer must not hide the next separator; JSON.parse reports the element instead.
        else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && this.depth > 0) this.depth--;
      }
      // Columns count characters: UTF-8 continuation bytes do not start one.
      if (byte !== LF && (byte & 0xc0) !== 0x80) this.column++;
      index++;
    }
    if (this.inElement) this.piece.add(chunk.subarray(elementFrom));
    return index;
  }

  private newline(): void {
    this.line++;
    this.column = 1;
  }

  private finishElement(items: ReadEventItem[]): void {
    const line = this.elementLine;
    this.inElement = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    if (this.piece.overflow) {
      this.piece.reset();
      items.push({ line, error: tooLong(this.maxLineBytes, "the array element") });
      return;
    }
    items.push(parseItem(this.piece.take().toString("utf8").trimEnd(), line, this.elementColumn));
  }

  private scanAfterArray(chunk: Buffer, index: number, items: ReadEventItem[]): number {
    while (index < chunk.length) {
      const byte = chunk[index]!;
      if (byte === LF) {
        this.newline();
      } else if (isJsonWhitespace(byte)) {
        this.column++;
      } else {
        items.push({
          line: this.line,
          column: this.column,
          error: "invalid JSON: unexpected data after the closing ] of the array; the rest of the body is ignored",
        });
        this.mode = "ignore";
        return chunk.length;
      }
      index++;
    }
    return index;
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (!isJsonWhitespace(byte)) return false;
  return true;
}
