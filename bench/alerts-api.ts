/**
 * The alerts API with many alerts stored: seeds a fresh database
 * (bench/seed-alerts.ts), starts the real server on it and measures, one
 * request at a time as an analyst's browser sends them, p50/p95/p99 of
 * GET /api/alerts for each filter and each sort, the group-by endpoint and
 * the dashboard endpoint; then the first alert rows in a real browser.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { copySqliteToPostgres } from "../lib/db/dialect/postgresql/copy-from-sqlite";
import type { BenchDatabase } from "./config";
import { loadAverage } from "./cpu";
import { type FirstRowsResult, measureFirstRows } from "./first-rows";
import { timed } from "./measure-child";
import { freshPostgresDatabase, databaseBytes as postgresBytes, runSql } from "./postgres";
import { SEED_ADMIN_USERNAME, SEED_RULES, type SeedCounts, seedAlertsDatabase } from "./seed-alerts";
import { createApiToken, startServer } from "./server";
import { type LatencySummary, summarize } from "./stats";

export interface ApiCase {
  /** What the row measures, e.g. "list, filter status=open". */
  name: string;
  /** Path and query, e.g. "/api/alerts?status=open". */
  path: string;
}

export interface ApiCaseResult extends ApiCase {
  latency: LatencySummary;
  /** Rows (list), total (groups) or figures returned by the last request, to show the query did work. */
  returned: string;
}

export interface AlertsApiResult {
  database: BenchDatabase;
  counts: SeedCounts;
  seedMillis: number;
  /** How long before the run the seed was made: 0 when seeded by this run, more when reused from .cache/bench. */
  seedAgeMillis: number;
  /** PostgreSQL: the copy of the seeded SQLite file (keelwatch db copy's code) and VACUUM ANALYZE after it. */
  copyMillis: number | null;
  databaseBytes: number;
  /** /proc/loadavg (1, 5, 15 min) after the API cases. */
  loadAverage: string;
  cases: ApiCaseResult[];
  firstRows: FirstRowsResult | null;
  firstRowsError: string | null;
}

export interface AlertsApiOptions {
  root: string;
  /** The same seeded alerts are measured on each of these databases in turn. */
  databases: BenchDatabase[];
  alerts: number;
  port: number;
  /** Timed requests per case (after warm-up); slow cases stop earlier, see CASE_BUDGET_MS. */
  samples: number;
  /** Page loads in the browser (the first with a cold cache). */
  browserLoads: number;
}

const ADMIN_PASSWORD = "bench-admin-password-0123";
/** A case stops early after this long (with at least 3 samples), so one slow query cannot eat the whole run. */
const CASE_BUDGET_MS = 20_000;
const MIN_SAMPLES = 3;

/** The requests measured, with values taken from the seed (a common and a rare rule, a busy container). */
export function apiCases(now: number): ApiCase[] {
  const common = SEED_RULES[0]?.id ?? "";
  const rare = SEED_RULES[SEED_RULES.length - 1]?.id ?? "";
  const dayAgo = new Date(now - 86_400_000).toISOString();
  const weekAgo = new Date(now - 7 * 86_400_000).toISOString();
  const weekAgoPlusHour = new Date(now - 7 * 86_400_000 + 3_600_000).toISOString();
  const list = (name: string, query: string): ApiCase => ({
    name: `list, ${name}`,
    path: `/api/alerts${query ? `?${query}` : ""}`,
  });
  return [
    list("no filter (newest)", ""),
    list("sort oldest", "sort=oldest"),
    list("sort severity", "sort=severity"),
    list("sort risk", "sort=risk"),
    list("status=open", "status=open"),
    list("status=acknowledged,closed", "status=acknowledged,closed"),
    list("status=closed, sort risk", "status=closed&sort=risk"),
    list("severity=critical", "severity=critical"),
    list("severity=low, sort severity", "severity=low&sort=severity"),
    list("rule (common)", `rule=${common}`),
    list("rule (rare)", `rule=${rare}`),
    list("rule (rare), sort risk", `rule=${rare}&sort=risk`),
    list("container (busiest)", "container=CONTAINER"),
    list("host", "host=node-007"),
    list("q=xmrig", "q=xmrig"),
    list("q with no match (full scan)", "q=no-such-text-anywhere"),
    list("time range: last 24 h", `from=${encodeURIComponent(dayAgo)}`),
    list(
      "time range: one hour a week ago",
      `from=${encodeURIComponent(weekAgo)}&to=${encodeURIComponent(weekAgoPlusHour)}`,
    ),
    list("status=open & severity=high,critical, sort risk", "status=open&severity=high,critical&sort=risk"),
    list("second page (cursor)", "CURSOR"),
    // The alert detail reads the alert's event from its compressed block, the process tree and related alerts.
    { name: "alert detail (event, process tree, related)", path: "/api/alerts/ALERT" },
    { name: "groups, total only", path: "/api/alerts/groups" },
    { name: "groups by rule", path: "/api/alerts/groups?by=rule" },
    { name: "groups by container", path: "/api/alerts/groups?by=container" },
    { name: "groups by host, status=open", path: "/api/alerts/groups?by=host&status=open" },
    { name: "dashboard 24h", path: "/api/dashboard?range=24h" },
    { name: "dashboard 30d", path: "/api/dashboard?range=30d" },
    { name: "dashboard all", path: "/api/dashboard?range=all" },
  ];
}

function describeBody(body: unknown): string {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    if (Array.isArray(record.items)) return `${record.items.length} rows`;
    if (typeof record.total === "number") {
      const groups = Array.isArray(record.groups) ? `, ${record.groups.length} groups` : "";
      return `total ${record.total.toLocaleString("en-US")}${groups}`;
    }
    return `${Object.keys(record).length} figures`;
  }
  return "";
}

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`bench: GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function measureCase(base: string, token: string, apiCase: ApiCase, samples: number): Promise<ApiCaseResult> {
  const url = `${base}${apiCase.path}`;
  // Warm-up: the first request pays for compiling the route and filling SQLite's page cache.
  const warmStarted = performance.now();
  let body: unknown = await getJson(url, token);
  if (performance.now() - warmStarted < 1_000) body = await getJson(url, token);
  const times: number[] = [];
  const started = performance.now();
  const wanted = Math.max(samples, 1);
  while (
    times.length < wanted &&
    (times.length < Math.min(MIN_SAMPLES, wanted) || performance.now() - started < CASE_BUDGET_MS)
  ) {
    const at = performance.now();
    body = await getJson(url, token);
    times.push(performance.now() - at);
  }
  return { ...apiCase, latency: summarize(times), returned: describeBody(body) };
}

/** The busiest container and a real second-page cursor, read from the API itself. */
async function resolvePlaceholders(cases: ApiCase[], base: string, token: string): Promise<ApiCase[]> {
  const groups = (await getJson(`${base}/api/alerts/groups?by=container&groupLimit=1`, token)) as {
    groups: { key: string }[];
  };
  const container = groups.groups[0]?.key ?? "";
  const first = (await getJson(`${base}/api/alerts`, token)) as {
    nextCursor: string | null;
    items: { id: string }[];
  };
  return cases.map((apiCase) => ({
    ...apiCase,
    path:
      apiCase.path === "/api/alerts?CURSOR"
        ? `/api/alerts?cursor=${encodeURIComponent(first.nextCursor ?? "")}`
        : apiCase.path
            .replace("CONTAINER", encodeURIComponent(container))
            .replace("ALERT", encodeURIComponent(first.items[0]?.id ?? "")),
  }));
}

/**
 * The seeded database for `database`: the SQLite file itself, or a fresh PostgreSQL database holding a copy of it
 * made with `keelwatch db copy`'s code (multi-row INSERTs in one transaction), then VACUUM ANALYZE, as autovacuum
 * would leave a database that has settled: statistics for the planner and the visibility map for index-only scans.
 * (Dropping the bulk tables' secondary indexes during the copy and building them after, as the SQLite seed does,
 * made no difference at 20,000 alerts: 26.1 s against 27.1 s, so the copy is not held up by index upkeep.)
 */
async function prepareDatabase(
  database: BenchDatabase,
  databaseFile: string,
): Promise<{ target: string; copyMillis: number | null; bytes: number }> {
  if (database === "sqlite") return { target: databaseFile, copyMillis: null, bytes: fs.statSync(databaseFile).size };
  const url = await freshPostgresDatabase("alerts");
  const started = performance.now();
  await timed("copy the seeded alerts into PostgreSQL", async () => {
    const copied = await copySqliteToPostgres({ sourceFile: databaseFile, targetUrl: url, progressEvery: 250_000 });
    if (!copied.matches) throw new Error("bench: the PostgreSQL copy's row counts differ from the SQLite file's");
  });
  await timed("VACUUM ANALYZE", () => runSql(url, "VACUUM ANALYZE"));
  return { target: url, copyMillis: performance.now() - started, bytes: await postgresBytes(url) };
}

async function measureDatabase(
  options: AlertsApiOptions,
  database: BenchDatabase,
  seeded: { databaseFile: string; counts: SeedCounts; seedMillis: number; seedAgeMillis: number; now: number },
): Promise<AlertsApiResult> {
  const prepared = await prepareDatabase(database, seeded.databaseFile);
  const token = await createApiToken(options.root, prepared.target, "viewer");
  const server = await timed(`start the server on the seeded ${database} database`, () =>
    startServer({ root: options.root, databaseFile: prepared.target, port: options.port }),
  );
  try {
    const cases = await resolvePlaceholders(apiCases(seeded.now), server.url, token);
    const results: ApiCaseResult[] = [];
    for (const apiCase of cases) {
      results.push(
        await timed(`${database}: ${apiCase.name}`, () => measureCase(server.url, token, apiCase, options.samples)),
      );
    }
    const load = loadAverage();
    let firstRows: FirstRowsResult | null = null;
    let firstRowsError: string | null = null;
    try {
      firstRows = await timed(`${database}: first alert rows in Chromium`, () =>
        measureFirstRows({
          url: server.url,
          username: SEED_ADMIN_USERNAME,
          password: ADMIN_PASSWORD,
          loads: options.browserLoads,
        }),
      );
    } catch (error) {
      // The API figures stand on their own; say why the browser figure is missing.
      firstRowsError = (error as Error).message.split("\n")[0] ?? "unknown error";
    }
    return {
      database,
      counts: seeded.counts,
      seedMillis: seeded.seedMillis,
      seedAgeMillis: seeded.seedAgeMillis,
      copyMillis: prepared.copyMillis,
      databaseBytes: prepared.bytes,
      loadAverage: load,
      cases: results,
      firstRows,
      firstRowsError,
    };
  } finally {
    await server.stop();
  }
}

interface KeptSeedAbout {
  counts: SeedCounts;
  seedMillis: number;
  /** The newest alert's time: the seed's alerts spread over the 30 days before it. */
  now: number;
}

/**
 * A seed is reused only while the server's "last 24 h" still mostly covers its newest day: the dashboard's
 * ranges count back from the server's clock, not from the seed's.
 */
const SEED_REUSE_MS = 6 * 3_600_000;

/**
 * The seeded SQLite file for `alerts`, kept in .cache/bench with what it holds (seeding 1M alerts takes about 15
 * minutes): reused while younger than SEED_REUSE_MS, seeded again after. Each run measures a copy of it.
 */
async function keptSeed(
  root: string,
  alerts: number,
): Promise<{ file: string; about: KeptSeedAbout; reused: boolean }> {
  const file = path.join(root, ".cache", "bench", `alerts-${alerts}.db`);
  const aboutFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(aboutFile)) {
    const about = JSON.parse(fs.readFileSync(aboutFile, "utf8")) as KeptSeedAbout;
    if (Date.now() - about.now < SEED_REUSE_MS) return { file, about, reused: true };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const stale of [file, aboutFile]) fs.rmSync(stale, { force: true });
  const partial = `${file}.partial`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${partial}${suffix}`, { force: true });
  const now = Date.now();
  const started = performance.now();
  const counts = await seedAlertsDatabase(partial, { alerts, adminPassword: ADMIN_PASSWORD, now });
  const about: KeptSeedAbout = { counts, seedMillis: performance.now() - started, now };
  fs.renameSync(partial, file);
  fs.writeFileSync(aboutFile, JSON.stringify(about));
  return { file, about, reused: false };
}

/**
 * Seeds the alerts once into a SQLite file, then measures each database asked for on the same rows. The
 * PostgreSQL copy is made before any server touches the file, so both start from the same seed. A database whose
 * measurement fails is reported in `failures` and the next one still runs.
 */
export async function runAlertsApi(
  options: AlertsApiOptions,
): Promise<{ results: AlertsApiResult[]; failures: { database: BenchDatabase; error: string }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-bench-alerts-"));
  const databaseFile = path.join(dir, "keelwatch.db");
  try {
    const kept = await timed(`seeded database (${options.alerts.toLocaleString("en-US")} alerts)`, () =>
      keptSeed(options.root, options.alerts),
    );
    fs.copyFileSync(kept.file, databaseFile);
    const seeded = { databaseFile, ...kept.about, seedAgeMillis: kept.reused ? Date.now() - kept.about.now : 0 };
    // PostgreSQL first: its copy must be of the seed alone, before a server adds sessions and tokens to the file.
    const order = [...options.databases].sort((a, b) => (a === "postgresql" ? -1 : b === "postgresql" ? 1 : 0));
    const measured = new Map<BenchDatabase, AlertsApiResult>();
    const failures: { database: BenchDatabase; error: string }[] = [];
    for (const database of order) {
      try {
        measured.set(database, await measureDatabase(options, database, seeded));
      } catch (error) {
        const message = (error as Error).message;
        process.stderr.write(`bench: alerts on ${database}: ${message}\n`);
        failures.push({ database, error: message.split("\n")[0] ?? message });
      }
    }
    const results = options.databases.flatMap((database) => {
      const result = measured.get(database);
      return result ? [result] : [];
    });
    return { results, failures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
