/**
 * Turns benchmark figures into the console table and the dated markdown
 * section appended to bench/RESULTS.md. Pure functions: run.ts measures,
 * this formats.
 */
import os from "node:os";
import type { HeapSample, PassResult } from "./measure";

export interface Row {
  name: string;
  /** What is timed, for the reader of RESULTS.md. */
  detail: string;
  result: PassResult;
  /** Compared with the floor (time ratio); absent for rows that are not queries. */
  versusFloor?: boolean;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

export function eventsPerSecond(result: PassResult): number {
  return result.millis > 0 ? (result.events * 1000) / result.millis : 0;
}

/** Time of a row over time of the floor: 1.00 = as fast as reading and parsing alone. */
export function ratioToFloor(result: PassResult, floor: PassResult): number {
  return result.millis / floor.millis;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)}`;
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function heapCells(heap: readonly HeapSample[]): string {
  return heap.length === 0 ? "" : heap.map((sample) => mib(sample.heapUsed)).join(" / ");
}

/** How much the heap grew from the first to the last checkpoint, as a factor. */
export function heapGrowth(heap: readonly HeapSample[]): number | null {
  const first = heap[0];
  const last = heap[heap.length - 1];
  return first && last && first.heapUsed > 0 ? last.heapUsed / first.heapUsed : null;
}

interface Column {
  title: string;
  cell(row: Row): string;
  right?: boolean;
}

function columns(floor: PassResult): Column[] {
  return [
    { title: "measurement", cell: (row) => row.name },
    { title: "events", cell: (row) => thousands(row.result.events), right: true },
    { title: "seconds", cell: (row) => (row.result.millis / 1000).toFixed(2), right: true },
    { title: "events/s", cell: (row) => thousands(eventsPerSecond(row.result)), right: true },
    {
      title: "× floor time",
      cell: (row) => (row.versusFloor ? ratioToFloor(row.result, floor).toFixed(2) : ""),
      right: true,
    },
    { title: "results", cell: (row) => (row.versusFloor ? thousands(row.result.results) : ""), right: true },
    { title: "heap MiB at 25/50/75/100%", cell: (row) => heapCells(row.result.heap), right: true },
    { title: "peak RSS MiB", cell: (row) => mib(row.result.maxRss), right: true },
  ];
}

/** A fixed-width table for the terminal. */
export function consoleTable(rows: readonly Row[], floor: PassResult): string {
  const cols = columns(floor);
  const cells = [cols.map((col) => col.title), ...rows.map((row) => cols.map((col) => col.cell(row)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? "").length)));
  return cells
    .map((line) =>
      line.map((cell, i) => (cols[i]?.right ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function markdownTable(rows: readonly Row[], floor: PassResult): string {
  const cols = columns(floor);
  const head = `| ${cols.map((col) => col.title).join(" | ")} |`;
  const rule = `|${cols.map((col) => (col.right ? "---:" : "---")).join("|")}|`;
  const body = rows.map((row) => `| ${cols.map((col) => escapeCell(col.cell(row))).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

export interface SectionInput {
  eventsFile: { path: string; bytes: number; events: number };
  rows: Row[];
  floor: PassResult;
  /** Query rows: full text, so a reader can rerun them. */
  queries: { name: string; query: string }[];
  ingest: { path: string; bytes: number; rows: Row[]; notes: string[] } | null;
  notes: string[];
}

/** The engine part of a RESULTS.md section (the run's dated heading comes from runHeading). */
export function markdownSection(input: SectionInput): string {
  const lines = [
    "### Engine: floor, seed queries, sequences, in-process ingest",
    "",
    `Input: \`${input.eventsFile.path}\` — ${thousands(input.eventsFile.events)} events, ${mib(input.eventsFile.bytes)} MiB ` +
      `(${Math.round(input.eventsFile.bytes / input.eventsFile.events)} bytes per event).`,
    "",
    markdownTable(input.rows, input.floor),
    "",
    ...input.rows.filter((row) => row.detail).map((row) => `- **${escapeCell(row.name)}**: ${row.detail}`),
    "",
  ];
  if (input.queries.length > 0) {
    lines.push("<details><summary>Queries</summary>", "");
    for (const { name, query } of input.queries) lines.push(`**${name}**`, "", "```eql", query.trim(), "```", "");
    lines.push("</details>", "");
  }
  if (input.ingest) {
    lines.push(
      `#### In-process ingest (\`${input.ingest.path}\`, ${mib(input.ingest.bytes)} MiB)`,
      "",
      markdownTable(input.ingest.rows, input.floor),
      "",
      ...input.ingest.notes.map((note) => `- ${note}`),
      "",
    );
  }
  if (input.notes.length > 0) lines.push(...input.notes.map((note) => `- ${note}`), "");
  return `${lines.join("\n")}\n`;
}

export interface RunInfo {
  date: Date;
  machine: MachineInfo;
  /** `git rev-parse HEAD`, and how many paths differed from it when the run started. */
  commit: { hash: string; changedPaths: number } | null;
  /** The settings of the run, as the environment variables that give them. */
  settings: string;
}

/** The dated heading of one run's section in RESULTS.md. */
export function runHeading(info: RunInfo): string {
  const { machine, commit } = info;
  const commitText = commit
    ? `commit \`${commit.hash.slice(0, 12)}\`${commit.changedPaths > 0 ? ` (+ ${commit.changedPaths} uncommitted paths in the tree)` : ""}`
    : "commit unknown (not a git checkout)";
  return [
    `## ${info.date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB RAM, ${machine.os}; ` +
      `node ${machine.node}; ${commitText}.`,
    "",
    `Settings: ${info.settings}.`,
    "",
  ].join("\n");
}
