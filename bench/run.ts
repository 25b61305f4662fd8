/**
 * `npm run bench`: Keelwatch's figures against the targets of issues 6 and 9.
 *
 * - engine: the EQL engine in-process on 1M generated events (floor, seed
 *   queries, sequences, in-process ingest) — bench/engine.ts;
 * - scaling: `keelwatch eql`, `keelwatch detect` and HTTP ingest at growing
 *   sizes, as separate processes against the real CLI and server — bench/scaling.ts;
 * - ingest: HTTP ingest with one instance and with two at once, on SQLite and on PostgreSQL side by side, with
 *   the split of CPU time between the app and PostgreSQL (issue 22) — bench/ingest.ts;
 * - alerts: the alerts API and the alerts page with 1M alerts stored, on each database — bench/alerts-api.ts;
 * - investigate: session view, timeline and hunts with 1M events stored (issue 24) — bench/investigate.ts;
 * - cli: `keelwatch --help` against `node -e 0`, start-up alone — bench/cli-start.ts;
 * - eql: `keelwatch eql` end to end with the seed rules' queries and a query with
 *   no usable literal, against read + JSON.parse of the same file — bench/eql-cli.ts;
 * - sensors: health, 1-event and 100-event pushes and one bulk upload on one
 *   server, as ratios (issue 21) — bench/sensors.ts.
 *
 * The server parts serve the existing production build (.next): build first.
 * A part that fails is reported as such and the others still run. Results are
 * printed and appended to bench/RESULTS.md with the date, machine and commit.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadBuiltinRules } from "../lib/rules/load";
import { runAlertsApi } from "./alerts-api";
import { cliStartSection, measureCliStart } from "./cli-start";
import { type BenchConfig, ENV_HELP, readConfig } from "./config";
import { runEngine } from "./engine";
import { EQL_SEED_RULES, eqlCliSection, NO_LITERAL_QUERY, runEqlCli } from "./eql-cli";
import { runDatabaseIngest } from "./ingest";
import { ingestSection } from "./ingest-targets";
import { runInvestigate } from "./investigate";
import { timed } from "./measure-child";
import { stopBenchCluster } from "./postgres";
import { machineInfo, runHeading } from "./report";
import { ensureScaleFiles } from "./scale-files";
import { runScaling } from "./scaling";
import { runSensors } from "./sensors";
import { sensorsSection } from "./sensors-targets";
import { requireBuild } from "./server";
import { markdownGrid, textTable } from "./table";
import { alertsSection, alertsSideBySide, type Section, scalingSection, type Verdict, verdictGrid } from "./targets";

const ROOT = path.resolve(import.meta.dirname, "..");
// BENCH_RESULTS_FILE lets a trial run write elsewhere than the record.
const RESULTS_FILE = path.resolve(ROOT, process.env.BENCH_RESULTS_FILE || path.join("bench", "RESULTS.md"));

function gitCommit(): { hash: string; changedPaths: number } | null {
  try {
    const hash = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" });
    return { hash, changedPaths: status.split("\n").filter(Boolean).length };
  } catch {
    return null;
  }
}

/** Pads the tables as the project's formatter does, so `npm run lint` stays green after a run. */
function formatMarkdown(file: string): void {
  try {
    execFileSync(path.join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", file], {
      cwd: ROOT,
      stdio: "ignore",
    });
  } catch (error) {
    process.stderr.write(
      `bench: could not format ${file} with biome (${(error as Error).message}); run \`npm run format\`\n`,
    );
  }
}

function settingsText(config: BenchConfig): string {
  const list = (values: number[]) => (values.length === 0 ? "none" : values.join(","));
  return [
    config.quick ? "BENCH_QUICK=1" : null,
    `BENCH_PARTS=${config.parts.join(",")}`,
    `BENCH_EVENTS=${config.events}`,
    `BENCH_INGEST_EVENTS=${config.ingestEvents}`,
    `BENCH_SCALES=${list(config.scales)}`,
    `BENCH_INGEST_SCALES=${list(config.ingestScales)}`,
    `BENCH_GZIP_SCALES=${list(config.gzipScales)}`,
    `BENCH_EQL_SCALES=${list(config.eqlScales)}`,
    `BENCH_EQL_ROUNDS=${config.eqlRounds}`,
    config.parts.some((part) => part === "ingest" || part === "alerts")
      ? `BENCH_DATABASES=${config.databases.join(",")}`
      : null,
    config.parts.includes("ingest") ? `BENCH_DB_INGEST_EVENTS=${config.databaseIngestEvents}` : null,
    `BENCH_ALERTS=${config.alerts}`,
    `BENCH_SAMPLES=${config.samples}`,
    config.parts.includes("investigate") ? `BENCH_INVESTIGATE_EVENTS=${config.investigateEvents}` : null,
    config.parts.includes("investigate") ? `BENCH_INVESTIGATE=${config.investigate.join(",")}` : null,
    ...(config.parts.includes("sensors")
      ? [
          `BENCH_SENSOR_HEALTH=${config.sensors.healthRequests}`,
          `BENCH_SENSOR_SINGLE=${config.sensors.singlePosts}`,
          `BENCH_SENSOR_BATCH=${config.sensors.batchEvents}`,
          `BENCH_SENSOR_BULK=${config.sensors.bulkEvents}`,
        ]
      : []),
  ]
    .filter(Boolean)
    .map((item) => `\`${item}\``)
    .join(" ");
}

interface PartOutput {
  text: string;
  markdown: string;
  verdicts: Verdict[];
}

function fromSections(result: { sections: Section[]; verdicts: Verdict[] }): PartOutput {
  return {
    text: result.sections
      .map((section) =>
        [section.title, textTable(section.grid), ...section.notes.map((note) => `- ${note}`)].join("\n"),
      )
      .join("\n\n"),
    markdown: result.sections
      .map((section) =>
        [
          `### ${section.title}`,
          "",
          markdownGrid(section.grid),
          "",
          ...section.notes.map((note) => `- ${note}`),
          "",
        ].join("\n"),
      )
      .join("\n"),
    verdicts: result.verdicts,
  };
}

async function runPart(name: string, work: () => Promise<PartOutput>): Promise<PartOutput> {
  try {
    return await work();
  } catch (error) {
    const message = (error as Error).stack ?? String(error);
    process.stderr.write(`bench: the ${name} part failed: ${message}\n`);
    const first = (error as Error).message.split("\n")[0] ?? "";
    return {
      text: `${name}: FAILED — ${first}`,
      markdown: `### ${name}\n\nFailed: ${first}\n`,
      verdicts: [{ target: `${name} part`, measured: `failed: ${first}`, met: null }],
    };
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(`Usage: npm run bench\n\n${ENV_HELP}`);
    return;
  }
  const config = readConfig();
  const started = new Date();
  const commit = gitCommit();
  const rules = await loadBuiltinRules();
  if (config.parts.some((part) => ["scaling", "ingest", "alerts", "investigate", "sensors"].includes(part))) {
    requireBuild(ROOT);
  }

  // Every events file up front, in one go: only the largest is generated, the others are its leading lines.
  const sizes = [
    ...(config.parts.includes("engine") ? [config.events, config.ingestEvents] : []),
    ...(config.parts.includes("scaling") ? [1, ...config.scales, ...config.ingestScales, ...config.gzipScales] : []),
    ...(config.parts.includes("eql") ? [1, ...config.eqlScales] : []),
  ];
  if (sizes.length > 0) await timed("events files", () => ensureScaleFiles([...new Set(sizes)], ROOT));

  const outputs: PartOutput[] = [];
  if (config.parts.includes("engine")) {
    outputs.push(
      await runPart("engine", () =>
        runEngine({ root: ROOT, count: config.events, ingestCount: config.ingestEvents, rules }),
      ),
    );
  }
  if (config.parts.includes("scaling")) {
    const rule = rules[0];
    if (!rule) throw new Error("bench: no built-in rules to take the eql query from");
    outputs.push(
      await runPart("scaling", async () =>
        fromSections(
          scalingSection(
            await runScaling({
              root: ROOT,
              scales: config.scales,
              ingestScales: config.ingestScales,
              gzipScales: config.gzipScales,
              port: config.port,
              eqlRule: { name: rule.name, query: rule.query },
            }),
          ),
        ),
      ),
    );
  }
  if (config.parts.includes("ingest")) {
    outputs.push(
      await runPart("ingest", async () =>
        fromSections(
          ingestSection(
            await runDatabaseIngest({
              root: ROOT,
              databases: config.databases,
              events: config.databaseIngestEvents,
              port: config.port,
            }),
            os.cpus().length,
          ),
        ),
      ),
    );
  }
  if (config.parts.includes("alerts")) {
    outputs.push(
      await runPart("alerts", async () => {
        const { results, failures } = await runAlertsApi({
          root: ROOT,
          databases: config.databases,
          alerts: config.alerts,
          port: config.port,
          samples: config.samples,
          browserLoads: config.browserLoads,
        });
        const each = results.map((result) => alertsSection(result));
        const sideBySide = alertsSideBySide(results);
        return fromSections({
          sections: [...(sideBySide ? [sideBySide] : []), ...each.flatMap((part) => part.sections)],
          verdicts: [
            ...each.flatMap((part) => part.verdicts),
            ...failures.map((failure) => ({
              target: `alerts API on ${failure.database}`,
              measured: `failed: ${failure.error}`,
              met: null,
            })),
          ],
        });
      }),
    );
  }
  if (config.parts.includes("investigate")) {
    outputs.push(
      await runPart("investigate", async () =>
        fromSections(
          await runInvestigate({
            root: ROOT,
            events: config.investigateEvents,
            port: config.port,
            samples: config.samples,
            browserLoads: config.browserLoads,
            measurements: config.investigate,
          }),
        ),
      ),
    );
  }

  if (config.parts.includes("cli")) {
    outputs.push(await runPart("cli", async () => fromSections(cliStartSection(measureCliStart(ROOT)))));
  }

  if (config.parts.includes("eql")) {
    outputs.push(
      await runPart("eql", async () => {
        const files = await ensureScaleFiles([1, ...config.eqlScales], ROOT);
        const seeds = rules.filter((rule) => (EQL_SEED_RULES as readonly string[]).includes(rule.name));
        const cases = [
          ...seeds.map((rule) => ({ name: rule.name, query: rule.query, seed: true })),
          { name: "no usable literal", query: NO_LITERAL_QUERY, seed: false },
        ];
        const sized = new Map(config.eqlScales.map((events) => [events, files.get(events) as string]));
        return fromSections(
          eqlCliSection(await runEqlCli({ root: ROOT, files: sized, cases, rounds: config.eqlRounds })),
        );
      }),
    );
  }
  if (config.parts.includes("sensors")) {
    outputs.push(
      await runPart("sensors", async () =>
        fromSections(sensorsSection(await runSensors({ root: ROOT, port: config.port, config: config.sensors }))),
      ),
    );
  }

  await stopBenchCluster();
  const verdicts = outputs.flatMap((output) => output.verdicts);
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  console.log(
    `\n${outputs.map((output) => output.text).join("\n\n")}\n\nTargets\n${textTable(verdictGrid(verdicts))}\n`,
  );
  console.log(`bench: finished in ${minutes} min`);

  if (!config.record) return;
  const section = [
    runHeading({ date: started, machine: machineInfo(), commit, settings: settingsText(config) }),
    "### Targets",
    "",
    markdownGrid(verdictGrid(verdicts)),
    "",
    ...outputs.map((output) => output.markdown),
    `Run time: ${minutes} min.`,
    "",
  ].join("\n");
  if (!fs.existsSync(RESULTS_FILE)) {
    fs.writeFileSync(
      RESULTS_FILE,
      "# Benchmark results\n\nAppended by `npm run bench` (bench/run.ts); newest last.\n\n",
    );
  }
  // The formatter ends the file with one newline, so a new heading would follow the last line directly.
  const separator = fs.readFileSync(RESULTS_FILE, "utf8").endsWith("\n\n") ? "" : "\n";
  fs.appendFileSync(RESULTS_FILE, `${separator}${section}\n`);
  formatMarkdown(RESULTS_FILE);
  console.log(`bench: results appended to ${path.relative(ROOT, RESULTS_FILE)}`);
}

await main();
