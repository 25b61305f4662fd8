import { isAscii } from "node:buffer";
import type { LinePrefilter, PrefilterLiteral } from "../eql";

/** Longer lines are passed on, so the reader still reports a line over its limit. */
const LONGEST_FILTERED_LINE = 1024 * 1024;
const BACKSLASH = 0x5c;
const NON_ASCII = /[\x80-\xff]/g;

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

/** Where the next hit of a search lies at or after `from` in `text`, or -1. */
function nextHit(search: string | RegExp, text: string, from: number): number {
  if (typeof search === "string") return text.indexOf(search, from);
  search.lastIndex = from;
  return search.exec(text)?.index ?? -1;
}

/** Below this share of lines left to decide, each is searched alone rather than the block from line to line. */
const SPARSE = 0.25;

/**
 * Marks in `into` the lines holding `search`. With `among`, only those lines
 * are searched: the case-sensitive clauses, searched first over the whole
 * block with native indexOf, leave fewer lines for a case-insensitive regex.
 */
function mark(
  search: string | RegExp,
  text: string,
  ends: readonly number[],
  into: Uint8Array,
  among: Uint8Array | null,
): void {
  const lineCount = ends.length;
  const start = (line: number) => (line === 0 ? 0 : (ends[line - 1] as number) + 1);
  if (among === null) {
    // After a hit the search goes on from the next line.
    let line = 0;
    for (let at = nextHit(search, text, 0); at !== -1 && line < lineCount; ) {
      while ((ends[line] as number) < at) line++;
      into[line] = 1;
      line++;
      at = line < lineCount ? nextHit(search, text, start(line)) : -1;
    }
    return;
  }
  let left = 0;
  for (let line = 0; line < lineCount; line++) left += among[line] as number;
  if (left < lineCount * SPARSE) {
    for (let line = 0; line < lineCount; line++) {
      if (among[line] !== 1) continue;
      const lineText = text.slice(start(line), ends[line]);
      if (nextHit(search, lineText, 0) !== -1) into[line] = 1;
    }
    return;
  }
  // The next hit found serves every line before it: each stretch of the block is searched once.
  let hit = -2;
  for (let line = 0; line < lineCount; line++) {
    if (among[line] !== 1) continue;
    const from = start(line);
    if (hit !== -1 && hit < from) hit = nextHit(search, text, from);
    if (hit !== -1 && hit < (ends[line] as number)) into[line] = 1;
  }
}

/** Case-sensitive clauses first: their search is native indexOf, and what they rule out the regex never reads. */
function searchOrder(clauses: readonly (readonly PrefilterLiteral[])[]): (readonly PrefilterLiteral[])[] {
  const cost = (clause: readonly PrefilterLiteral[]) =>
    (clause.some((literal) => literal.caseInsensitive) ? 2 : 0) + (clause.length > 1 ? 1 : 0);
  return [...clauses].sort((a, b) => cost(a) - cost(b));
}

interface ClausePlan {
  searches: ClauseSearch;
  caseInsensitive: boolean;
  /** Lines this clause was searched in so far, and how many held one of its literals. */
  searched: number;
  held: number;
  /** Held by nearly every line searched, so it no longer pays for its search. */
  dropped: boolean;
}

/** A clause is dropped when at least this share of this many lines held it. */
const DROP_SHARE = 0.95;
const DROP_AFTER_LINES = 4096;

/**
 * Which of each block's lines may match. Each clause is searched over the
 * whole block (native indexOf, or one regex of its alternatives) instead of
 * every line for every literal; case-sensitive clauses first, and later ones
 * only in the lines still undecided.
 *
 * With `adaptive`, a clause that nearly every line holds is dropped after the
 * first few thousand lines (a key name such as `"process"` or `"host"`, found
 * in every event): searching it costs time and rules out almost nothing.
 * Dropping a clause only lets more lines through to the parser and the query,
 * so the results stay the same. Without it, the decision for each line is
 * exactly `prefilter.mayMatch`.
 */
export class BlockPrefilter {
  private readonly plans: ClausePlan[][];

  constructor(
    prefilter: LinePrefilter,
    private readonly adaptive = true,
  ) {
    this.plans = prefilter.alternatives.map((clauses) =>
      searchOrder(clauses).map((clause) => ({
        searches: clauseSearch(clause),
        caseInsensitive: clause.some((literal) => literal.caseInsensitive),
        searched: 0,
        held: 0,
        dropped: false,
      })),
    );
  }

  /** 1 for each line of `block` that may match; `ends[i]` is the offset of line i's newline. */
  select(block: Buffer, ends: readonly number[]): Uint8Array {
    const lineCount = ends.length;
    let text: string | null = null;
    const textOf = (): string => {
      text ??= block.toString("latin1");
      return text;
    };
    // Lowercasing is case folding only for ASCII; a line with other bytes may hold any case-insensitive literal.
    let nonAscii: Uint8Array | null = isAscii(block) ? new Uint8Array(0) : null;
    const nonAsciiLines = (): Uint8Array => {
      if (nonAscii === null) {
        nonAscii = new Uint8Array(lineCount);
        mark(NON_ASCII, textOf(), ends, nonAscii, null);
      }
      return nonAscii;
    };

    const keep = new Uint8Array(lineCount);
    for (const plans of this.plans) {
      let passing: Uint8Array | null = null;
      for (const plan of plans) {
        if (plan.dropped) continue;
        const searched = passing === null ? lineCount : count(passing);
        const found = new Uint8Array(lineCount);
        for (const search of plan.searches) mark(search, textOf(), ends, found, passing);
        if (plan.caseInsensitive) {
          const wide = nonAsciiLines();
          if (wide.length > 0)
            for (let line = 0; line < lineCount; line++) found[line] = (found[line] as number) | (wide[line] as number);
        }
        if (passing === null) passing = found;
        else
          for (let line = 0; line < lineCount; line++)
            passing[line] = (passing[line] as number) & (found[line] as number);
        if (this.adaptive) this.tally(plan, searched, count(found));
      }
      if (passing === null) return keep.fill(1);
      for (let line = 0; line < lineCount; line++) keep[line] = (keep[line] as number) | (passing[line] as number);
    }
    // A line with an escape may hold any literal in escaped form.
    if (block.includes(BACKSLASH)) mark("\\", textOf(), ends, keep, null);
    for (let line = 0; line < lineCount; line++) {
      const from = line === 0 ? 0 : (ends[line - 1] as number) + 1;
      const to = ends[line] as number;
      if (to - from > LONGEST_FILTERED_LINE || !looksLikeObject(block, from, to)) keep[line] = 1;
    }
    return keep;
  }

  private tally(plan: ClausePlan, searched: number, held: number): void {
    plan.searched += searched;
    plan.held += held;
    if (plan.searched >= DROP_AFTER_LINES && plan.held >= plan.searched * DROP_SHARE) plan.dropped = true;
  }
}

function count(marks: Uint8Array): number {
  let total = 0;
  for (let index = 0; index < marks.length; index++) total += marks[index] as number;
  return total;
}

/** The lines of one block that may match, decided exactly as `prefilter.mayMatch` decides each line. */
export function linesThatMayMatch(prefilter: LinePrefilter, block: Buffer, ends: readonly number[]): Uint8Array {
  return new BlockPrefilter(prefilter, false).select(block, ends);
}
