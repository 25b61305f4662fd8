import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type CompiledQuery,
  compareEvents,
  compile,
  compilePrefilter,
  createRunner,
  EqlError,
  type EqlEvent,
  type EqlOptions,
  type EqlResult,
  run,
} from "../../eql";
import { compileTimestampReader } from "../../eql/event-order";
import { type LineSelector, readEventBatches } from "../../events/read-event-batches";
import { ReadEventsError } from "../../events/read-events";
import { fieldTypesOption } from "../field-types-option";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";
import { BlockPrefilter } from "../line-prefilter";
import { parseOptions } from "../options";

const help = `Usage: keelwatch eql --events FILE (--query 'EQL' | --query-file FILE)
              [--event-category-field event.category] [--timestamp-field @timestamp]
              [--tiebreaker-field FIELD] [--size N] [--max-samples-per-key N] [--case-insensitive]
              [--mapping FILE] [--no-prefilter] [--stats]

Runs one EQL query over an events file with Elasticsearch's semantics and prints one JSON object per line:
  event queries: the matching event
  sequences:     {"sequence":[e1,e2,...],"join_keys":[...]}
  samples:       {"sample":[...],"join_keys":[...]}
FILE may be - for stdin; .gz files are read transparently; NDJSON or a JSON array.
Fields compare by type: ECS fields by their ECS type (dates, IPs and CIDR blocks, numbers), and every field of
--mapping FILE (an Elasticsearch mapping: the JSON of GET <index>/_mapping) by its own; other fields by their values.
Events are ordered by timestamp (then tiebreaker, then file order) before the query runs, as Elasticsearch does;
samples take them in file order, as Elasticsearch takes index order, and give up to --max-samples-per-key (1) per key.
Lines that cannot match (they lack every string the query needs, such as "nc" in process.name == "nc") are
skipped before they are parsed, which leaves the results unchanged; --no-prefilter reads and checks every line.
A file already in that order is streamed in one pass in flat memory (matches beyond 8 MiB wait in a temporary
file until the pass is done); a file out of order is read again and sorted in memory (stdin is always sorted
in memory).
Lines that are not JSON objects are reported on stderr with their line number and skipped.
--stats prints one line to stderr after the results:
  keelwatch eql stats: events_read=N skipped=N prefiltered=N matches=N elapsed_ms=N peak_rss_mib=N.N order=streamed|sorted
(events_read: events parsed; skipped: bad lines; prefiltered: lines skipped unparsed)
Exit codes: 0 done (with or without matches), 1 unreadable input, 2 bad query or usage
(a bad query prints "line L, column C: message" on stderr).`;

interface EqlArgs {
  events: string;
  query: string;
  options: EqlOptions;
  stats: boolean;
  prefilter: boolean;
}

function parseEqlArgs(argv: string[], io: CliIO): EqlArgs {
  const values = parseOptions(argv, {
    events: { type: "string" },
    query: { type: "string" },
    "query-file": { type: "string" },
    "event-category-field": { type: "string" },
    "timestamp-field": { type: "string" },
    "tiebreaker-field": { type: "string" },
    size: { type: "string" },
    "max-samples-per-key": { type: "string" },
    mapping: { type: "string" },
    "case-insensitive": { type: "boolean" },
    stats: { type: "boolean" },
    "no-prefilter": { type: "boolean" },
  });
  const events = values.events;
  if (!events) throw new UsageError("--events FILE is required");
  const inline = values.query;
  const queryFile = values["query-file"];
  if ((inline === undefined) === (queryFile === undefined)) {
    throw new UsageError("give the query with exactly one of --query 'EQL' or --query-file FILE");
  }
  let query = inline ?? "";
  if (queryFile !== undefined) {
    const full = path.resolve(io.cwd, queryFile);
    if (!fs.existsSync(full)) throw new UsageError(`no such query file: ${queryFile}`);
    query = fs.readFileSync(full, "utf8");
  }
  const options: EqlOptions = {};
  if (values["event-category-field"]) options.eventCategoryField = values["event-category-field"];
  if (values["timestamp-field"]) options.timestampField = values["timestamp-field"];
  if (values["tiebreaker-field"]) options.tiebreakerField = values["tiebreaker-field"];
  if (values["case-insensitive"]) options.caseInsensitive = true;
  if (values.size !== undefined) {
    const size = Number(values.size);
    if (!Number.isInteger(size) || size < 0)
      throw new UsageError(`--size must be a whole number ≥ 0, not ${values.size}`);
    options.size = size;
  }
  if (values["max-samples-per-key"] !== undefined) {
    const perKey = Number(values["max-samples-per-key"]);
    if (!Number.isInteger(perKey) || perKey < 1) {
      throw new UsageError(`--max-samples-per-key must be a whole number ≥ 1, not ${values["max-samples-per-key"]}`);
    }
    options.maxSamplesPerKey = perKey;
  }
  options.fieldTypes = fieldTypesOption(values.mapping, io);
  return { events, query, options, stats: values.stats === true, prefilter: values["no-prefilter"] !== true };
}

/** The contract's output line for one result. */
export function resultLine(result: EqlResult): string {
  if (result.kind === "event") return JSON.stringify(result.event);
  if (result.kind === "sequence") return JSON.stringify({ sequence: result.events, join_keys: result.joinKeys });
  return JSON.stringify({ sample: result.events, join_keys: result.joinKeys });
}

/** What `--stats` reports; peak RSS is the whole process's high-water mark, as the OS counts it. */
export interface EqlStats {
  eventsRead: number;
  skipped: number;
  /** Lines the literal prefilter skipped without parsing them. */
  prefiltered: number;
  matches: number;
  elapsedMs: number;
  peakRssBytes: number;
  /** streamed: one pass in file order; sorted: the whole input held and sorted in memory */
  order: "streamed" | "sorted";
}

const STATS_PREFIX = "keelwatch eql stats:";

/** One key=value line, so side-by-side scripts can read it without guessing at prose. */
export function formatStats(stats: EqlStats): string {
  return (
    `${STATS_PREFIX} events_read=${stats.eventsRead} skipped=${stats.skipped} prefiltered=${stats.prefiltered} ` +
    `matches=${stats.matches} ` +
    `elapsed_ms=${Math.round(stats.elapsedMs)} peak_rss_mib=${(stats.peakRssBytes / 1024 ** 2).toFixed(1)} ` +
    `order=${stats.order}`
  );
}

/** The stats line found in `stderr` (the last one), or null when there is none. */
export function parseStats(stderr: string): EqlStats | null {
  const line = stderr
    .split("\n")
    .filter((text) => text.startsWith(STATS_PREFIX))
    .pop();
  if (!line) return null;
  const fields = new Map(
    line
      .slice(STATS_PREFIX.length)
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split("=") as [string, string | undefined]),
  );
  const number = (key: string) => {
    const value = Number(fields.get(key));
    if (!Number.isFinite(value)) throw new Error(`keelwatch eql stats line has no number for ${key}: ${line}`);
    return value;
  };
  const order = fields.get("order");
  if (order !== "streamed" && order !== "sorted") throw new Error(`keelwatch eql stats line has no order: ${line}`);
  return {
    eventsRead: number("events_read"),
    skipped: number("skipped"),
    // Lines from before the prefilter have no such field.
    prefiltered: fields.has("prefiltered") ? number("prefiltered") : 0,
    matches: number("matches"),
    elapsedMs: number("elapsed_ms"),
    peakRssBytes: Math.round(number("peak_rss_mib") * 1024 ** 2),
    order,
  };
}

async function write(io: CliIO, text: string | Buffer): Promise<void> {
  if (!io.stdout.write(text)) await new Promise((resolve) => io.stdout.once("drain", resolve));
}

/** Reports bad lines once, even when a file is read a second time. */
class BadLineReporter {
  private lastReported = 0;
  skipped = 0;
  constructor(
    private readonly io: CliIO,
    private readonly source: string,
  ) {}
  /** A second pass over the same file counts its bad lines afresh but does not print them again. */
  startPass(): void {
    this.skipped = 0;
  }
  report(item: { line: number; column?: number; error: string }): void {
    this.skipped++;
    if (item.line <= this.lastReported) return;
    this.lastReported = item.line;
    const column = item.column === undefined ? "" : `, column ${item.column}`;
    this.io.stderr.write(`${this.source} line ${item.line}${column}: ${item.error}\n`);
  }
}

/**
 * A check that events arrive in Elasticsearch order (time, then tiebreaker,
 * then file order; a missing time sorts last). Each event's time is read
 * once, not once per comparison: on a file of millions of lines that parse
 * is a visible share of the run. Full comparison only on equal times.
 */
export function createOrderCheck(options: EqlOptions): (event: EqlEvent) => boolean {
  const timeOf = compileTimestampReader(options);
  const compare = options.tiebreakerField ? compareEvents(options) : null;
  let previous: { event: EqlEvent; time: number | undefined } | null = null;
  return (event) => {
    const time = timeOf(event);
    const before = previous;
    previous = { event, time };
    if (before === null) return true;
    if (before.time === undefined) return time === undefined && (compare === null || compare(before.event, event) <= 0);
    if (time === undefined || time > before.time) return true;
    if (time < before.time) return false;
    return compare === null || compare(before.event, event) <= 0;
  };
}

const HELD_IN_MEMORY_BYTES = 8 * 1024 * 1024;
const SPILL_CHUNK_CHARS = 1024 * 1024;

/**
 * Output lines held back until a pass is known to be right. Up to `limit`
 * bytes stay in memory; beyond that they go to a temporary file, so a query
 * matching millions of events still runs in flat memory. `dispose` removes
 * the file whatever happened.
 */
export class HeldLines {
  count = 0;
  private lines: string[] = [];
  private chunk = "";
  private heldChars = 0;
  private spill: { dir: string; file: string; fd: number } | null = null;

  constructor(private readonly limit = HELD_IN_MEMORY_BYTES) {}

  add(line: string): void {
    this.count++;
    if (this.spill) {
      this.chunk += `${line}\n`;
      if (this.chunk.length >= SPILL_CHUNK_CHARS) this.flushChunk();
      return;
    }
    this.lines.push(line);
    this.heldChars += line.length + 1;
    if (this.heldChars > this.limit) this.startSpill();
  }

  /** Where the lines went beyond the memory limit, or null while they fit in memory. */
  get spillFile(): string | null {
    return this.spill?.file ?? null;
  }

  private startSpill(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-eql-"));
    const file = path.join(dir, "results.ndjson");
    this.spill = { dir, file, fd: fs.openSync(file, "w", 0o600) };
    this.chunk = this.lines.map((line) => `${line}\n`).join("");
    this.lines = [];
    this.flushChunk();
  }

  private flushChunk(): void {
    if (!this.spill || this.chunk === "") return;
    fs.writeSync(this.spill.fd, this.chunk);
    this.chunk = "";
  }

  /** Writes every held line, in order, to stdout (with backpressure). */
  async writeTo(io: CliIO): Promise<void> {
    if (!this.spill) {
      for (const line of this.lines) await write(io, `${line}\n`);
      return;
    }
    this.flushChunk();
    fs.closeSync(this.spill.fd);
    this.spill.fd = -1;
    for await (const chunk of fs.createReadStream(this.spill.file)) await write(io, chunk as Buffer);
  }

  dispose(): void {
    if (!this.spill) return;
    if (this.spill.fd !== -1) fs.closeSync(this.spill.fd);
    fs.rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
  }
}

interface Outcome {
  lines: HeldLines;
  eventsRead: number;
}

/**
 * One pass that feeds events to the runner as they arrive, which is exact only
 * while the file is already in Elasticsearch order. Result lines are held, not
 * printed, until the pass ends: an event out of order voids the pass (null).
 */
async function streamInOrder(
  compiled: CompiledQuery,
  input: AsyncIterable<Uint8Array>,
  select: LineSelector | undefined,
  badLines: BadLineReporter,
): Promise<Outcome | null> {
  const runner = createRunner(compiled);
  // A sample takes events in file order, so any order is the right one.
  const inOrder = compiled.plan.kind === "sample" ? () => true : createOrderCheck(compiled.options);
  const lines = new HeldLines();
  let eventsRead = 0;
  try {
    for await (const batch of readEventBatches(input, { select })) {
      for (const item of batch) {
        if ("error" in item) {
          badLines.report(item);
          continue;
        }
        if (!inOrder(item.event)) {
          lines.dispose();
          return null;
        }
        eventsRead++;
        for (const result of runner.push(item.event)) lines.add(resultLine(result));
      }
    }
    for (const result of runner.finish()) lines.add(resultLine(result));
  } catch (error) {
    lines.dispose();
    throw error;
  }
  return { lines, eventsRead };
}

/** Holds every event, sorts and runs: right for any order, memory grows with the input. */
async function sortInMemory(
  args: EqlArgs,
  input: AsyncIterable<Uint8Array>,
  select: LineSelector | undefined,
  badLines: BadLineReporter,
): Promise<Outcome> {
  const events: EqlEvent[] = [];
  for await (const batch of readEventBatches(input, { select })) {
    for (const item of batch) {
      if ("error" in item) badLines.report(item);
      else events.push(item.event);
    }
  }
  const lines = new HeldLines(Number.POSITIVE_INFINITY);
  for (const result of run(args.query, events, args.options)) lines.add(resultLine(result));
  return { lines, eventsRead: events.length };
}

/** Large reads: fewer, larger blocks for the prefilter's searches and fewer trips through the event loop. */
const READ_CHUNK_BYTES = 1024 * 1024;

export const eqlCommand: CliCommand = {
  summary: "run an EQL query over an events file",
  help,
  async run(argv, io) {
    const args = parseEqlArgs(argv, io);
    const started = performance.now();
    let compiled: CompiledQuery;
    try {
      // Compile before reading a byte, so a bad query fails fast on a huge file.
      compiled = compile(args.query, args.options);
    } catch (error) {
      if (error instanceof EqlError) {
        io.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    }

    const fromStdin = args.events === "-";
    const source = fromStdin ? "stdin" : args.events;
    const full = path.resolve(io.cwd, args.events);
    if (!fromStdin && !fs.existsSync(full)) {
      io.stderr.write(`keelwatch eql: no such file: ${args.events}\n`);
      return 1;
    }
    const badLines = new BadLineReporter(io, source);
    const prefilter = args.prefilter ? compilePrefilter(compiled.query, args.options) : null;
    let prefiltered = 0;
    const blocks = prefilter ? new BlockPrefilter(prefilter) : null;
    // Lines the prefilter rules out are never decoded or parsed; each pass counts them afresh.
    const select: LineSelector | undefined = blocks
      ? (block, ends) => {
          const keep = blocks.select(block, ends);
          for (let line = 0; line < keep.length; line++) if (keep[line] === 0) prefiltered++;
          return keep;
        }
      : undefined;
    const openFile = () => {
      prefiltered = 0;
      return fs.createReadStream(full, { highWaterMark: READ_CHUNK_BYTES });
    };
    let outcome: Outcome | null;
    let order: EqlStats["order"] = "streamed";
    try {
      if (fromStdin) {
        // stdin cannot be read twice, so it cannot be streamed optimistically.
        order = "sorted";
        outcome = await sortInMemory(args, io.stdin as AsyncIterable<Uint8Array>, select, badLines);
      } else {
        outcome = await streamInOrder(compiled, openFile(), select, badLines);
        if (outcome === null) {
          order = "sorted";
          badLines.startPass();
          outcome = await sortInMemory(args, openFile(), select, badLines);
        }
      }
    } catch (error) {
      if (error instanceof ReadEventsError) {
        io.stderr.write(`keelwatch eql: ${source}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }

    try {
      await outcome.lines.writeTo(io);
    } finally {
      outcome.lines.dispose();
    }
    if (args.stats) {
      const stats: EqlStats = {
        eventsRead: outcome.eventsRead,
        skipped: badLines.skipped,
        prefiltered,
        matches: outcome.lines.count,
        elapsedMs: performance.now() - started,
        // resourceUsage reports kilobytes.
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        order,
      };
      io.stderr.write(`${formatStats(stats)}\n`);
    }
    return 0;
  },
};
