/**
 * Turns the scaling and alerts-API figures into tables and into one verdict
 * per target of issues 6 and 9 (met / missed, with the measured number).
 * Pure: run.ts measures and prints, this decides and formats.
 */
import type { AlertsApiResult } from "./alerts-api";
import type { IngestPoint, ScalingResult } from "./scaling";
import { flatness, linearity, microsPerEvent, type ScalePoint } from "./stats";
import type { Grid } from "./table";

export const TARGETS = {
  floorRatio: 1.5,
  apiP95Ms: 50,
  firstRowsMs: 1000,
  /** issue 5: HTTP ingest of the generated events, NDJSON and gzip, on this 2-core machine */
  ingestEventsPerSecond: 50_000,
  ingestPeakRssMib: 300,
} as const;

export interface Verdict {
  target: string;
  measured: string;
  /** null: not measured in this run (too few scales, or the part failed). */
  met: boolean | null;
}

export interface Section {
  title: string;
  grid: Grid;
  notes: string[];
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (point: { events: number; millis: number }) => count((point.events * 1000) / point.millis);

/** The query on one line, without its comments. */
function queryText(query: string): string {
  return query
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function verdictLabel(verdict: Verdict): string {
  return verdict.met === null ? "not measured" : verdict.met ? "met" : "MISSED";
}

function scalingVerdicts(name: string, points: readonly ScalePoint[], failures: readonly string[]): Verdict[] {
  const missing =
    failures.length > 0
      ? `failed (${failures.length === 1 ? "1 measurement" : `${failures.length} measurements`}, see the notes): ${failures[0]}`
      : points.length < 2
        ? "one scale only"
        : "too little work to time apart from start-up";
  const time = linearity(points);
  const memory = flatness(points);
  const range =
    points.length > 1 ? ` (${count(points[0]?.events ?? 0)} → ${count(points.at(-1)?.events ?? 0)} events)` : "";
  return [
    {
      target: `${name}: linear time${range}`,
      measured: time ? `time per event ×${time.ratio.toFixed(2)} from smallest to largest (limit ×1.25)` : missing,
      met: time ? time.linear : null,
    },
    {
      target: `${name}: flat memory${range}`,
      measured: memory ? `peak RSS ×${memory.ratio.toFixed(2)} from smallest to largest (limit ×1.25)` : missing,
      met: memory ? memory.flat : null,
    },
  ];
}

export function scalingSection(result: ScalingResult): { sections: Section[]; verdicts: Verdict[] } {
  const rows: string[][] = [];
  const at = <T extends { events: number }>(points: readonly T[], events: number) =>
    points.find((point) => point.events === events);
  const sizes = [...new Set([...result.floor, ...result.eql, ...result.detect].map((point) => point.events))].sort(
    (a, b) => a - b,
  );
  for (const events of sizes) {
    const floor = at(result.floor, events);
    const eql = at(result.eql, events);
    const detect = at(result.detect, events);
    if (floor) {
      rows.push([
        "floor: split + JSON.parse",
        count(floor.events),
        seconds(floor.millis),
        rate(floor),
        ((floor.millis * 1000) / floor.events).toFixed(2),
        mib(floor.maxRss),
        "",
        "",
      ]);
    }
    if (eql) {
      const ratio = eql.selfMillis === undefined || !floor ? "" : (eql.selfMillis / floor.millis).toFixed(2);
      rows.push([
        "keelwatch eql",
        count(eql.events),
        seconds(eql.millis),
        rate(eql),
        microsPerEvent(eql).toFixed(2),
        mib(eql.peakRss),
        ratio,
        count(eql.outputs),
      ]);
    }
    if (detect) {
      rows.push([
        "keelwatch detect",
        count(detect.events),
        seconds(detect.millis),
        rate(detect),
        microsPerEvent(detect).toFixed(2),
        mib(detect.peakRss),
        "",
        count(detect.outputs),
      ]);
    }
  }
  for (const point of result.ingest) {
    rows.push([
      `HTTP ingest${point.gzip ? ", gzip" : ""}`,
      count(point.events),
      seconds(point.millis),
      rate(point),
      microsPerEvent(point).toFixed(2),
      mib(point.peakRss),
      "",
      count(point.alerts),
    ]);
  }
  const grid: Grid = {
    headers: ["measurement", "events", "seconds", "events/s", "µs/event", "peak RSS MiB", "× floor", "output"],
    rows,
    right: [1, 2, 3, 4, 5, 6, 7],
  };
  const notes = [
    `keelwatch eql query: rule "${result.eqlRule.name}" (\`${queryText(result.eqlRule.query)}\`); output = matches printed`,
    "keelwatch detect: the built-in rules; output = alerts printed",
    `start-up on a one-event file: keelwatch eql ${seconds(result.startupMillis.eql)} s, keelwatch detect ` +
      `${seconds(result.startupMillis.detect)} s; linearity compares eql's own --stats time and detect's time less start-up`,
    "seconds and peak RSS of the CLI rows are the whole process as a user runs it (bin/keelwatch, tsx start-up included; " +
      "peak = largest /proc VmHWM in the process tree, or eql's own maxRSS if larger); × floor = eql's own --stats elapsed time " +
      "over split + JSON.parse of the same file in a fresh node",
    "HTTP ingest: POST /api/events with an ingest token to `next start` on a fresh SQLite database; seconds until the " +
      "report came back; peak RSS = the server's VmHWM (start-up included); output = alerts created",
  ];

  const failed = (prefix: string) =>
    result.failures
      .filter((failure) => failure.what.startsWith(prefix))
      .map((failure) => `${failure.what}: ${failure.error}`);
  for (const failure of result.failures) notes.push(`**not measured** — ${failure.what}: ${failure.error}`);
  const ratios = result.floor.flatMap((floor) => {
    const eql = at(result.eql, floor.events);
    return eql?.selfMillis === undefined ? [] : [{ events: floor.events, ratio: eql.selfMillis / floor.millis }];
  });
  const worst = ratios.reduce<(typeof ratios)[number] | null>(
    (max, item) => (!max || item.ratio > max.ratio ? item : max),
    null,
  );
  const verdicts: Verdict[] = [
    {
      target: `keelwatch eql time ≤ ${TARGETS.floorRatio}× read + JSON.parse`,
      measured: worst
        ? ratios.map((item) => `${item.ratio.toFixed(2)}× at ${count(item.events)}`).join(", ")
        : "not measured",
      met: worst ? worst.ratio <= TARGETS.floorRatio : null,
    },
    // eql's own elapsed time, and detect's wall time less start-up: a constant second must not pass for non-linearity.
    ...scalingVerdicts(
      "keelwatch eql",
      result.eql.map((point) => ({ ...point, millis: point.selfMillis ?? point.millis - result.startupMillis.eql })),
      failed("keelwatch eql"),
    ),
    ...scalingVerdicts(
      "keelwatch detect",
      result.detect.map((point) => ({ ...point, millis: point.millis - result.startupMillis.detect })),
      failed("keelwatch detect"),
    ),
    ...scalingVerdicts(
      "HTTP ingest (NDJSON)",
      result.ingest.filter((point) => !point.gzip),
      failed("HTTP ingest"),
    ),
    ...ingestVerdicts(result.ingest),
  ];
  return { sections: [{ title: "Scaling", grid, notes }], verdicts };
}

/** Issue 5's absolute targets for HTTP ingest, judged on the slowest and the largest of every size measured. */
function ingestVerdicts(points: IngestPoint[]): Verdict[] {
  if (points.length === 0) {
    return [
      { target: `HTTP ingest ≥ ${count(TARGETS.ingestEventsPerSecond)} events/s`, measured: "not measured", met: null },
      { target: `HTTP ingest server peak RSS ≤ ${TARGETS.ingestPeakRssMib} MiB`, measured: "not measured", met: null },
    ];
  }
  const label = (point: IngestPoint) => `${count(point.events)}${point.gzip ? " gzip" : ""}`;
  const rate = (point: IngestPoint) => point.events / (point.millis / 1000);
  const slowest = points.reduce((min, point) => (rate(point) < rate(min) ? point : min));
  const largest = points.reduce((max, point) => (point.peakRss > max.peakRss ? point : max));
  return [
    {
      target: `HTTP ingest ≥ ${count(TARGETS.ingestEventsPerSecond)} events/s`,
      measured: `slowest ${count(Math.round(rate(slowest)))} events/s (${label(slowest)}); ${points.map((point) => `${label(point)}: ${count(Math.round(rate(point)))}`).join(", ")}`,
      met: rate(slowest) >= TARGETS.ingestEventsPerSecond,
    },
    {
      target: `HTTP ingest server peak RSS ≤ ${TARGETS.ingestPeakRssMib} MiB`,
      measured: `largest ${mib(largest.peakRss)} MiB (${label(largest)}); ${points.map((point) => `${label(point)}: ${mib(point.peakRss)}`).join(", ")}`,
      met: largest.peakRss / 1024 ** 2 <= TARGETS.ingestPeakRssMib,
    },
  ];
}

export function alertsSection(result: AlertsApiResult): { sections: Section[]; verdicts: Verdict[] } {
  const grid: Grid = {
    headers: ["request", "p50 ms", "p95 ms", "p99 ms", "max ms", "samples", "returned"],
    rows: result.cases.map((item) => [
      item.name,
      item.latency.p50.toFixed(1),
      item.latency.p95.toFixed(1),
      item.latency.p99.toFixed(1),
      item.latency.max.toFixed(1),
      String(item.latency.count),
      item.returned,
    ]),
    right: [1, 2, 3, 4, 5],
  };
  const { counts, database } = result;
  const notes = [
    `${count(counts.alerts)} alerts (each with its event and alert↔event link), ${counts.rules} rules, ` +
      `${counts.uploads} uploads, ${counts.users} users seeded in ${seconds(result.seedMillis)} s` +
      (result.seedAgeMillis > 0
        ? ` (${(result.seedAgeMillis / 3_600_000).toFixed(1)} h before this run, kept in .cache/bench)`
        : "") +
      (result.copyMillis === null
        ? ""
        : ` into SQLite, copied into PostgreSQL (keelwatch db copy's code, then VACUUM ANALYZE) in ${seconds(result.copyMillis)} s`) +
      `; database ${mib(result.databaseBytes)} MiB; load average after the API cases ${result.loadAverage}`,
    "one request at a time with a viewer API token, after one or two warm-up requests; time = request sent to body " +
      "read; a case stops after 20 s (with at least 3 samples), so slow cases have fewer samples",
  ];
  const listCases = result.cases.filter((item) => item.path.startsWith("/api/alerts?") || item.path === "/api/alerts");
  const otherCases = result.cases.filter((item) => !listCases.includes(item));
  const judge = (target: string, cases: typeof result.cases): Verdict => {
    const misses = cases.filter((item) => item.latency.p95 > TARGETS.apiP95Ms);
    const worst = cases.reduce<(typeof cases)[number] | null>(
      (max, item) => (!max || item.latency.p95 > max.latency.p95 ? item : max),
      null,
    );
    return {
      target,
      measured: worst
        ? `worst p95 ${worst.latency.p95.toFixed(1)} ms ("${worst.name}")` +
          (misses.length > 0 ? `; over the target: ${misses.map((item) => item.name).join("; ")}` : "")
        : "not measured",
      met: worst ? misses.length === 0 : null,
    };
  };
  const verdicts: Verdict[] = [
    judge(
      `alerts list API p95 ≤ ${TARGETS.apiP95Ms} ms with ${count(counts.alerts)} alerts, every filter and sort (${database})`,
      listCases,
    ),
    judge(
      `group-by and dashboard API p95 ≤ ${TARGETS.apiP95Ms} ms with ${count(counts.alerts)} alerts (${database})`,
      otherCases,
    ),
  ];
  if (result.firstRows && result.firstRows.loads.length > 0) {
    const loads = result.firstRows.loads;
    // Judged by the frame that shows the rows when the browser reported it: rows in the page are not yet on screen.
    const painted = result.firstRows.painted ?? [];
    const judged = painted.length === loads.length ? painted : loads;
    const worst = Math.max(...judged);
    const list = (values: number[]) => values.map((ms) => ms.toFixed(0)).join(", ");
    notes.push(
      `first alert rows in Chromium (ms from navigation start, first load with a cold cache): in the page ${list(loads)}` +
        `${painted.length > 0 ? `; painted ${list(painted)}` : ""}; ` +
        `first-contentful-paint: ${result.firstRows.firstContentfulPaint.map((ms) => (ms === null ? "?" : ms.toFixed(0))).join(", ")}`,
    );
    verdicts.push({
      target: `first contentful alert rows ≤ ${TARGETS.firstRowsMs} ms with ${count(counts.alerts)} alerts (${database})`,
      measured: `slowest of ${judged.length} loads ${worst.toFixed(0)} ms ${judged === painted ? "painted" : "in the page"} (cold: ${(judged[0] ?? 0).toFixed(0)} ms)`,
      met: worst <= TARGETS.firstRowsMs,
    });
  } else {
    verdicts.push({
      target: `first contentful alert rows ≤ ${TARGETS.firstRowsMs} ms (${database})`,
      measured: result.firstRowsError ?? "not measured",
      met: null,
    });
  }
  return {
    sections: [{ title: `Alerts API with ${count(counts.alerts)} alerts on ${database}`, grid, notes }],
    verdicts,
  };
}

/**
 * The same requests on every database measured, p50 and p95 side by side, with what each returned (the same
 * seed, so a differing answer is worth a look). Cases measured on only some databases keep empty cells.
 */
export function alertsSideBySide(results: readonly AlertsApiResult[]): Section | null {
  if (results.length < 2) return null;
  const names = [...new Set(results.flatMap((result) => result.cases.map((item) => item.name)))];
  const rows = names.map((name) => {
    const cells = results.map((result) => result.cases.find((item) => item.name === name));
    const returned = [...new Set(cells.map((item) => item?.returned ?? "—"))];
    return [
      name,
      ...cells.flatMap((item) => (item ? [item.latency.p50.toFixed(1), item.latency.p95.toFixed(1)] : ["", ""])),
      returned.join(" / "),
    ];
  });
  const headers = [
    "request",
    ...results.flatMap((result) => [`${result.database} p50 ms`, `${result.database} p95 ms`]),
    "returned",
  ];
  const alerts = count(results[0]?.counts.alerts ?? 0);
  const over = results.map((result) => {
    const misses = result.cases.filter((item) => item.latency.p95 > TARGETS.apiP95Ms);
    return `${result.database}: ${misses.length === 0 ? "none" : misses.map((item) => `${item.name} (${item.latency.p95.toFixed(1)} ms)`).join("; ")}`;
  });
  return {
    title: `PostgreSQL and SQLite side by side: alerts API with ${alerts} alerts`,
    grid: { headers, rows, right: headers.slice(1, -1).map((_, i) => i + 1) },
    notes: [
      "the same seeded alerts on each database, the same requests one at a time (details per database below)",
      `p95 over ${TARGETS.apiP95Ms} ms — ${over.join(" — ")}`,
    ],
  };
}

export function verdictGrid(verdicts: readonly Verdict[]): Grid {
  return {
    headers: ["target", "result", "measured"],
    rows: verdicts.map((verdict) => [verdict.target, verdictLabel(verdict), verdict.measured]),
  };
}
