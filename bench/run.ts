/**
 * `npm run bench`: EQL and ingest throughput on generated cloud_defend events.
 *
 * 1. the floor: reading the file and JSON.parse of every line (lib/events readEvents);
 * 2. each seed rule's query, and all three at once, on top of that floor;
 * 3. a `sequence by process.entity_id` query, with and without maxspan,
 *    with the heap after a forced GC at each quarter of the input;
 * 4. ingestEvents into a fresh SQLite file, twice (the second upload is the idempotent path).
 *
 * Every measurement runs in its own node process (bench/measure.ts) so heaps
 * and peak RSS do not carry over. Results are printed and appended to
 * bench/RESULTS.md.
 *
 * Environment: BENCH_EVENTS (default 1,000,000), BENCH_INGEST_EVENTS (default
 * 200,000, at most BENCH_EVENTS), BENCH_CPU_PROF=1 writes V8 CPU profiles of
 * the query passes to .cache/bench/profiles, BENCH_NO_RECORD=1 skips RESULTS.md.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadBuiltinRules } from "../lib/rules/load";
import { ensureEventsFile } from "./generate";
import { type IngestResult, type MeasureSpec, type PassResult, RESULT_PREFIX } from "./measure";
import {
  consoleTable,
  eventsPerSecond,
  heapGrowth,
  machineInfo,
  markdownSection,
  mib,
  type Row,
  ratioToFloor,
} from "./report";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const PROFILE_DIR = path.join(ROOT, ".cache", "bench", "profiles");

export const SEQUENCE_QUERY = `sequence by process.entity_id
  [process where event.action == "fork"]
  [process where event.action == "exec"]`;
export const SEQUENCE_MAXSPAN_QUERY = `sequence by process.entity_id with maxspan=1m
  [process where event.action == "fork"]
  [process where event.action == "exec"]`;

function positiveInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number, not "${text}"`);
  return value;
}

/** Runs bench/measure.ts in a fresh node with --expose-gc and returns its result line. */
function runMeasure<T extends PassResult | IngestResult>(spec: MeasureSpec, profileName?: string): Promise<T> {
  const flags = ["--expose-gc", "--import", "tsx"];
  if (profileName && process.env.BENCH_CPU_PROF === "1") {
    flags.push("--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileName}.cpuprofile`);
  }
  const child = spawn(process.execPath, [...flags, path.join(ROOT, "bench", "measure.ts"), JSON.stringify(spec)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text: string) => {
    stdout += text;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      const line = stdout.split("\n").find((text) => text.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`bench: measurement ${spec.kind} exited with ${code}; output:\n${stdout}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  process.stderr.write(`bench: ${label} …`);
  const started = performance.now();
  const result = await work();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main(): Promise<void> {
  const count = positiveInt("BENCH_EVENTS", 1_000_000);
  const ingestCount = Math.min(positiveInt("BENCH_INGEST_EVENTS", 200_000), count);
  if (process.env.BENCH_CPU_PROF === "1") fs.mkdirSync(PROFILE_DIR, { recursive: true });

  const events = await timed(`events file (${count})`, () => ensureEventsFile(count, ROOT));
  const ingestFile = await timed(`ingest file (${ingestCount})`, () => ensureEventsFile(ingestCount, ROOT));
  const rules = await loadBuiltinRules();
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

  const ingest = await timed(`ingest of ${ingestCount} events, twice`, () =>
    runMeasure<IngestResult>({ kind: "ingest", file: ingestFile.file, events: ingestCount }),
  );
  const ingestRows: Row[] = [
    { name: "ingest, first upload", detail: "", result: ingest.first },
    { name: "ingest, same file again", detail: "", result: ingest.second },
  ];

  console.log(`\n${consoleTable(rows, floor)}\n\n${consoleTable(ingestRows, floor)}\n`);

  const notes = summaryNotes(rows, floor);
  for (const note of notes) console.log(`- ${note}`);
  const ingestNotes = [
    `first upload: ${ingest.first.accepted.toLocaleString("en-US")} events stored, ${ingest.first.alerts} alerts created ` +
      `(built-in rules synced into the fresh database first, as the server does at start); ` +
      `peak RSS ${mib(ingest.first.maxRss)} MiB`,
    `second upload of the same file: ${ingest.second.duplicate.toLocaleString("en-US")} events recognised as duplicates, ` +
      `${ingest.second.alerts} new alerts, ${ingest.second.alertsDuplicate} matches already raised; ` +
      `peak RSS over both uploads ${mib(ingest.second.maxRss)} MiB`,
    ...(ingestCount < count
      ? [`ingest uses the first ${ingestCount.toLocaleString("en-US")} events (BENCH_INGEST_EVENTS)`]
      : []),
  ];

  if (process.env.BENCH_NO_RECORD === "1") return;
  const section = markdownSection({
    date: new Date(),
    machine: machineInfo(),
    eventsFile: { path: path.relative(ROOT, file), bytes: fs.statSync(file).size, events: count },
    rows,
    floor,
    queries,
    ingest: {
      path: path.relative(ROOT, ingestFile.file),
      bytes: fs.statSync(ingestFile.file).size,
      rows: ingestRows,
      notes: ingestNotes,
    },
    notes,
  });
  if (!fs.existsSync(RESULTS_FILE)) {
    fs.writeFileSync(
      RESULTS_FILE,
      "# Benchmark results\n\nAppended by `npm run bench` (bench/run.ts); newest last.\n\n",
    );
  }
  fs.appendFileSync(RESULTS_FILE, section);
  console.log(`bench: results appended to ${path.relative(ROOT, RESULTS_FILE)}`);
}

/** Plain statements of the figures against the targets (seed queries ≤ 1.5× floor; flat sequence memory). */
function summaryNotes(rows: readonly Row[], floor: PassResult): string[] {
  const notes: string[] = [];
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
  return notes;
}

await main();
