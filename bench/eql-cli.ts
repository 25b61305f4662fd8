/**
 * `keelwatch eql` end to end against the floor (issue 23): the seed rules'
 * queries and one query with no usable literal, each run as a user runs it
 * (bin/keelwatch, whole-process wall time, start-up included), against read +
 * split + JSON.parse of the same file in a fresh node (bench/measure.ts, its
 * own time, start-up left out: the stricter comparison). Rounds alternate
 * the floor and the queries, so a noisy moment on a shared machine hits all
 * of them; medians are compared. Targets: seed queries ≤ 1.0× the floor at
 * every size, the no-literal query ≤ 1.5×, and peak RSS flat from the
 * smallest size to the largest (≤ 1.25×).
 */
import fs from "node:fs";
import path from "node:path";
import { median } from "./cli-start";
import type { PassResult } from "./measure";
import { runMeasure, timed } from "./measure-child";
import { describeFailure, runCommand } from "./processes";
import type { Section, Verdict } from "./targets";

export const EQL_TARGETS = { seedRatio: 1, noLiteralRatio: 1.5, memoryGrowth: 1.25 };

/** The seed detection rules (contract.md), whose queries the targets name. */
export const EQL_SEED_RULES = [
  "Suspicious Network Tool Launched Inside A Container",
  "Suspicious Interactive Shell Spawned From Inside A Container",
  "Network utility executed in container",
] as const;

/** Reads every event and matches none: no literal in it lets a line be skipped unparsed. */
export const NO_LITERAL_QUERY = "any where process.pid == 424242";

export interface EqlQueryCase {
  name: string;
  query: string;
  /** true: a seed rule's query (target 1.0×); false: the no-literal query (target 1.5×). */
  seed: boolean;
}

export interface EqlCliPoint {
  events: number;
  bytes: number;
  floorMillis: number[];
  /** By case name: wall times, peak RSS (bytes, largest of the rounds) and matches printed. */
  runs: Record<string, { millis: number[]; peakRss: number; matches: number }>;
}

export interface EqlCliResult {
  cases: EqlQueryCase[];
  rounds: number;
  points: EqlCliPoint[];
}

async function runEqlOnce(root: string, file: string, query: string) {
  const run = await runCommand(path.join(root, "bin", "keelwatch"), ["eql", "--events", file, "--query", query], {
    cwd: root,
  });
  if (run.code !== 0) throw new Error(`keelwatch eql ${describeFailure(run)}`);
  return run;
}

export async function runEqlCli(options: {
  root: string;
  files: Map<number, string>;
  cases: EqlQueryCase[];
  rounds: number;
}): Promise<EqlCliResult> {
  const { root, cases, rounds } = options;
  // Builds the CLI bundle if the sources changed, so no measured run pays for it.
  const tiny = [...options.files.values()][0];
  if (tiny) await runEqlOnce(root, tiny, NO_LITERAL_QUERY);
  const points: EqlCliPoint[] = [];
  for (const [events, file] of [...options.files].sort((a, b) => a[0] - b[0])) {
    await runMeasure<PassResult>({ kind: "io", file, events }); // into the page cache first
    const point: EqlCliPoint = { events, bytes: fs.statSync(file).size, floorMillis: [], runs: {} };
    for (let round = 1; round <= rounds; round++) {
      const floor = await timed(`eql part, ${events} events, round ${round}: floor`, () =>
        runMeasure<PassResult>({ kind: "parse", file, events }),
      );
      point.floorMillis.push(floor.millis);
      for (const item of cases) {
        const run = await timed(`  ${item.name}`, () => runEqlOnce(root, file, item.query));
        const entry = point.runs[item.name] ?? { millis: [], peakRss: 0, matches: run.stdoutLines };
        entry.millis.push(run.millis);
        entry.peakRss = Math.max(entry.peakRss, run.peakRss);
        point.runs[item.name] = entry;
      }
    }
    points.push(point);
  }
  return { cases, rounds, points };
}

const count = (n: number) => n.toLocaleString("en-US");
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
const ms = (value: number) => Math.round(value).toLocaleString("en-US");

export function eqlCliSection(result: EqlCliResult): { sections: Section[]; verdicts: Verdict[] } {
  const rows: string[][] = [];
  const verdicts: Verdict[] = [];
  for (const point of result.points) {
    const floor = median(point.floorMillis);
    rows.push([count(point.events), "floor: read + split + JSON.parse", ms(floor), "1.00", "", ""]);
    for (const item of result.cases) {
      const run = point.runs[item.name];
      if (!run) continue;
      const ratio = median(run.millis) / floor;
      rows.push([
        count(point.events),
        `keelwatch eql: ${item.name}`,
        ms(median(run.millis)),
        ratio.toFixed(2),
        mib(run.peakRss),
        count(run.matches),
      ]);
      const limit = item.seed ? EQL_TARGETS.seedRatio : EQL_TARGETS.noLiteralRatio;
      verdicts.push({
        target: `keelwatch eql ${item.name}, ${count(point.events)} events ≤ ${limit.toFixed(1)}× read + JSON.parse`,
        measured: `${ratio.toFixed(2)}× (${ms(median(run.millis))} ms / ${ms(floor)} ms)`,
        met: ratio <= limit,
      });
    }
  }
  const [smallest, largest] = [result.points[0], result.points[result.points.length - 1]];
  if (smallest && largest && smallest !== largest) {
    const growth = Math.max(
      ...result.cases.map(
        (item) => (largest.runs[item.name]?.peakRss ?? 0) / (smallest.runs[item.name]?.peakRss ?? Number.NaN),
      ),
    );
    verdicts.push({
      target: `keelwatch eql peak RSS flat: ${count(smallest.events)} → ${count(largest.events)} events ≤ ${EQL_TARGETS.memoryGrowth}×`,
      measured: `${growth.toFixed(2)}× at most (largest growth of the queries)`,
      met: Number.isFinite(growth) ? growth <= EQL_TARGETS.memoryGrowth : null,
    });
  }
  return {
    sections: [
      {
        title: "keelwatch eql end to end against read + JSON.parse",
        grid: {
          headers: ["events", "run", "median ms", "× floor", "peak RSS MiB", "matches"],
          rows,
          right: [0, 2, 3, 4, 5],
        },
        notes: [
          `${result.rounds} rounds alternating the floor and every query; medians. keelwatch eql: whole-process wall time ` +
            "of bin/keelwatch (start-up included); floor: its own time in a fresh node (start-up left out)",
          ...result.cases.map((item) => `${item.name}: \`${item.query.replace(/\s+/g, " ").trim()}\``),
          "peak RSS: largest VmHWM of the process tree over the rounds",
        ],
      },
    ],
    verdicts,
  };
}
