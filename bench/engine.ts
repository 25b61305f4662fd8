/**
 * The engine part of `npm run bench`, on generated cloud_defend events:
 *
 * 1. the floor: reading the file and JSON.parse of every line (lib/events readEvents);
 * 2. each seed rule's query, and all three at once, on top of that floor;
 * 3. a `sequence by process.entity_id` query, with and without maxspan,
 *    with the heap after a forced GC at each quarter of the input;
 * 4. ingestEvents into a fresh SQLite file, twice (the second upload is the idempotent path);
 * 5. the batch writer thread alone storing the same events' rows, with and without their documents:
 *    the ceiling that storage sets on any ingest rate.
 *
 * Every measurement runs in its own node process (bench/measure.ts) so heaps
 * and peak RSS do not carry over. BENCH_CPU_PROF=1 writes V8 CPU profiles of
 * the query passes to .cache/bench/profiles.
 */
import fs from "node:fs";
import path from "node:path";
import type { Rule } from "../lib/rules/schema";
import { ensureEventsFile } from "./generate";
import type { IngestResult, MeasureSpec, PassResult } from "./measure";
import { PROFILE_DIR, runMeasure, timed } from "./measure-child";
import { consoleTable, eventsPerSecond, heapGrowth, markdownSection, mib, type Row, ratioToFloor } from "./report";
import { microsPerEvent } from "./stats";
import type { Verdict } from "./targets";

export const SEQUENCE_QUERY = `sequence by process.entity_id
  [process where event.action == "fork"]
  [process where event.action == "exec"]`;
export const SEQUENCE_MAXSPAN_QUERY = `sequence by process.entity_id with maxspan=1m
  [process where event.action == "fork"]
  [process where event.action == "exec"]`;

export interface EngineOutput {
  text: string;
  markdown: string;
  verdicts: Verdict[];
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export async function runEngine(options: {
  root: string;
  count: number;
  ingestCount: number;
  rules: readonly Rule[];
}): Promise<EngineOutput> {
  const { root, count, ingestCount, rules } = options;
  if (process.env.BENCH_CPU_PROF === "1") fs.mkdirSync(PROFILE_DIR, { recursive: true });

  const events = await timed(`events file (${count})`, () => ensureEventsFile(count, root));
  const ingestFile = await timed(`ingest file (${ingestCount})`, () => ensureEventsFile(ingestCount, root));
  const file = events.file;

  const pass = (spec: MeasureSpec, label: string, profile?: string) =>
    timed(label, () => runMeasure<PassResult>(spec, profile));

  // The I/O pass also brings the file into the page cache, so the floor does not pay for the disk.
  const io = await pass({ kind: "io", file, events: count }, "read bytes only");
  const parse = await pass({ kind: "parse", file, events: count }, "split + JSON.parse");
  const floor = await pass({ kind: "read", file, events: count }, "floor: readEvents", "floor");

  const rows: Row[] = [
    { name: "read bytes only", detail: "fs stream of the file, 1 MiB chunks; no parsing", result: io },
    { name: "split + JSON.parse", detail: "newline split and JSON.parse per line, nothing else", result: parse },
    {
      name: "floor: readEvents",
      detail: "lib/events readEvents (split, JSON.parse, per-line errors): what every query below also pays",
      result: floor,
      versusFloor: true,
    },
  ];
  const queries: { name: string; query: string }[] = [];
  for (const rule of rules) {
    const result = await pass(
      { kind: "query", file, events: count, queries: [rule.query] },
      rule.name,
      slug(rule.name),
    );
    rows.push({ name: rule.name, detail: "", result, versusFloor: true });
    queries.push({ name: rule.name, query: rule.query });
  }
  const all = await pass(
    { kind: "query", file, events: count, queries: rules.map((rule) => rule.query) },
    "all seed queries",
    "all-seed-queries",
  );
  rows.push({
    name: "all seed queries at once",
    detail: "one runner per seed rule, fed the same events",
    result: all,
    versusFloor: true,
  });

  for (const [name, query] of [
    ["sequence by process.entity_id", SEQUENCE_QUERY],
    ["sequence by process.entity_id with maxspan=1m", SEQUENCE_MAXSPAN_QUERY],
  ] as const) {
    const result = await pass({ kind: "query", file, events: count, queries: [query] }, name, slug(name));
    rows.push({ name, detail: "", result, versusFloor: true });
    queries.push({ name, query });
  }

  const ingest = await timed(`in-process ingest of ${ingestCount} events, twice`, () =>
    runMeasure<IngestResult>({ kind: "ingest", file: ingestFile.file, events: ingestCount }),
  );
  const store = (documents: boolean) =>
    timed(`batch writer alone, ${ingestCount} events' rows${documents ? "" : " without documents"}`, () =>
      runMeasure<PassResult>({ kind: "store", file: ingestFile.file, events: ingestCount, documents }),
    );
  const storeWithDocuments = await store(true);
  const storeWithoutDocuments = await store(false);
  const ingestRows: Row[] = [
    { name: "ingest, first upload", detail: "", result: ingest.first },
    { name: "ingest, same file again", detail: "", result: ingest.second },
    {
      name: "batch writer alone",
      detail: "rows made beforehand, only storeBatch timed: event rows and their Process rows, no alerts",
      result: storeWithDocuments,
    },
    {
      name: "batch writer alone, documents left out",
      detail: 'the same rows with "{}" as each document',
      result: storeWithoutDocuments,
    },
  ];

  const { notes, verdicts } = summaryNotes(rows, floor);
  const ingestNotes = [
    `first upload: ${ingest.first.accepted.toLocaleString("en-US")} events stored, ${ingest.first.alerts} alerts created ` +
      `(built-in rules synced into the fresh database first, as the server does at start); ` +
      `peak RSS ${mib(ingest.first.maxRss)} MiB`,
    `database after the first upload: ${mib(ingest.first.databaseBytes)} MiB, ` +
      `${(ingest.first.databaseBytes / ingest.first.inputBytes).toFixed(2)}× the file's ${mib(ingest.first.inputBytes)} MiB of NDJSON ` +
      "(blocks, event rows, indexes, Process table and alerts; WAL checkpointed)",
    `second upload of the same file: ${ingest.second.duplicate.toLocaleString("en-US")} events recognised as duplicates, ` +
      `${ingest.second.alerts} new alerts, ${ingest.second.alertsDuplicate} matches already raised; ` +
      `peak RSS over both uploads ${mib(ingest.second.maxRss)} MiB`,
    `batch writer alone: ${microsPerEvent(storeWithDocuments).toFixed(1)} µs an event in SQLite with documents, ` +
      `${microsPerEvent(storeWithoutDocuments).toFixed(1)} µs without: one SQLite writer stores at most ` +
      `${Math.round(eventsPerSecond(storeWithDocuments)).toLocaleString("en-US")} events/s here, however fast the rest of ingest gets`,
    ...(ingestCount < count
      ? [`ingest uses the first ${ingestCount.toLocaleString("en-US")} events (BENCH_INGEST_EVENTS)`]
      : []),
  ];
  // Issue 20's storage targets, each measured in this run.
  const sizeRatio = ingest.first.databaseBytes / ingest.first.inputBytes;
  const writerRate = eventsPerSecond(storeWithDocuments);
  verdicts.push(
    {
      target: "database ≤ 1.0× the NDJSON ingested (event blocks)",
      measured: `${sizeRatio.toFixed(2)}× (${mib(ingest.first.databaseBytes)} / ${mib(ingest.first.inputBytes)} MiB, ${ingestCount.toLocaleString("en-US")} events)`,
      met: sizeRatio <= 1.0,
    },
    {
      target: "batch writer thread alone ≥ 40,000 events/s",
      measured: `${Math.round(writerRate).toLocaleString("en-US")} events/s`,
      met: writerRate >= 40_000,
    },
  );
  const text = [
    consoleTable(rows, floor),
    "",
    consoleTable(ingestRows, floor),
    "",
    ...notes.map((note) => `- ${note}`),
    ...ingestNotes.map((note) => `- ${note}`),
  ].join("\n");
  const markdown = markdownSection({
    eventsFile: { path: path.relative(root, file), bytes: fs.statSync(file).size, events: count },
    rows,
    floor,
    queries,
    ingest: {
      path: path.relative(root, ingestFile.file),
      bytes: fs.statSync(ingestFile.file).size,
      rows: ingestRows,
      notes: ingestNotes,
    },
    notes,
  });
  return { text, markdown, verdicts };
}

/** Plain statements of the figures against the targets (seed queries ≤ 1.5× floor; flat sequence memory). */
function summaryNotes(rows: readonly Row[], floor: PassResult): { notes: string[]; verdicts: Verdict[] } {
  const notes: string[] = [];
  const verdicts: Verdict[] = [];
  const queryRows = rows.filter((row) => row.versusFloor && row.result !== floor);
  const slowest = queryRows
    .filter((row) => !row.name.startsWith("sequence") && !row.name.startsWith("all seed"))
    .reduce<Row | null>((worst, row) => (!worst || row.result.millis > worst.result.millis ? row : worst), null);
  if (slowest) {
    const ratio = ratioToFloor(slowest.result, floor);
    notes.push(
      `slowest seed query: "${slowest.name}" at ${ratio.toFixed(2)}× the floor's time ` +
        `(${Math.round(eventsPerSecond(slowest.result)).toLocaleString("en-US")} events/s); target ≤ 1.5×: ${ratio <= 1.5 ? "met" : "NOT met"}`,
    );
    verdicts.push({
      target: "each seed query in-process ≤ 1.5× readEvents (engine part)",
      measured: `slowest "${slowest.name}" ${ratio.toFixed(2)}×`,
      met: ratio <= 1.5,
    });
  }
  for (const row of queryRows.filter((candidate) => candidate.name.startsWith("sequence"))) {
    const growth = heapGrowth(row.result.heap);
    const floorGrowth = heapGrowth(floor.heap);
    if (growth === null) continue;
    notes.push(
      `"${row.name}": heap ×${growth.toFixed(2)} from 25% to 100% of the input ` +
        `(floor: ×${floorGrowth === null ? "?" : floorGrowth.toFixed(2)}), ${row.result.results.toLocaleString("en-US")} sequences`,
    );
  }
  return { notes, verdicts };
}
