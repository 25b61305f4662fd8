import { prisma } from "./client";

/** One audit entry as the audit viewer shows it; `details` is parsed back from its stored JSON. */
export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditQuery {
  /** Exact actor label ("alice", "token:ci"). */
  actor?: string;
  /** An exact action ("user.update"), or a family when it ends in a dot ("user."). */
  action?: string;
  /** Only entries older than this id: the cursor for the next page. */
  before?: number;
  limit: number;
}

export interface AuditPage {
  entries: AuditRow[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/**
 * Newest first, paged by id rather than by offset so entries appended while
 * someone reads the log do not shift or repeat rows between pages.
 */
export async function queryAudit(query: AuditQuery): Promise<AuditPage> {
  const rows = await prisma().auditLog.findMany({
    where: {
      ...(query.actor ? { actorLabel: query.actor } : {}),
      ...(query.action
        ? query.action.endsWith(".")
          ? { action: { startsWith: query.action } }
          : { action: query.action }
        : {}),
      ...(query.before !== undefined ? { id: { lt: query.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => ({ ...row, details: parseDetails(row.details) })),
    nextBefore: rows.length > query.limit && last ? last.id : null,
  };
}

// Failed sign-ins record whatever username was typed, so the actor list is capped.
const FACET_LIMIT = 500;

/** The distinct actions and actors in the log, for the viewer's filter lists. */
export async function auditFacets(): Promise<{ actions: string[]; actors: string[] }> {
  const [actions, actors] = await Promise.all([
    prisma().auditLog.findMany({
      distinct: ["action"],
      select: { action: true },
      orderBy: { action: "asc" },
      take: FACET_LIMIT,
    }),
    prisma().auditLog.findMany({
      distinct: ["actorLabel"],
      select: { actorLabel: true },
      orderBy: { actorLabel: "asc" },
      take: FACET_LIMIT,
    }),
  ]);
  return { actions: actions.map((a) => a.action), actors: actors.map((a) => a.actorLabel) };
}

// Details were written by appendAudit as a JSON object; anything else is shown as raw text.
function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { raw: text };
  }
}
