/**
 * The "first alert rows" measurement on its own, against a server that is
 * already running (the full bench seeds a database and starts one itself):
 *
 *   npx tsx bench/first-rows-run.ts [url] [--loads N] [--timeline] [--path /alerts?status=open]
 *
 * Credentials: KEELWATCH_BENCH_USER / KEELWATCH_BENCH_PASSWORD (defaults: the
 * seeded admin of bench/seed-alerts.ts). Prints each load (the first with a
 * cold browser cache), the median, and with --timeline what the last load
 * fetched and when.
 */
import { measureFirstRows } from "./first-rows";
import { SEED_ADMIN_USERNAME } from "./seed-alerts";
import { summarize } from "./stats";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const args = process.argv.slice(2);
const url = args.find((arg) => /^https?:\/\//.test(arg)) ?? "http://127.0.0.1:3131";
const loads = Number(option(args, "--loads") ?? 6);
if (!Number.isInteger(loads) || loads < 1) throw new Error(`first-rows-run: --loads must be a whole number ≥ 1`);
const password = process.env.KEELWATCH_BENCH_PASSWORD;
if (!password) throw new Error("first-rows-run: set KEELWATCH_BENCH_PASSWORD to the admin password of the database");

const result = await measureFirstRows({
  url,
  username: process.env.KEELWATCH_BENCH_USER ?? SEED_ADMIN_USERNAME,
  password,
  loads,
  timelines: args.includes("--timeline"),
  path: option(args, "--path"),
});

const ms = (value: number | null | undefined) => (value == null ? "—" : `${Math.round(value)} ms`);
const median = (values: number[]) => (values.length ? summarize(values).p50 : null);
result.loads.forEach((row, index) => {
  const label = index === 0 ? "cold" : "warm";
  const timeline = result.timelines?.[index];
  const html = timeline
    ? `; HTML ${timeline.documentFirstByte}–${timeline.documentEnd} ms, DOMContentLoaded ${timeline.domContentLoaded} ms`
    : "";
  console.log(
    `load ${index + 1} (${label}): first row in DOM ${ms(row)}, painted ${ms(result.painted?.[index])}, FCP ${ms(result.firstContentfulPaint[index])}${html}`,
  );
});
const paints = result.firstContentfulPaint.filter((value): value is number => value !== null);
console.log(
  `median of ${loads}: first row in DOM ${ms(median(result.loads))} (min ${ms(Math.min(...result.loads))}, max ${ms(Math.max(...result.loads))}), painted ${ms(median(result.painted ?? []))}, FCP ${ms(median(paints))}`,
);

const timeline = result.timelines?.at(-1);
if (timeline) {
  console.log(
    `\nlast load: HTML first byte ${timeline.documentFirstByte} ms, HTML end ${timeline.documentEnd} ms, DOMContentLoaded ${timeline.domContentLoaded} ms`,
  );
  for (const resource of [...timeline.resources].sort((a, b) => a.start - b.start)) {
    const kb = (resource.bytes / 1024).toFixed(1).padStart(7);
    console.log(
      `  ${String(resource.start).padStart(5)} → ${String(resource.end).padStart(5)} ms ${kb} KiB  ${resource.type.padEnd(6)} ${resource.name.slice(0, 110)}`,
    );
  }
  for (const task of timeline.longTasks) console.log(`  long task at ${task.start} ms, ${task.duration} ms`);
}
