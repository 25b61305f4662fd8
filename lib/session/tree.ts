import { prisma } from "@/lib/db/client";
import { chunk } from "@/lib/db/sql";
import { IDS_PER_QUERY } from "./batch";

/** How the session's processes were gathered: under the sensor's entry or session leader, or the alert's ancestry. */
export type SessionGrouping = "entry_leader" | "session_leader" | "ancestry";

/** One process of the session tree, as the Process table knows it, at its place in display order. */
export interface SessionTreeRow {
  entityId: string;
  parentEntityId: string | null;
  /** 0 for the root */
  depth: number;
  childCount: number;
  /** every process below this one; the rows after it in display order, up to the next at its depth or above */
  descendants: number;
  name: string | null;
  executable: string | null;
  start: Date | null;
  /** the process's earliest stored event; null for a root no stored event names as a process */
  eventId: number | null;
}

export interface SessionTree {
  grouping: SessionGrouping;
  rootEntityId: string;
  /** depth first, children in start order: the order the session view lists them */
  rows: SessionTreeRow[];
  /** more processes were below than the limit allows; the deepest levels were left out */
  truncated: boolean;
}

/** Where a session tree starts, from what the alert row knows. */
export interface SessionAnchor {
  entityId: string | null;
  entryLeaderEntityId: string | null;
  sessionLeaderEntityId: string | null;
}

/** The most processes one session view lists; beyond it the view says the session was truncated. */
export const MAX_SESSION_PROCESSES = 20_000;
/** Ancestry walks stop after this many parents (a loop in bad data cannot hold a request). */
const MAX_ANCESTRY_DEPTH = 500;

const PROCESS_SELECT = {
  entityId: true,
  parentEntityId: true,
  processName: true,
  processExecutable: true,
  timestamp: true,
  eventId: true,
} as const;

type ProcessRow = {
  entityId: string;
  parentEntityId: string | null;
  processName: string | null;
  processExecutable: string | null;
  timestamp: Date;
  eventId: number;
};

/**
 * The alert's session as a tree: every stored process below the entry leader
 * (else the session leader; a sensor without sessions gives neither, then the
 * root of the alert's own ancestry), walked down one level at a time with
 * batched IN queries on the (parentEntityId, timestamp) index, and flattened
 * depth first. Null when the alert names no process at all.
 */
export async function buildSessionTree(
  anchor: SessionAnchor,
  maxProcesses = MAX_SESSION_PROCESSES,
): Promise<SessionTree | null> {
  const start = await sessionRoot(anchor);
  if (!start) return null;
  const root = await prisma().process.findUnique({ where: { entityId: start.rootEntityId }, select: PROCESS_SELECT });

  const childrenOf = new Map<string, ProcessRow[]>();
  const seen = new Set<string>([start.rootEntityId]);
  let frontier = [start.rootEntityId];
  let count = 1;
  let truncated = false;
  while (frontier.length > 0 && !truncated) {
    const next: string[] = [];
    for (const part of chunk(frontier, IDS_PER_QUERY)) {
      const found = await prisma().process.findMany({
        where: { parentEntityId: { in: part } },
        select: PROCESS_SELECT,
        orderBy: [{ timestamp: "asc" }, { eventId: "asc" }],
      });
      for (const row of found) {
        if (seen.has(row.entityId) || row.parentEntityId === null) continue;
        if (count >= maxProcesses) {
          truncated = true;
          break;
        }
        seen.add(row.entityId);
        count++;
        const siblings = childrenOf.get(row.parentEntityId);
        if (siblings) siblings.push(row);
        else childrenOf.set(row.parentEntityId, [row]);
        next.push(row.entityId);
      }
      if (truncated) break;
    }
    frontier = next;
  }

  const rootRow: ProcessRow | null = root;
  return {
    grouping: start.grouping,
    rootEntityId: start.rootEntityId,
    rows: flatten(start.rootEntityId, rootRow, childrenOf),
    truncated,
  };
}

async function sessionRoot(anchor: SessionAnchor): Promise<{ grouping: SessionGrouping; rootEntityId: string } | null> {
  if (anchor.entryLeaderEntityId) return { grouping: "entry_leader", rootEntityId: anchor.entryLeaderEntityId };
  if (anchor.sessionLeaderEntityId) return { grouping: "session_leader", rootEntityId: anchor.sessionLeaderEntityId };
  if (!anchor.entityId) return null;
  return { grouping: "ancestry", rootEntityId: await ancestryRoot(anchor.entityId) };
}

/** The topmost stored ancestor of a process (the process itself when its parent was never stored). */
async function ancestryRoot(entityId: string): Promise<string> {
  let current = entityId;
  const seen = new Set<string>([entityId]);
  for (let level = 0; level < MAX_ANCESTRY_DEPTH; level++) {
    const row = await prisma().process.findUnique({ where: { entityId: current }, select: { parentEntityId: true } });
    const parent = row?.parentEntityId;
    if (!parent || seen.has(parent)) break;
    const parentStored = await prisma().process.findUnique({ where: { entityId: parent }, select: { entityId: true } });
    if (!parentStored) break;
    seen.add(parent);
    current = parent;
  }
  return current;
}

/** Depth-first order with each row's depth, child count and descendant count. */
function flatten(
  rootEntityId: string,
  root: ProcessRow | null,
  childrenOf: Map<string, ProcessRow[]>,
): SessionTreeRow[] {
  const rows: SessionTreeRow[] = [];
  const rootTreeRow: SessionTreeRow = {
    entityId: rootEntityId,
    parentEntityId: root?.parentEntityId ?? null,
    depth: 0,
    childCount: childrenOf.get(rootEntityId)?.length ?? 0,
    descendants: 0,
    name: root?.processName ?? null,
    executable: root?.processExecutable ?? null,
    start: root?.timestamp ?? null,
    eventId: root?.eventId ?? null,
  };
  // An explicit stack: sessions can be thousands of levels deep in hostile data.
  const stack: { row: SessionTreeRow; index: number }[] = [];
  const visit = (row: SessionTreeRow) => {
    rows.push(row);
    stack.push({ row, index: rows.length - 1 });
  };
  visit(rootTreeRow);
  const pending: { children: SessionTreeRow[]; next: number }[] = [
    { children: childRowsOf(rootTreeRow, childrenOf), next: 0 },
  ];
  while (pending.length > 0) {
    const level = pending[pending.length - 1] as { children: SessionTreeRow[]; next: number };
    const child = level.children[level.next++];
    if (!child) {
      pending.pop();
      const done = stack.pop();
      if (done) done.row.descendants = rows.length - done.index - 1;
      continue;
    }
    visit(child);
    pending.push({ children: childRowsOf(child, childrenOf), next: 0 });
  }
  return rows;
}

function childRowsOf(parent: SessionTreeRow, childrenOf: Map<string, ProcessRow[]>): SessionTreeRow[] {
  const children = childrenOf.get(parent.entityId) ?? [];
  children.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.eventId - b.eventId);
  return children.map((child) => ({
    entityId: child.entityId,
    parentEntityId: child.parentEntityId,
    depth: parent.depth + 1,
    childCount: childrenOf.get(child.entityId)?.length ?? 0,
    descendants: 0,
    name: child.processName,
    executable: child.processExecutable,
    start: child.timestamp,
    eventId: child.eventId,
  }));
}
