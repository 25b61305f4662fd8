import { StringDecoder } from "node:string_decoder";
import type { LinePrefilter } from "../eql";

/** The start of a file is passed on whole: the reader sniffs it (binary data, BOM, JSON array). */
const UNFILTERED_HEAD_CHARS = 64 * 1024;
/** Longer lines are passed on, so the reader still reports a line over its limit. */
const LONGEST_FILTERED_LINE = 1024 * 1024;

export interface PrefilterCount {
  /** Lines replaced by blank lines, never parsed. */
  skipped: number;
}

/** The input with its first chunk looked at: gzip is passed on whole (the reader reports a damaged one). */
async function* firstChunkAndRest(
  input: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ chunk: Uint8Array; gzipped: boolean }> {
  let gzipped: boolean | null = null;
  for await (const chunk of input) {
    gzipped ??= chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
    yield { chunk, gzipped };
  }
}

/** Whether a line (without its newline) is shaped like one JSON object; only those may be skipped unread. */
function looksLikeObject(line: string): boolean {
  let start = 0;
  let end = line.length - 1;
  while (start <= end && (line[start] === " " || line[start] === "\t")) start++;
  while (end >= start && (line[end] === " " || line[end] === "\t" || line[end] === "\r")) end--;
  return line[start] === "{" && line[end] === "}";
}

/**
 * The events file with every NDJSON line that cannot match replaced by a
 * blank line, so line numbers stay true and the reader skips it without
 * JSON.parse. A JSON array, the file's first 64 KiB, lines that are not one
 * object (so the reader reports them), very long lines and gzip files are
 * passed on as they are.
 */
export async function* skipUnmatchableLines(
  input: AsyncIterable<Uint8Array>,
  prefilter: LinePrefilter,
  count: PrefilterCount,
): AsyncGenerator<Buffer> {
  const decoder = new StringDecoder("utf8");
  let passed = 0;
  let filtering: boolean | null = null; // null until the first non-blank character is seen
  let partial = "";
  for await (const { chunk, gzipped } of firstChunkAndRest(input)) {
    if (gzipped) {
      yield Buffer.from(chunk);
      continue;
    }
    const text = partial + decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (filtering === null) {
      const first = /\S/.exec(text.replace(/^\uFEFF/, ""));
      if (first) filtering = first[0] !== "[";
    }
    if (filtering !== true || passed < UNFILTERED_HEAD_CHARS) {
      const cut = text.lastIndexOf("\n") + 1;
      passed += cut;
      partial = text.slice(cut);
      if (cut > 0) yield Buffer.from(text.slice(0, cut));
      continue;
    }
    const pieces: string[] = [];
    let from = 0;
    for (let newline = text.indexOf("\n", from); newline !== -1; newline = text.indexOf("\n", from)) {
      const line = text.slice(from, newline);
      if (line.length > LONGEST_FILTERED_LINE || !looksLikeObject(line) || prefilter.mayMatch(line)) {
        pieces.push(line, "\n");
      } else {
        count.skipped++;
        pieces.push("\n");
      }
      from = newline + 1;
    }
    partial = text.slice(from);
    if (pieces.length > 0) yield Buffer.from(pieces.join(""));
  }
  const tail = partial + decoder.end();
  if (tail !== "") yield Buffer.from(tail);
}
