/**
 * `npm run bench` settings from the environment. The defaults are the full
 * run the issues ask for (keelwatch eql and detect at 1M/2M/4M events, 1M
 * alerts), sized to finish in about 25 minutes on a quiet 2-core machine once
 * the event files exist. HTTP ingest stores every event and is far slower
 * than the CLI (a few thousand events/s), so its default sizes are
 * 125k/250k/500k, the same 4× range for the linearity and memory verdicts;
 * BENCH_INGEST_SCALES=1e6,2e6,4e6 measures the full sizes, at the cost of
 * most of an hour more. BENCH_QUICK=1 shrinks everything to a check of a
 * couple of minutes.
 */
import { INVESTIGATE_MEASUREMENTS, type InvestigateMeasurement } from "./investigate-parts";
import { parseScales } from "./stats";

export const BENCH_PARTS = ["engine", "scaling", "ingest", "alerts", "investigate", "cli", "eql", "sensors"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** The databases the ingest and alerts parts run their cases on, side by side (issue 22). */
export const BENCH_DATABASES = ["sqlite", "postgresql"] as const;
export type BenchDatabase = (typeof BENCH_DATABASES)[number];

export interface BenchConfig {
  quick: boolean;
  parts: BenchPart[];
  /** engine part: events per pass, and for the in-process ingest */
  events: number;
  ingestEvents: number;
  /** scaling part: keelwatch eql / detect sizes, HTTP ingest sizes, gzip HTTP ingest sizes */
  scales: number[];
  ingestScales: number[];
  gzipScales: number[];
  /** eql part: keelwatch eql end to end at these sizes, this many alternating rounds */
  eqlScales: number[];
  eqlRounds: number;
  /** ingest and alerts parts: the same cases on each of these databases */
  databases: BenchDatabase[];
  /** ingest part: events of the one-instance upload; two instances upload its two halves at once */
  databaseIngestEvents: number;
  /** alerts part */
  alerts: number;
  samples: number;
  browserLoads: number;
  /** investigate part: stored events, and which of its measurements run */
  investigateEvents: number;
  investigate: InvestigateMeasurement[];
  /** sensors part: GET /api/health requests, 1-event POSTs, events sent in 100-event POSTs, bulk file events */
  sensors: SensorsConfig;
  port: number;
  record: boolean;
}

export interface SensorsConfig {
  healthRequests: number;
  singlePosts: number;
  batchEvents: number;
  bulkEvents: number;
}

export const ENV_HELP = `Environment (defaults in brackets; BENCH_QUICK=1 gives the quick values):
  BENCH_PARTS          engine,scaling,ingest,alerts,investigate,cli,eql,sensors [all]
  BENCH_DATABASES      databases of the ingest and alerts parts: sqlite,postgresql [both]
  BENCH_DB_INGEST_EVENTS  ingest part: one upload of this many events; two instances upload its halves [1e6; quick 5e4]
  BENCH_EVENTS         events per engine pass [1e6; quick 1e5]
  BENCH_INGEST_EVENTS  in-process ingest of the engine part [2e5; quick 2e4]
  BENCH_SCALES         keelwatch eql / detect sizes [1e6,2e6,4e6; quick 5e4,1e5]
  BENCH_INGEST_SCALES  HTTP ingest sizes [1.25e5,2.5e5,5e5; quick 2.5e4,5e4]; "none" to skip
  BENCH_GZIP_SCALES    HTTP ingest of the gzipped file [5e5; quick 5e4]; "none" to skip
  BENCH_EQL_SCALES     keelwatch eql end to end against the floor [2e5,1e6; quick 5e4,1e5]
  BENCH_EQL_ROUNDS     alternating rounds of the eql part [3; quick 1]
  BENCH_ALERTS         alerts seeded for the API part [1e6; quick 5e4]
  BENCH_SAMPLES        timed requests per API case [40; quick 10]
  BENCH_BROWSER_LOADS  page loads timed in Chromium [4; quick 2]
  BENCH_INVESTIGATE_EVENTS  events stored for the investigate part [1e6; quick 1e5]
  BENCH_INVESTIGATE    its measurements: session,timeline,hunt,sequence,exception-preview [all]
  BENCH_SENSOR_HEALTH  GET /api/health requests, 8 in flight [5000; quick 1000]
  BENCH_SENSOR_SINGLE  1-event POSTs (a Falco alert each), 8 in flight [3000; quick 500]
  BENCH_SENSOR_BATCH   events sent in 100-event gzip NDJSON POSTs, 8 in flight [1e5; quick 1e4]
  BENCH_SENSOR_BULK    events in the one bulk file upload (peak RSS measured) [1e6; quick 5e4]
  BENCH_PORT           port of the server the bench starts (the ingest part's second instance: the next one) [3130]
  BENCH_NO_RECORD=1    print only; do not append to bench/RESULTS.md
  BENCH_RESULTS_FILE   append to this file instead of bench/RESULTS.md`;

function positive(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text.trim().replace(/_/g, ""));
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number, not "${text}"`);
  return value;
}

function scales(env: Readonly<Record<string, string | undefined>>, name: string, fallback: string): number[] {
  const text = env[name]?.trim() || fallback;
  return text === "none" ? [] : parseScales(text, name);
}

/** A comma-separated list of names, each one of `known`; all of them when unset. */
function names<T extends string>(text: string | undefined, name: string, known: readonly T[]): T[] {
  if (!text?.trim()) return [...known];
  return text.split(",").map((part) => {
    const value = part.trim();
    if (!(known as readonly string[]).includes(value)) {
      throw new Error(`${name}: unknown "${value}"; use ${known.join(", ")}`);
    }
    return value as T;
  });
}

/** The two-instance case uploads the file's two halves, so the count is made even. */
function evenCount(value: number): number {
  return Math.max(2, value - (value % 2));
}

export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === "1";
  const partsText = env.BENCH_PARTS?.trim();
  const parts = partsText
    ? partsText.split(",").map((part) => {
        const name = part.trim();
        if (!(BENCH_PARTS as readonly string[]).includes(name)) {
          throw new Error(`BENCH_PARTS: unknown part "${name}"; use ${BENCH_PARTS.join(", ")}`);
        }
        return name as BenchPart;
      })
    : [...BENCH_PARTS];
  const events = positive(env, "BENCH_EVENTS", quick ? 100_000 : 1_000_000);
  const port = positive(env, "BENCH_PORT", 3130);
  if (port >= 65_535) throw new Error(`BENCH_PORT must be a port, not ${port}`);
  return {
    quick,
    parts,
    events,
    ingestEvents: Math.min(positive(env, "BENCH_INGEST_EVENTS", quick ? 20_000 : 200_000), events),
    scales: scales(env, "BENCH_SCALES", quick ? "5e4,1e5" : "1e6,2e6,4e6"),
    ingestScales: scales(env, "BENCH_INGEST_SCALES", quick ? "2.5e4,5e4" : "1.25e5,2.5e5,5e5"),
    gzipScales: scales(env, "BENCH_GZIP_SCALES", quick ? "5e4" : "5e5"),
    eqlScales: scales(env, "BENCH_EQL_SCALES", quick ? "5e4,1e5" : "2e5,1e6"),
    eqlRounds: positive(env, "BENCH_EQL_ROUNDS", quick ? 1 : 3),
    databases: names(env.BENCH_DATABASES, "BENCH_DATABASES", BENCH_DATABASES),
    databaseIngestEvents: evenCount(positive(env, "BENCH_DB_INGEST_EVENTS", quick ? 50_000 : 1_000_000)),
    alerts: positive(env, "BENCH_ALERTS", quick ? 50_000 : 1_000_000),
    samples: positive(env, "BENCH_SAMPLES", quick ? 10 : 40),
    browserLoads: positive(env, "BENCH_BROWSER_LOADS", quick ? 2 : 4),
    investigateEvents: positive(env, "BENCH_INVESTIGATE_EVENTS", quick ? 100_000 : 1_000_000),
    investigate: names(env.BENCH_INVESTIGATE, "BENCH_INVESTIGATE", INVESTIGATE_MEASUREMENTS),
    sensors: {
      healthRequests: positive(env, "BENCH_SENSOR_HEALTH", quick ? 1_000 : 5_000),
      singlePosts: positive(env, "BENCH_SENSOR_SINGLE", quick ? 500 : 3_000),
      // Whole 100-event requests: the figure is events per second of those requests.
      batchEvents: Math.max(100, Math.round(positive(env, "BENCH_SENSOR_BATCH", quick ? 10_000 : 100_000) / 100) * 100),
      bulkEvents: positive(env, "BENCH_SENSOR_BULK", quick ? 50_000 : 1_000_000),
    },
    port,
    record: env.BENCH_NO_RECORD !== "1",
  };
}
