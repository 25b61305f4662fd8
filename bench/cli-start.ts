/**
 * Start-up of the command line: `keelwatch --help` through bin/keelwatch (the
 * built bundle, as a user runs it) against `node -e 0`, the least any node
 * program costs. Runs alternate between the two so a noisy moment hits both;
 * the medians' ratio is the figure (target: at most 2×). The first run builds
 * the bundle when the sources changed and is not counted.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { Section, Verdict } from "./targets";

export const CLI_START_TARGET = 2;

export interface CliStartResult {
  runs: number;
  nodeMillis: number[];
  helpMillis: number[];
}

function timeOnce(command: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return millis;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function measureCliStart(root: string, runs = 20): CliStartResult {
  const bin = path.join(root, "bin", "keelwatch");
  timeOnce(bin, ["--help"], root); // builds the bundle if the sources changed
  const nodeMillis: number[] = [];
  const helpMillis: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeMillis.push(timeOnce(process.execPath, ["-e", "0"], root));
    helpMillis.push(timeOnce(bin, ["--help"], root));
  }
  return { runs, nodeMillis, helpMillis };
}

export function cliStartSection(result: CliStartResult): { sections: Section[]; verdicts: Verdict[] } {
  const node = median(result.nodeMillis);
  const help = median(result.helpMillis);
  const ratio = help / node;
  const ms = (value: number) => value.toFixed(0);
  return {
    sections: [
      {
        title: "CLI start-up",
        grid: {
          headers: ["command", "median ms", "min ms", "max ms"],
          rows: [
            ["node -e 0", ms(node), ms(Math.min(...result.nodeMillis)), ms(Math.max(...result.nodeMillis))],
            ["bin/keelwatch --help", ms(help), ms(Math.min(...result.helpMillis)), ms(Math.max(...result.helpMillis))],
          ],
          right: [1, 2, 3],
        },
        notes: [
          `${result.runs} runs of each, alternating; wall time of the whole process, spawned from the bench`,
          "bin/keelwatch runs the esbuild bundle in .cache/cli (scripts/build-cli.mjs), checked against its sources' mtimes at each start",
        ],
      },
    ],
    verdicts: [
      {
        target: `keelwatch --help ≤ ${CLI_START_TARGET}× node -e 0`,
        measured: `${ratio.toFixed(2)}× (${ms(help)} ms / ${ms(node)} ms)`,
        met: ratio <= CLI_START_TARGET,
      },
    ],
  };
}
