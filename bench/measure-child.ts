/**
 * Runs one bench/measure.ts measurement (or another bench script's, runBenchChild) in a fresh node, so heaps, peak
 * RSS and caches do not carry over between measurements.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { type IngestResult, type MeasureSpec, type PassResult, RESULT_PREFIX } from "./measure";

const ROOT = path.resolve(import.meta.dirname, "..");
export const PROFILE_DIR = path.join(ROOT, ".cache", "bench", "profiles");

export function runMeasure<T extends PassResult | IngestResult>(spec: MeasureSpec, profileName?: string): Promise<T> {
  const flags = ["--expose-gc"];
  if (profileName && process.env.BENCH_CPU_PROF === "1") {
    flags.push("--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileName}.cpuprofile`);
  }
  return runBenchChild<T>("measure.ts", spec, {
    resultPrefix: RESULT_PREFIX,
    label: `measurement ${spec.kind}`,
    flags,
  });
}

/**
 * Runs bench/`script` in a fresh node with its spec as JSON in argv[2], and resolves to the result the child prints
 * as one stdout line starting with `resultPrefix`; the child's stderr passes through. Rejects, with the child's
 * output, when it exits with an error or prints no result.
 */
export function runBenchChild<T>(
  script: string,
  spec: unknown,
  options: { resultPrefix: string; label: string; flags?: readonly string[] },
): Promise<T> {
  const args = [...(options.flags ?? []), "--import", "tsx", path.join(ROOT, "bench", script), JSON.stringify(spec)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text: string) => {
    stdout += text;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      const line = stdout.split("\n").find((text) => text.startsWith(options.resultPrefix));
      if (code !== 0 || !line) {
        reject(new Error(`bench: ${options.label} exited with ${code}; output:\n${stdout}`));
        return;
      }
      resolve(JSON.parse(line.slice(options.resultPrefix.length)) as T);
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
