/**
 * Runs one bench/measure.ts measurement in a fresh node (with --expose-gc), so
 * heaps and peak RSS do not carry over between measurements.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { type IngestResult, type MeasureSpec, type PassResult, RESULT_PREFIX } from "./measure";

const ROOT = path.resolve(import.meta.dirname, "..");
export const PROFILE_DIR = path.join(ROOT, ".cache", "bench", "profiles");

export function runMeasure<T extends PassResult | IngestResult>(spec: MeasureSpec, profileName?: string): Promise<T> {
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

/** Runs `work`, printing the label and how long it took to stderr. */
export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  process.stderr.write(`bench: ${label} …`);
  const started = performance.now();
  try {
    const result = await work();
    process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return result;
  } catch (error) {
    process.stderr.write(" failed\n");
    throw error;
  }
}
