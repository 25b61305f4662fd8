// `npm test`: install what is missing (npm packages, Chromium, PostgreSQL), then run every
// suite: lint, type check, unit + integration (vitest, on SQLite and again on PostgreSQL),
// end-to-end (Playwright, on SQLite and its storage-heavy specs again on PostgreSQL), stress.
// Ends with one line "N passed, N failed" summing all suites.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, ensureChromium, ensureInstalled, log, root } from "./lib/setup.mjs";
import { ensurePostgres } from "./pg-cluster.mjs";
import { POSTGRESQL_TEST_ENV, POSTGRESQL_TEST_FILES } from "./postgresql-suites.mjs";

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const reports = path.join(root, ".cache", "test-reports");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "1" };

ensureInstalled();
ensureChromium();
// The tests on PostgreSQL start their own throw-away cluster (scripts/pg-cluster.mjs) from Debian's package.
ensurePostgres();
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });

const results = [];

function run(command, args, extraEnv = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  return { status: result.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

/** A check with no test count of its own (lint, types) counts as one test. */
function check(name, command, args) {
  log(`${name}: ${[path.basename(command), ...args].join(" ")}`);
  const { status, seconds } = run(command, args);
  results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, seconds });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function vitest(name = "vitest", files = [], extraEnv = {}) {
  const out = path.join(reports, `${name}.json`);
  log(`${name === "vitest" ? "unit and integration tests" : "integration tests on PostgreSQL"}: vitest run`);
  const { status, seconds } = run(
    bin("vitest"),
    ["run", ...files, "--reporter=default", "--reporter=json", `--outputFile=${out}`],
    extraEnv,
  );
  const report = readJson(out);
  if (!report) {
    results.push({ name, passed: 0, failed: 1, seconds, note: `no report (exit ${status})` });
    return;
  }
  // A suite that fails to load has no tests in the counts but makes the run fail.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === "failed" && file.assertionResults?.length === 0,
  ).length;
  results.push({
    name,
    passed: report.numPassedTests ?? 0,
    failed:
      (report.numFailedTests ?? 0) + brokenFiles + (status !== 0 && !report.numFailedTests && !brokenFiles ? 1 : 0),
    seconds,
  });
}

/**
 * A Playwright run, counted from its JSON report. `name` "playwright" is the whole suite on SQLite;
 * "playwright-pg" is its storage-heavy specs on PostgreSQL (scripts/e2e-postgresql.mjs starts the cluster).
 */
function playwright(name = "playwright") {
  buildIfNeeded();
  const out = path.join(reports, `${name}.json`);
  const [title, command, args] =
    name === "playwright"
      ? ["end-to-end tests: playwright test", bin("playwright"), ["test"]]
      : [
          "end-to-end tests on PostgreSQL: node scripts/e2e-postgresql.mjs",
          process.execPath,
          [path.join(root, "scripts", "e2e-postgresql.mjs")],
        ];
  log(title);
  const { status, seconds } = run(command, [...args, "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const stats = readJson(out)?.stats;
  if (!stats) {
    results.push({ name, passed: 0, failed: 1, seconds, note: `no report (exit ${status})` });
    return;
  }
  const failed = (stats.unexpected ?? 0) + (status !== 0 && !stats.unexpected ? 1 : 0);
  results.push({ name, passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed, seconds });
}

/**
 * Faults and concurrency against the real server (stress/, `npm run test:stress`).
 * Runs after Playwright because it serves the production build Playwright's run made.
 */
function stress() {
  const out = path.join(reports, "stress.json");
  log("fault and concurrency tests: vitest run --config vitest.stress.config.ts");
  const { status, seconds } = run(bin("vitest"), [
    "run",
    "--config",
    "vitest.stress.config.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile=${out}`,
  ]);
  const report = readJson(out);
  if (!report) {
    results.push({ name: "stress", passed: 0, failed: 1, seconds, note: `no report (exit ${status})` });
    return;
  }
  const failed = (report.numFailedTests ?? 0) + (status !== 0 && !report.numFailedTests ? 1 : 0);
  results.push({ name: "stress", passed: report.numPassedTests ?? 0, failed, seconds });
}

check("lint", bin("biome"), ["check", "."]);
check("types", bin("tsc"), ["--noEmit"]);
vitest();
vitest("postgresql", POSTGRESQL_TEST_FILES, POSTGRESQL_TEST_ENV);
playwright();
playwright("playwright-pg");
stress();

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
process.stdout.write(`\n${"Suite".padEnd(13)}  passed  failed  seconds\n`);
for (const r of results) {
  process.stdout.write(
    `${r.name.padEnd(13)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}${r.note ? `  ${r.note}` : ""}\n`,
  );
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
