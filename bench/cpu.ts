/**
 * CPU time of a process tree from the outside, to split an ingest's work between the app server(s) and
 * PostgreSQL's backends.
 *
 * Each process's /proc/<pid>/stat has its own user and system time (utime, stime) and that of its children it
 * has waited for (cutime, cstime). Summed over the live tree, a child that ends between two samples moves its
 * time from its own fields into its parent's, so the difference of two samples counts it once, as it does a
 * PostgreSQL backend that ends with its connection.
 */
import fs from "node:fs";
import { processTree } from "./processes";

/** Linux reports these times in clock ticks of USER_HZ, which is 100 on every architecture it supports. */
const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of one process, in ticks, from a /proc/<pid>/stat line; null if unreadable. */
export function parseStatTicks(stat: string): number | null {
  // The command name (field 2) is in parentheses and may hold spaces or ")": the fields start after the last ")".
  const close = stat.lastIndexOf(")");
  if (close === -1) return null;
  const fields = stat
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state is field 3, so utime (14) … cstime (17) are at 11 … 14 here.
  const times = fields.slice(11, 15).map(Number);
  if (times.length !== 4 || times.some((value) => !Number.isFinite(value))) return null;
  return times.reduce((sum, value) => sum + value, 0);
}

/** CPU seconds used so far by `pid` and its descendants, ended ones included (see the top of this file). */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      ticks += parseStatTicks(fs.readFileSync(`/proc/${member}/stat`, "utf8")) ?? 0;
    } catch {
      // ended between listing and reading: its time is now in its parent's cutime
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** The 1-, 5- and 15-minute load averages now, as /proc/loadavg gives them. */
export function loadAverage(): string {
  try {
    return fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}
