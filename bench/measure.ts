/**
 * One benchmark measurement, run in its own node process (bench/measure-child.ts) so
 * each figure starts from a fresh heap and its peak RSS is its own.
 *
 * Usage: node --expose-gc --import tsx bench/measure.ts '<MeasureSpec as JSON>'
 * The result is printed as one stdout line starting with RESULT_PREFIX;
 * progress goes to stderr.
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import type { EventRow } from "../lib/db/events";
import { compile, createRunner, type EqlRunner } from "../lib/eql";
import { readEvents } from "../lib/events/read-events";

export const RESULT_PREFIX = "BENCH_RESULT ";

export type MeasureSpec =
  /** Read the bytes only: the disk / page cache cost. */
  | { kind: "io"; file: string; events: number }
  /** Split lines and JSON.parse them, nothing else: the cheapest possible parse. */
  | { kind: "parse"; file: string; events: number }
  /** lib/events readEvents (split + parse + error handling): the floor every query pays. */
  | { kind: "read"; file: string; events: number }
  /** readEvents, then each event pushed to one runner per query. */
  | { kind: "query"; file: string; events: number; queries: string[] }
  /** The whole ingest pipeline into a fresh SQLite file, uploaded twice (the second is the idempotent path). */
  | { kind: "ingest"; file: string; events: number }
  /**
   * The batch writer thread alone: the file's events made into rows beforehand (untimed), then each batch's
   * storeBatch timed, with nothing else running. The floor of storing events under the real schema; with
   * `documents: false` every row's document is "{}", which shows what storing the documents costs.
   */
  | { kind: "store"; file: string; events: number; documents: boolean };

export interface HeapSample {
  /** Share of the input read, 0.25 .. 1. */
  fraction: number;
  /** process.memoryUsage().heapUsed after a forced GC, in bytes. */
  heapUsed: number;
}

export interface PassResult {
  events: number;
  millis: number;
  /** Results the queries returned, summed (0 for io/parse/read). */
  results: number;
  heap: HeapSample[];
  /** Peak resident set size of this process, in bytes. */
  maxRss: number;
}

export interface IngestResult {
  /** databaseBytes: the database file after the first upload, its WAL checkpointed in; inputBytes: the NDJSON file */
  first: PassResult & { accepted: number; alerts: number; databaseBytes: number; inputBytes: number };
  second: PassResult & { duplicate: number; alerts: number; alertsDuplicate: number };
}

const CHECKPOINTS = [0.25, 0.5, 0.75, 1];
const READ_CHUNK = 1 << 20;

function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("bench/measure.ts: run node with --expose-gc (bench/measure-child.ts does)");
  gc();
}

function maxRssBytes(): number {
  // resourceUsage reports kilobytes on Linux.
  return process.resourceUsage().maxRSS * 1024;
}

/** Calls `sample` once the count reaches each quarter of `total`. */
function heapProbe(total: number): { tick(count: number): void; samples: HeapSample[] } {
  const marks = CHECKPOINTS.map((fraction) => ({ fraction, at: Math.max(1, Math.floor(total * fraction)) }));
  const samples: HeapSample[] = [];
  let next = 0;
  return {
    samples,
    tick(count) {
      const mark = marks[next];
      if (!mark || count < mark.at) return;
      forceGc();
      samples.push({ fraction: mark.fraction, heapUsed: process.memoryUsage().heapUsed });
      next++;
    },
  };
}

function openFile(file: string): fs.ReadStream {
  return fs.createReadStream(file, { highWaterMark: READ_CHUNK });
}

async function measureIo(file: string, events: number): Promise<PassResult> {
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of openFile(file)) bytes += (chunk as Buffer).length;
  if (bytes === 0) throw new Error(`bench: ${file} is empty`);
  return { events, millis: performance.now() - started, results: 0, heap: [], maxRss: maxRssBytes() };
}

async function measureParse(file: string, total: number): Promise<PassResult> {
  const probe = heapProbe(total);
  const started = performance.now();
  let count = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const raw of openFile(file)) {
    const chunk = rest.length === 0 ? (raw as Buffer) : Buffer.concat([rest, raw as Buffer]);
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (end > start) {
        JSON.parse(chunk.toString("utf8", start, end));
        count++;
        probe.tick(count);
      }
      start = end + 1;
    }
    rest = chunk.subarray(start);
  }
  if (rest.length > 0) {
    JSON.parse(rest.toString("utf8"));
    count++;
    probe.tick(count);
  }
  return { events: count, millis: performance.now() - started, results: 0, heap: probe.samples, maxRss: maxRssBytes() };
}

async function measureQueries(file: string, total: number, queries: readonly string[]): Promise<PassResult> {
  // Compile outside the timed part: a rule is compiled once and then runs for hours.
  const runners: EqlRunner[] = queries.map((query) => createRunner(compile(query)));
  const probe = heapProbe(total);
  const started = performance.now();
  let count = 0;
  let results = 0;
  for await (const item of readEvents(openFile(file))) {
    if ("error" in item) throw new Error(`bench: ${file} line ${item.line}: ${item.error}`);
    count++;
    for (const runner of runners) results += runner.push(item.event).length;
    probe.tick(count);
  }
  for (const runner of runners) results += runner.finish().length;
  return { events: count, millis: performance.now() - started, results, heap: probe.samples, maxRss: maxRssBytes() };
}

/** Runs `measurement` on a fresh database made by the app's migrations, removed afterwards. */
async function withFreshDatabase<T>(measurement: () => Promise<T>): Promise<T> {
  // The database modules read DATABASE_URL when first used, so it is set before any of them loads.
  const { createTestDatabase } = await import("../lib/db/test-database");
  const database = createTestDatabase();
  process.env.DATABASE_URL = database.url;
  const { prisma } = await import("../lib/db/client");
  try {
    return await measurement();
  } finally {
    await prisma().$disconnect();
    database.cleanup();
  }
}

/**
 * The database's size on disk as a user would see it once idle: the writer's
 * WAL copied into the main file and truncated, so the file holds everything
 * (blocks, rows, indexes, the Process table, alerts).
 */
async function checkpointedDatabaseBytes(): Promise<number> {
  const { closeBatchWriter } = await import("../lib/db/batch-writer");
  const { databaseFile, databaseUrl } = await import("../lib/db/config");
  await closeBatchWriter();
  const file = databaseFile(databaseUrl());
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  const size = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0);
  return size(file) + size(`${file}-wal`);
}

function measureIngest(file: string, events: number): Promise<IngestResult> {
  return withFreshDatabase(async () => {
    const { syncBuiltinRules } = await import("../lib/db/rules");
    const { loadBuiltinRules } = await import("../lib/rules/load");
    const { ingestEvents } = await import("../lib/ingest/ingest");
    // As the server does at start: the built-in pack is in the database and ingest runs the enabled rules.
    await syncBuiltinRules(await loadBuiltinRules());
    // The server's upload limit (2 GiB by default) is not what this measures: a 1M-event file is larger.
    const maxBytes = fs.statSync(file).size;
    const upload = async () => {
      const started = performance.now();
      const report = await ingestEvents(openFile(file), {
        fileName: "bench.ndjson",
        format: "auto",
        createdById: null,
        maxBytes,
      });
      if (report.status !== "done") throw new Error(`bench: ingest failed: ${report.failure ?? "no reason given"}`);
      if (report.events.received !== events) {
        throw new Error(`bench: ingest received ${report.events.received} events, the file holds ${events}`);
      }
      return { report, millis: performance.now() - started };
    };
    const first = await upload();
    const afterFirst = maxRssBytes();
    const databaseBytes = await checkpointedDatabaseBytes();
    const second = await upload();
    return {
      first: {
        events,
        millis: first.millis,
        results: first.report.alerts.created,
        heap: [],
        maxRss: afterFirst,
        accepted: first.report.events.accepted,
        alerts: first.report.alerts.created,
        databaseBytes,
        inputBytes: maxBytes,
      },
      second: {
        events,
        millis: second.millis,
        results: second.report.alerts.created,
        heap: [],
        maxRss: maxRssBytes(),
        duplicate: second.report.events.duplicate,
        alerts: second.report.alerts.created,
        alertsDuplicate: second.report.alerts.duplicate,
      },
    };
  });
}

function measureStore(file: string, events: number, documents: boolean): Promise<PassResult> {
  return withFreshDatabase(async () => {
    const { createUpload } = await import("../lib/db/uploads");
    const { storeBatch } = await import("../lib/db/batch-writer");
    const { DEFAULT_BATCH_SIZE } = await import("../lib/ingest/ingest");
    const { contentHash } = await import("../lib/ingest/content-hash");
    const { eventTime, toEventRow } = await import("../lib/ingest/event-row");
    const uploadId = await createUpload({ fileName: "bench.ndjson", format: "ecs", createdById: null });
    let batch: EventRow[] = [];
    let millis = 0;
    let stored = 0;
    let count = 0;
    const store = async () => {
      const started = performance.now();
      const result = await storeBatch(uploadId, batch, []);
      millis += performance.now() - started;
      stored += result.inserted;
      batch = [];
    };
    for await (const item of readEvents(openFile(file))) {
      if ("error" in item) throw new Error(`bench: ${file} line ${item.line}: ${item.error}`);
      count++;
      const json = JSON.stringify(item.event);
      const timestamp = eventTime(item.event);
      if (!timestamp) throw new Error(`bench: ${file} line ${item.line} has no @timestamp`);
      batch.push(toEventRow(item.event, item.line, contentHash(json), timestamp, documents ? json : "{}"));
      if (batch.length === DEFAULT_BATCH_SIZE) await store();
    }
    if (batch.length > 0) await store();
    if (count !== events || stored !== events) {
      throw new Error(`bench: the file holds ${count} events and ${stored} were stored, not ${events}`);
    }
    return { events, millis, results: stored, heap: [], maxRss: maxRssBytes() };
  });
}

export async function measure(spec: MeasureSpec): Promise<PassResult | IngestResult> {
  switch (spec.kind) {
    case "io":
      return measureIo(spec.file, spec.events);
    case "parse":
      return measureParse(spec.file, spec.events);
    case "read":
      return measureQueries(spec.file, spec.events, []);
    case "query":
      return measureQueries(spec.file, spec.events, spec.queries);
    case "ingest":
      return measureIngest(spec.file, spec.events);
    case "store":
      return measureStore(spec.file, spec.events, spec.documents);
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const spec = JSON.parse(process.argv[2] ?? "null") as MeasureSpec | null;
  if (!spec) throw new Error("usage: bench/measure.ts '<spec as JSON>'");
  const result = await measure(spec);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
