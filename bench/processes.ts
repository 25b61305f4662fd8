/**
 * Child processes for the black-box measurements: run a command and time it,
 * and watch the peak memory of a process tree from the outside.
 *
 * Peak RSS comes from Linux's /proc/<pid>/status VmHWM (the kernel's own
 * high-water mark of each process), read for the process and all its
 * descendants every 100 ms. bin/keelwatch and `next start` each run the real
 * work in a child node process, so the tree's largest VmHWM is the figure; a
 * peak reached in the last 100 ms of a process's life can be missed, which is
 * why the CLI runs also report their own (`keelwatch eql --stats`).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";

const SAMPLE_MS = 100;

function readStatusKib(pid: number, field: string): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null; // gone, or not Linux
  }
}

/** The process and its descendants, from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const seen: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    seen.push(next);
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${next}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${next}/task/${task}/children`, "utf8").trim();
        if (children) queue.push(...children.split(/\s+/).map(Number));
      } catch {
        // the task ended between the two reads
      }
    }
  }
  return seen;
}

export interface PeakWatch {
  /** Largest VmHWM of any process in the tree so far, bytes. */
  peak(): number;
  /** Stops polling after one last sample; returns the peak, bytes. */
  stop(): number;
}

/** Polls the tree's VmHWM until stopped; returns the largest seen, in bytes. */
export function watchPeakRss(pid: number): PeakWatch {
  let peak = 0;
  const sample = () => {
    for (const member of processTree(pid)) {
      const kib = readStatusKib(member, "VmHWM");
      if (kib !== null && kib * 1024 > peak) peak = kib * 1024;
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** Current resident set of the tree's largest process, bytes (for a server before a measurement). */
export function currentRss(pid: number): number {
  let largest = 0;
  for (const member of processTree(pid)) largest = Math.max(largest, (readStatusKib(member, "VmRSS") ?? 0) * 1024);
  return largest;
}

export interface CommandRun {
  code: number | null;
  /** The signal that ended it (SIGKILL from the OOM killer, say), or null. */
  signal: NodeJS.Signals | null;
  millis: number;
  /** Largest VmHWM in the process tree, bytes. */
  peakRss: number;
  stdoutBytes: number;
  stdoutLines: number;
  stderr: string;
}

/**
 * Runs a command to the end, counting (not keeping) its stdout, keeping its
 * stderr, and watching its tree's peak RSS. Timing covers start-up too, as a
 * user running the command would see it.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: "pipe" });
  child.stdin.end();
  if (child.pid === undefined) throw new Error(`bench: could not start ${command}`);
  const watch = watchPeakRss(child.pid);
  let stdoutBytes = 0;
  let stdoutLines = 0;
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) stdoutLines++;
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    // Keep the tail: a run that warns on every line must not fill the bench's memory.
    stderr = (stderr + text).slice(-64 * 1024);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      watch.stop();
      reject(error);
    });
    child.once("close", (code, signal) => {
      resolve({
        code,
        signal,
        millis: performance.now() - started,
        peakRss: watch.stop(),
        stdoutBytes,
        stdoutLines,
        stderr,
      });
    });
  });
}

/** How a failed run ended, on one line: exit code or signal, and the last line it printed on stderr. */
export function describeFailure(run: CommandRun): string {
  const how = run.signal ? `was killed by ${run.signal}` : `exited ${run.code}`;
  const last = run.stderr.trim().split("\n").pop()?.trim();
  return last ? `${how}: ${last}` : how;
}
