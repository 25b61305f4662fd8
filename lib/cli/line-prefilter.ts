import type { LinePrefilter, PrefilterLiteral } from "../eql";

/** The start of a file is passed on whole: the reader sniffs it (binary data, BOM, JSON array). */
const UNFILTERED_HEAD_BYTES = 64 * 1024;
/** Longer lines are passed on, so the reader still reports a line over its limit. */
const LONGEST_FILTERED_LINE = 1024 * 1024;
const NEWLINE = 0x0a;
const BLANK_LINE = Buffer.from("\n");
const NON_ASCII = /[\x80-\xff]/g;

export interface PrefilterCount {
  /** Lines replaced by blank lines, never parsed. */
  skipped: number;
}

/** A clause as searches: one per case mode, each a plain string (one literal) or a regex of alternatives. */
type ClauseSearch = (string | RegExp)[];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * One clause (literals of which a line needs one) as at most two searches over a whole block
 * read as latin1: its case-sensitive literals and its case-insensitive ones. Several literals
 * become one regex, so the block is scanned once, not once per literal. A case-insensitive
 * literal is plain ASCII (compilePrefilter sees to it), where the regex's `i` is lowercasing.
 */
function clauseSearch(clause: readonly PrefilterLiteral[]): ClauseSearch {
  const searches: ClauseSearch = [];
  for (const caseInsensitive of [false, true]) {
    const texts = [
      ...new Set(
        clause
          .filter((literal) => literal.caseInsensitive === caseInsensitive)
          .map((literal) => Buffer.from(literal.text, "utf8").toString("latin1")),
      ),
    ];
    if (texts.length === 0) continue;
    if (texts.length === 1 && !caseInsensitive) searches.push(texts[0] as string);
    else searches.push(new RegExp(texts.map(escapeRegex).join("|"), caseInsensitive ? "gi" : "g"));
  }
  return searches;
}

/** Whether `block[from, to)` is shaped like one JSON object (spaces, tabs and a CR around it allowed). */
function looksLikeObject(block: Buffer, from: number, to: number): boolean {
  let start = from;
  let end = to - 1;
  while (start <= end && (block[start] === 0x20 || block[start] === 0x09)) start++;
  while (end >= start && (block[end] === 0x20 || block[end] === 0x09 || block[end] === 0x0d)) end--;
  return block[start] === 0x7b && block[end] === 0x7d;
}

/**
 * Which of a block's lines may match: the same decision as `prefilter.mayMatch` for each line,
 * taken by searching the whole block for each literal (native indexOf) instead of every line
 * for every literal. `ends[i]` is the offset of line i's newline.
 */
export function linesThatMayMatch(prefilter: LinePrefilter, block: Buffer, ends: readonly number[]): Uint8Array {
  const text = block.toString("latin1");
  const lineCount = ends.length;
  const lineOf = (position: number, from: number): number => {
    let line = from;
    while ((ends[line] as number) < position) line++;
    return line;
  };
  /** Marks the lines holding `search`; after a hit the search goes on from the next line. */
  const mark = (search: string | RegExp, into: Uint8Array): void => {
    let line = 0;
    if (typeof search === "string") {
      for (let at = text.indexOf(search); at !== -1; ) {
        line = lineOf(at, line);
        into[line] = 1;
        at = text.indexOf(search, (ends[line] as number) + 1);
        line++;
      }
      return;
    }
    search.lastIndex = 0;
    for (let match = search.exec(text); match !== null; match = search.exec(text)) {
      line = lineOf(match.index, line);
      into[line] = 1;
      search.lastIndex = (ends[line] as number) + 1;
      line++;
    }
  };

  const keep = new Uint8Array(lineCount);
  const escaped = new Uint8Array(lineCount);
  mark("\\", escaped);
  let nonAscii: Uint8Array | null = null;
  const nonAsciiLines = (): Uint8Array => {
    if (nonAscii === null) {
      nonAscii = new Uint8Array(lineCount);
      mark(NON_ASCII, nonAscii);
    }
    return nonAscii;
  };
  for (const clauses of prefilter.alternatives) {
    let passing: Uint8Array | null = null;
    for (const clause of clauses) {
      const found = new Uint8Array(lineCount);
      for (const search of clauseSearch(clause)) mark(search, found);
      if (clause.some((literal) => literal.caseInsensitive)) {
        // A case-insensitive literal may hide behind Unicode case folding in a non-ASCII line.
        const wide = nonAsciiLines();
        for (let line = 0; line < lineCount; line++) found[line] = (found[line] as number) | (wide[line] as number);
      }
      if (passing === null) passing = found;
      else
        for (let line = 0; line < lineCount; line++)
          passing[line] = (passing[line] as number) & (found[line] as number);
    }
    if (passing === null) return keep.fill(1);
    for (let line = 0; line < lineCount; line++) keep[line] = (keep[line] as number) | (passing[line] as number);
  }
  for (let line = 0; line < lineCount; line++) {
    if (escaped[line] === 1) keep[line] = 1;
    const from = line === 0 ? 0 : (ends[line - 1] as number) + 1;
    const to = ends[line] as number;
    if (to - from > LONGEST_FILTERED_LINE || !looksLikeObject(block, from, to)) keep[line] = 1;
  }
  return keep;
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
  let passed = 0;
  let filtering: boolean | null = null; // null: not decided until the first non-blank byte
  let partial: Buffer = Buffer.alloc(0);
  for await (const raw of input) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (filtering === null) {
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b && passed === 0 && partial.length === 0) {
        filtering = false; // gzip: the reader decompresses and reports it
      } else {
        const first = /[^\s\uFEFF\u00bb\u00bf\u00ef]/.exec(chunk.toString("latin1", 0, Math.min(chunk.length, 4096)));
        if (first) filtering = first[0] !== "[";
      }
    }
    const block = partial.length === 0 ? chunk : Buffer.concat([partial, chunk]);
    const last = block.lastIndexOf(NEWLINE);
    if (last === -1) {
      partial = block;
      continue;
    }
    partial = block.subarray(last + 1);
    const whole = block.subarray(0, last + 1);
    if (filtering !== true || passed < UNFILTERED_HEAD_BYTES) {
      passed += whole.length;
      yield whole;
      continue;
    }
    const ends: number[] = [];
    for (let at = whole.indexOf(NEWLINE); at !== -1; at = whole.indexOf(NEWLINE, at + 1)) ends.push(at);
    const keep = linesThatMayMatch(prefilter, whole, ends);
    const pieces: Buffer[] = [];
    let from = 0;
    for (let line = 0; line < ends.length; line++) {
      const to = (ends[line] as number) + 1;
      if (keep[line] === 1) pieces.push(whole.subarray(from, to));
      else {
        count.skipped++;
        pieces.push(BLANK_LINE);
      }
      from = to;
    }
    yield Buffer.concat(pieces);
  }
  if (partial.length > 0) yield partial;
}
