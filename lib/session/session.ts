/**
 * The session view of an alert: every process of the alert's session in
 * display order (depth first, children in start order), a page at a time,
 * with the session's alerts placed on their processes.
 */
import { prisma } from "@/lib/db/client";
import { EventReader } from "@/lib/db/events";
import { chunk } from "@/lib/db/sql";
import { IDS_PER_QUERY } from "./batch";
import { type ProcessDetails, readProcessDetails } from "./details";
import type { SessionQuery } from "./schema";
import { buildSessionTree, MAX_SESSION_PROCESSES, type SessionGrouping, type SessionTreeRow } from "./tree";

export interface SessionAlert {
  id: string;
  ruleName: string;
  severity: string;
  status: string;
  timestamp: string;
  entityId: string;
  processName: string | null;
  /** the row of its process in display order */
  row: number;
}

export interface SessionProcess extends ProcessDetails {
  /** position in display order (0 = the root) */
  row: number;
  entityId: string;
  parentEntityId: string | null;
  depth: number;
  childCount: number;
  descendants: number;
  start: string | null;
  /** ids of the session's alerts on this process */
  alertIds: string[];
}

export interface AlertSession {
  alertId: string;
  grouping: SessionGrouping | "none";
  rootEntityId: string | null;
  /** processes listed (all pages together) */
  total: number;
  truncated: boolean;
  maxProcesses: number;
  /** the row of the alert's own process, when it is in the session */
  alertRow: number | null;
  alerts: SessionAlert[];
  /** with ?outline=true: the whole tree's shape, one entry per row in display order */
  outline?: { depth: number[]; descendants: number[] };
  /** with ?q=: the rows that match, in display order */
  matches?: number[];
  rows: SessionProcess[];
  nextCursor: string | null;
}

/** The most alerts one session lists (each is marked on its process). */
const MAX_SESSION_ALERTS = 1_000;
/** Rows whose details one search reads at once. */
const SEARCH_BATCH = 1_000;

/** The alert's session page, or null when there is no such alert. */
export async function getAlertSession(alertId: string, query: SessionQuery): Promise<AlertSession | null> {
  const alert = await prisma().alert.findUnique({
    where: { id: alertId },
    select: {
      id: true,
      entityId: true,
      entryLeaderEntityId: true,
      sessionLeaderEntityId: true,
      containerId: true,
      hostName: true,
    },
  });
  if (!alert) return null;
  const tree = await buildSessionTree(alert);
  if (!tree) {
    return {
      alertId,
      grouping: "none",
      rootEntityId: null,
      total: 0,
      truncated: false,
      maxProcesses: MAX_SESSION_PROCESSES,
      alertRow: null,
      alerts: [],
      ...(query.outline ? { outline: { depth: [], descendants: [] } } : {}),
      ...(query.q !== undefined ? { matches: [] } : {}),
      rows: [],
      nextCursor: null,
    };
  }

  const rowOf = new Map(tree.rows.map((row, index) => [row.entityId, index]));
  const alerts = await sessionAlerts(tree.rows, rowOf, alert);
  const alertIdsOf = new Map<string, string[]>();
  for (const found of alerts) {
    const list = alertIdsOf.get(found.entityId);
    if (list) list.push(found.id);
    else alertIdsOf.set(found.entityId, [found.id]);
  }

  const alertRow = alert.entityId ? (rowOf.get(alert.entityId) ?? null) : null;
  const reader = new EventReader();
  const offset =
    query.cursor !== undefined
      ? Number(query.cursor)
      : query.at === "alert" && alertRow !== null
        ? Math.floor(alertRow / query.limit) * query.limit
        : 0;
  const page = tree.rows.slice(offset, offset + query.limit);
  const details = await readProcessDetails(page, reader);
  const rows = page.map((row, index) =>
    sessionProcess(row, offset + index, details.get(row.entityId), alertIdsOf.get(row.entityId) ?? []),
  );
  const end = offset + page.length;

  return {
    alertId,
    grouping: tree.grouping,
    rootEntityId: tree.rootEntityId,
    total: tree.rows.length,
    truncated: tree.truncated,
    maxProcesses: MAX_SESSION_PROCESSES,
    alertRow,
    alerts,
    ...(query.outline
      ? { outline: { depth: tree.rows.map((row) => row.depth), descendants: tree.rows.map((row) => row.descendants) } }
      : {}),
    ...(query.q !== undefined ? { matches: await searchRows(tree.rows, query.q, reader) } : {}),
    rows,
    nextCursor: end < tree.rows.length ? String(end) : null,
  };
}

function sessionProcess(
  row: SessionTreeRow,
  index: number,
  details: ProcessDetails | undefined,
  alertIds: string[],
): SessionProcess {
  return {
    row: index,
    entityId: row.entityId,
    parentEntityId: row.parentEntityId,
    depth: row.depth,
    childCount: row.childCount,
    descendants: row.descendants,
    start: row.start ? row.start.toISOString() : null,
    name: details?.name ?? row.name,
    executable: details?.executable ?? row.executable,
    pid: details?.pid ?? null,
    args: details?.args ?? null,
    commandLine: details?.commandLine ?? null,
    userName: details?.userName ?? null,
    workingDirectory: details?.workingDirectory ?? null,
    end: details?.end ?? null,
    exitCode: details?.exitCode ?? null,
    unreadable: details?.unreadable ?? null,
    alertIds,
  };
}

/**
 * Alerts on the session's processes. Alerts are indexed by container and by
 * host with time, not by process, so the lookup narrows to the alert's
 * container (else host) since the session began before matching entity ids.
 */
async function sessionAlerts(
  rows: readonly SessionTreeRow[],
  rowOf: Map<string, number>,
  alert: { containerId: string | null; hostName: string | null },
): Promise<SessionAlert[]> {
  const starts = rows.flatMap((row) => (row.start ? [row.start.getTime()] : []));
  const since = starts.length > 0 ? new Date(Math.min(...starts)) : undefined;
  const scope = alert.containerId
    ? { containerId: alert.containerId }
    : alert.hostName
      ? { hostName: alert.hostName }
      : {};
  const found: SessionAlert[] = [];
  for (const part of chunk(
    rows.map((row) => row.entityId),
    IDS_PER_QUERY,
  )) {
    const alerts = await prisma().alert.findMany({
      where: { ...scope, ...(since ? { timestamp: { gte: since } } : {}), entityId: { in: part } },
      select: {
        id: true,
        ruleName: true,
        severity: true,
        status: true,
        timestamp: true,
        entityId: true,
        processName: true,
      },
      orderBy: [{ timestamp: "asc" }, { id: "asc" }],
      take: MAX_SESSION_ALERTS - found.length,
    });
    for (const row of alerts) {
      if (!row.entityId) continue;
      found.push({
        id: row.id,
        ruleName: row.ruleName,
        severity: row.severity,
        status: row.status,
        timestamp: row.timestamp.toISOString(),
        entityId: row.entityId,
        processName: row.processName,
        row: rowOf.get(row.entityId) ?? 0,
      });
    }
    if (found.length >= MAX_SESSION_ALERTS) break;
  }
  return found.sort((a, b) => a.row - b.row || a.timestamp.localeCompare(b.timestamp));
}

/** Rows whose name, executable, arguments, user or working directory contain `q`, any case. */
async function searchRows(rows: readonly SessionTreeRow[], q: string, reader: EventReader): Promise<number[]> {
  const needle = q.trim().toLowerCase();
  if (needle === "") return [];
  const matches: number[] = [];
  for (let offset = 0; offset < rows.length; offset += SEARCH_BATCH) {
    const batch = rows.slice(offset, offset + SEARCH_BATCH);
    const details = await readProcessDetails(batch, reader);
    batch.forEach((row, index) => {
      const found = details.get(row.entityId);
      const haystack = [
        found?.name ?? row.name,
        found?.executable ?? row.executable,
        found?.commandLine,
        found?.userName,
        found?.workingDirectory,
      ];
      if (haystack.some((value) => value?.toLowerCase().includes(needle))) matches.push(offset + index);
    });
  }
  return matches;
}
