import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { compile, EqlError, type EqlEvent, type EqlOptions, type EqlResult, run } from "../../eql";
import { ReadEventsError, readEvents } from "../../events/read-events";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";

const help = `Usage: keelwatch eql --events FILE (--query 'EQL' | --query-file FILE)
              [--event-category-field event.category] [--timestamp-field @timestamp]
              [--tiebreaker-field FIELD] [--size N] [--case-insensitive] [--stats]

Runs one EQL query over an events file with Elasticsearch's semantics and prints one JSON object per line:
  event queries: the matching event
  sequences:     {"sequence":[e1,e2,...],"join_keys":[...]}
  samples:       {"sample":[...],"join_keys":[...]}
FILE may be - for stdin; .gz files are read transparently; NDJSON or a JSON array.
Events are ordered by timestamp (then tiebreaker, then file order) before the query runs, as Elasticsearch does.
Lines that are not JSON objects are reported on stderr with their line number and skipped.
--stats prints events read, results and elapsed time to stderr.
Exit codes: 0 done (with or without matches), 1 unreadable input, 2 bad query or usage
(a bad query prints "line L, column C: message" on stderr).`;

interface EqlArgs {
  events: string;
  query: string;
  options: EqlOptions;
  stats: boolean;
}

function parseEqlArgs(argv: string[], io: CliIO): EqlArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        events: { type: "string" },
        query: { type: "string" },
        "query-file": { type: "string" },
        "event-category-field": { type: "string" },
        "timestamp-field": { type: "string" },
        "tiebreaker-field": { type: "string" },
        size: { type: "string" },
        "case-insensitive": { type: "boolean" },
        stats: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const events = values.events as string | undefined;
  if (!events) throw new UsageError("--events FILE is required");
  const inline = values.query as string | undefined;
  const queryFile = values["query-file"] as string | undefined;
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
  if (values["event-category-field"]) options.eventCategoryField = values["event-category-field"] as string;
  if (values["timestamp-field"]) options.timestampField = values["timestamp-field"] as string;
  if (values["tiebreaker-field"]) options.tiebreakerField = values["tiebreaker-field"] as string;
  if (values["case-insensitive"]) options.caseInsensitive = true;
  if (values.size !== undefined) {
    const size = Number(values.size);
    if (!Number.isInteger(size) || size < 0)
      throw new UsageError(`--size must be a whole number ≥ 0, not ${values.size}`);
    options.size = size;
  }
  return { events, query, options, stats: values.stats === true };
}

/** The contract's output line for one result. */
export function resultLine(result: EqlResult): string {
  if (result.kind === "event") return JSON.stringify(result.event);
  if (result.kind === "sequence") return JSON.stringify({ sequence: result.events, join_keys: result.joinKeys });
  return JSON.stringify({ sample: result.events, join_keys: result.joinKeys });
}

async function write(io: CliIO, text: string): Promise<void> {
  if (!io.stdout.write(text)) await new Promise((resolve) => io.stdout.once("drain", resolve));
}

export const eqlCommand: CliCommand = {
  summary: "run an EQL query over an events file",
  help,
  async run(argv, io) {
    const args = parseEqlArgs(argv, io);
    const started = performance.now();
    try {
      // Compile before reading a byte, so a bad query fails fast on a huge file.
      compile(args.query, args.options);
    } catch (error) {
      if (error instanceof EqlError) {
        io.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    }

    const source = args.events === "-" ? "stdin" : args.events;
    const full = path.resolve(io.cwd, args.events);
    if (args.events !== "-" && !fs.existsSync(full)) {
      io.stderr.write(`keelwatch eql: no such file: ${args.events}\n`);
      return 1;
    }
    const input = args.events === "-" ? (io.stdin as AsyncIterable<Uint8Array>) : fs.createReadStream(full);
    const events: EqlEvent[] = [];
    let skipped = 0;
    try {
      for await (const item of readEvents(input)) {
        if ("error" in item) {
          skipped++;
          const column = item.column === undefined ? "" : `, column ${item.column}`;
          io.stderr.write(`${source} line ${item.line}${column}: ${item.error}\n`);
        } else {
          events.push(item.event);
        }
      }
    } catch (error) {
      if (error instanceof ReadEventsError) {
        io.stderr.write(`keelwatch eql: ${source}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }

    const results = run(args.query, events, args.options);
    for (const result of results) await write(io, `${resultLine(result)}\n`);
    if (args.stats) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(events.length / seconds) : events.length;
      io.stderr.write(
        `events read: ${events.length}, skipped: ${skipped}, results: ${results.length}, ` +
          `elapsed: ${seconds.toFixed(3)} s (${rate} events/s)\n`,
      );
    }
    return 0;
  },
};
