/**
 * The ingest part's figures side by side per database (issue 22), its verdict (server peak RSS ≤ 300 MiB during
 * the upload, on each database), and what the measured CPU split says one more machine would add. Pure: ingest.ts
 * measures, this decides and formats.
 */
import type { IngestCase, IngestResult } from "./ingest";
import type { Grid } from "./table";
import { type Section, TARGETS, type Verdict } from "./targets";

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const perSecond = (events: number, millis: number) => (events * 1000) / millis;

/** Events of every instance of a case. */
export function caseEvents(item: IngestCase): number {
  return item.instances.reduce((sum, instance) => sum + instance.events, 0);
}

/** Events/s of the case as a whole: every instance's events over the time from the first start to the last reply. */
export function caseRate(item: IngestCase): number {
  return perSecond(caseEvents(item), item.wallMillis);
}

export interface CpuSplit {
  /** CPU time per event, µs: the app servers', PostgreSQL's backends'. */
  appMicros: number;
  postgresMicros: number;
  /** Events/s the CPU would allow with every core busy: all on this machine, and with one more like it. */
  ceilingHere: number;
  ceilingTwoMachines: number;
}

/**
 * From a PostgreSQL case's CPU times: the events/s its CPU cost allows when `cores` cores do nothing else
 * (everything on one machine), and when a second machine with as many cores takes the app instances (PostgreSQL
 * keeps the first): then the busier side bounds it. A projection from measured CPU time, not a measurement: it
 * leaves out the network between the machines and any waiting that is not CPU (locks, I/O).
 */
export function cpuSplit(item: IngestCase, cores: number): CpuSplit | null {
  if (item.postgresCpuSeconds === null) return null;
  const events = caseEvents(item);
  const appMicros = (item.appCpuSeconds * 1e6) / events;
  const postgresMicros = (item.postgresCpuSeconds * 1e6) / events;
  if (appMicros <= 0 || postgresMicros <= 0) return null;
  return {
    appMicros,
    postgresMicros,
    ceilingHere: (cores * 1e6) / (appMicros + postgresMicros),
    ceilingTwoMachines: (cores * 1e6) / Math.max(appMicros, postgresMicros),
  };
}

export function ingestSection(result: IngestResult, cores: number): { sections: Section[]; verdicts: Verdict[] } {
  const rows: string[][] = [];
  for (const item of result.cases) {
    const label = item.instances.length === 1 ? "one instance" : `${item.instances.length} instances at once`;
    const cpu = (value: number | null) => (value === null ? "" : value.toFixed(1));
    const coresUsed = ((item.appCpuSeconds + (item.postgresCpuSeconds ?? 0)) * 1000) / item.wallMillis;
    for (const [i, instance] of item.instances.entries()) {
      rows.push([
        item.database,
        item.instances.length === 1 ? label : `${label}: #${i + 1}`,
        count(instance.events),
        seconds(instance.millis),
        count(perSecond(instance.events, instance.millis)),
        mib(instance.peakRss),
        "",
        "",
        "",
        "",
      ]);
    }
    rows.push([
      item.database,
      item.instances.length === 1 ? `${label}: CPU` : `${label}: together`,
      count(caseEvents(item)),
      seconds(item.wallMillis),
      count(caseRate(item)),
      "",
      cpu(item.appCpuSeconds),
      cpu(item.postgresCpuSeconds),
      coresUsed.toFixed(2),
      item.loadAverage,
    ]);
  }
  const grid: Grid = {
    headers: [
      "database",
      "case",
      "events",
      "seconds",
      "events/s",
      "peak RSS MiB",
      "app CPU s",
      "PostgreSQL CPU s",
      "cores used",
      "load average after",
    ],
    rows,
    right: [2, 3, 4, 5, 6, 7, 8],
  };
  const notes = [
    "POST /api/events of the generated NDJSON file with an ingest token to `next start` on a fresh database; two " +
      "instances: two servers on one fresh database, each sent one half of the same file at the same moment; seconds " +
      "until each report came back (together: first request sent to last reply). Every event of every file was accepted.",
    "CPU s = user + system CPU time during the uploads from /proc/<pid>/stat (ended children included), of the " +
      "server process trees and of PostgreSQL's postmaster tree (every backend); cores used = both over the wall time; " +
      "load average = /proc/loadavg right after (1, 5, 15 min): the machine is shared with other work.",
    "PostgreSQL: a throw-away cluster (scripts/pg-cluster.mjs: fsync off, synchronous_commit off, the default " +
      "128 MB shared_buffers) on the same machine as the app.",
  ];
  const find = (database: string, instances: number) =>
    result.cases.find((item) => item.database === database && item.instances.length === instances);
  const sqliteOne = find("sqlite", 1);
  for (const database of new Set(result.cases.map((item) => item.database))) {
    const one = find(database, 1);
    const two = find(database, 2);
    if (one && sqliteOne && database !== "sqlite") {
      notes.push(
        `${database}, one instance: ${count(caseRate(one))} events/s, ${(caseRate(one) / caseRate(sqliteOne)).toFixed(2)}× SQLite's ${count(caseRate(sqliteOne))}`,
      );
    }
    if (one && two) {
      const each = two.instances.map((instance) => count(perSecond(instance.events, instance.millis))).join(" and ");
      notes.push(
        `${database}, two instances at once: ${each} events/s each, ${count(caseRate(two))} together = ` +
          `${(caseRate(two) / caseRate(one)).toFixed(2)}× one instance's ${count(caseRate(one))}` +
          (sqliteOne && database !== "sqlite"
            ? ` (${(caseRate(two) / caseRate(sqliteOne)).toFixed(2)}× SQLite's one instance)`
            : ""),
      );
    }
    for (const item of [one, two]) {
      const split = item ? cpuSplit(item, cores) : null;
      if (!item || !split) continue;
      const share = (100 * split.postgresMicros) / (split.appMicros + split.postgresMicros);
      notes.push(
        `${database}, ${item.instances.length === 1 ? "one instance" : "two instances"}: CPU per event ` +
          `${split.appMicros.toFixed(0)} µs in the app, ${split.postgresMicros.toFixed(0)} µs in PostgreSQL ` +
          `(${share.toFixed(0)}% of the work). With every one of this machine's ${cores} cores busy that allows at most ` +
          `${count(split.ceilingHere)} events/s; one more ${cores}-core machine for the app instances (PostgreSQL ` +
          `alone on this one) would raise the CPU ceiling to ${count(split.ceilingTwoMachines)} events/s ` +
          `(×${(split.ceilingTwoMachines / split.ceilingHere).toFixed(2)}), bounded by the ` +
          `${split.appMicros >= split.postgresMicros ? "app" : "PostgreSQL"} side. Projected from the measured CPU ` +
          "time, not measured: network round trips and lock waits come on top.",
      );
    }
  }
  for (const failure of result.failures) notes.push(`**not measured** — ${failure.what}: ${failure.error}`);

  const databases = [...new Set([...result.cases.map((item) => item.database)])];
  const failedDatabases = result.failures
    .map((failure) => failure.what.split(":")[0] ?? "")
    .filter((name) => !databases.includes(name as IngestCase["database"]));
  const verdicts: Verdict[] = [...databases, ...new Set(failedDatabases)].map((database) => {
    const one = find(database, 1);
    const target = `HTTP ingest server peak RSS ≤ ${TARGETS.ingestPeakRssMib} MiB during a ${count(result.events)}-event upload (${database})`;
    if (!one) return { target, measured: "not measured (the case failed, see the notes)", met: null };
    const peak = one.instances[0]?.peakRss ?? 0;
    const two = find(database, 2);
    const twoPeaks = two
      ? `; two instances: ${two.instances.map((instance) => mib(instance.peakRss)).join(" and ")} MiB`
      : "";
    return {
      target,
      measured: `${mib(peak)} MiB (idle before the upload ${mib(one.instances[0]?.idleRss ?? 0)} MiB)${twoPeaks}`,
      met: peak / 1024 ** 2 <= TARGETS.ingestPeakRssMib,
    };
  });
  return {
    sections: [
      { title: `PostgreSQL and SQLite side by side: HTTP ingest of ${count(result.events)} events`, grid, notes },
    ],
    verdicts,
  };
}
