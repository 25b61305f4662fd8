import { z } from "zod";
import { ecsText } from "../detection/ecs-fields";
import type { Prisma } from "../generated/prisma/client";
import { Histogram, type HistogramBucket } from "../hunt/histogram";
import { prisma } from "./client";
import { parseEventDocument, readEventDocuments, scanStoredEvents } from "./events";

/**
 * The events around an alert: those of its container (or host, or session) in
 * a window of ±N minutes around it, a page at a time, with a histogram of the
 * whole window and the categories and actions found there. Container and host
 * are slim Event columns, so the database filters them and counts without
 * unpacking documents; a session (process.entry_leader.entity_id) is only in
 * the documents, so it is read from them, within the window and the host.
 */

export const TIMELINE_SCOPES = ["container", "host", "session"] as const;
export type TimelineScope = (typeof TIMELINE_SCOPES)[number];
export const TIMELINE_MAX_WINDOW_MINUTES = 24 * 60;
/** Events counted for the histogram at most; a busier window says so rather than slowing down. */
const HISTOGRAM_MAX_EVENTS = 100_000;

const list = (description: string) =>
  z
    .preprocess(
      (raw) => (raw === undefined || raw === "" ? [] : Array.isArray(raw) ? raw : String(raw).split(",")),
      z.array(z.string().min(1).max(200)).max(50),
    )
    .describe(description);

export const TimelineFilterSchema = z.object({
  window: z.coerce
    .number()
    .int()
    .min(1)
    .max(TIMELINE_MAX_WINDOW_MINUTES)
    .default(5)
    .describe("minutes before and after the alert (default 5)"),
  scope: z.enum(TIMELINE_SCOPES).default("container").describe("whose events: the alert's container, host or session"),
  category: list("only events of these event.category values (repeat or comma-separate)"),
  action: list("only events with these event.action values (repeat or comma-separate)"),
});
export const TimelineQuerySchema = TimelineFilterSchema.extend({
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TimelineFilter = z.output<typeof TimelineFilterSchema>;
export type TimelineQuery = z.output<typeof TimelineQuerySchema>;

export interface TimelineEvent {
  id: number;
  timestamp: string;
  category: string | null;
  action: string | null;
  document: Record<string, unknown>;
}

export interface TimelineFacet {
  value: string;
  count: number;
}

export interface Timeline {
  alert: { id: string; timestamp: string; eventIds: number[] };
  scope: TimelineScope;
  /** the container id, host name or session entity id the events share */
  scopeValue: string;
  from: string;
  to: string;
  /** events in the window that pass the filters */
  total: number;
  /** true when the window held more than the histogram counts */
  histogramCapped: boolean;
  bucketMs: number;
  histogram: HistogramBucket[];
  /** categories and actions in the window (before the category/action filters), most frequent first */
  facets: { categories: TimelineFacet[]; actions: TimelineFacet[] };
  items: TimelineEvent[];
  nextCursor: string | null;
}

export type TimelineResult =
  | { ok: true; timeline: Timeline }
  | { ok: false; status: 400 | 404; code: string; message: string; field?: string };

interface Anchor {
  id: string;
  timestamp: Date;
  eventIds: number[];
  scopeValue: string;
  /** the slim-column filter of the scope (session: the host, when known) */
  where: Prisma.EventWhereInput;
  /** for a session, the entry leader a document must name */
  session: string | null;
}

/** Resolves the alert and what its scope means; an error when the alert lacks that scope's field. */
async function anchorFor(
  alertId: string,
  scope: TimelineScope,
): Promise<Anchor | Exclude<TimelineResult, { ok: true }>> {
  const alert = await prisma().alert.findUnique({
    where: { id: alertId },
    select: {
      id: true,
      timestamp: true,
      containerId: true,
      hostName: true,
      events: { orderBy: { position: "asc" }, select: { eventId: true } },
    },
  });
  if (!alert) return { ok: false, status: 404, code: "not_found", message: `No alert with id "${alertId}".` };
  const base = { id: alert.id, timestamp: alert.timestamp, eventIds: alert.events.map((link) => link.eventId) };
  const missing = (what: string) => ({
    ok: false as const,
    status: 400 as const,
    code: "scope_unavailable",
    message: `This alert's event has no ${what}; choose another scope.`,
    field: "scope",
  });
  if (scope === "container") {
    if (!alert.containerId) return missing("container.id");
    return { ...base, scopeValue: alert.containerId, where: { containerId: alert.containerId }, session: null };
  }
  if (scope === "host") {
    if (!alert.hostName) return missing("host.name");
    return { ...base, scopeValue: alert.hostName, where: { hostName: alert.hostName }, session: null };
  }
  const first = base.eventIds[0];
  const text = first === undefined ? undefined : (await readEventDocuments([first])).get(first);
  const session = typeof text === "string" ? ecsText(parseEventDocument(text), "process.entry_leader.entity_id") : null;
  if (!session) return missing("session (process.entry_leader.entity_id)");
  return { ...base, scopeValue: session, where: alert.hostName ? { hostName: alert.hostName } : {}, session };
}

function filterWhere(filter: TimelineFilter): Prisma.EventWhereInput[] {
  const where: Prisma.EventWhereInput[] = [];
  // category holds a multi-valued event.category comma-joined (lib/ingest/event-row.ts).
  if (filter.category.length > 0) {
    where.push({
      OR: filter.category.flatMap((value) => [
        { category: value },
        { category: { startsWith: `${value},` } },
        { category: { endsWith: `,${value}` } },
        { category: { contains: `,${value},` } },
      ]),
    });
  }
  if (filter.action.length > 0) where.push({ action: { in: filter.action } });
  return where;
}

function inSession(text: string, session: string): boolean {
  // Cheap test first: most documents of the window do not even contain the id.
  return text.includes(session) && ecsText(parseEventDocument(text), "process.entry_leader.entity_id") === session;
}

function encodeCursor(timestamp: Date, id: number): string {
  return `${timestamp.getTime()}_${id}`;
}

function decodeCursor(text: string | undefined): { timestamp: Date; id: number } | null {
  const match = text ? /^(\d{1,15})_(\d{1,12})$/.exec(text) : null;
  return match ? { timestamp: new Date(Number(match[1])), id: Number(match[2]) } : null;
}

function facets(rows: { value: string | null; count: number }[]): TimelineFacet[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (!row.value) continue;
    for (const part of row.value.split(",")) counts.set(part, (counts.get(part) ?? 0) + row.count);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The window's boundaries and the full `where` of a timeline. */
function windowOf(anchor: Anchor, filter: TimelineFilter) {
  const span = filter.window * 60_000;
  const from = new Date(anchor.timestamp.getTime() - span);
  const to = new Date(anchor.timestamp.getTime() + span + 1);
  const scoped: Prisma.EventWhereInput = { AND: [{ timestamp: { gte: from, lt: to } }, anchor.where] };
  const filtered: Prisma.EventWhereInput = { AND: [scoped, ...filterWhere(filter)] };
  return { from, to, scoped, filtered };
}

export async function alertTimeline(alertId: string, query: TimelineQuery): Promise<TimelineResult> {
  const anchor = await anchorFor(alertId, query.scope);
  if ("ok" in anchor) return anchor;
  const { from, to, scoped, filtered } = windowOf(anchor, query);
  const histogram = new Histogram(from, to);
  const db = prisma();
  let total = 0;
  let histogramCapped = false;
  let categoryRows: { value: string | null; count: number }[] = [];
  let actionRows: { value: string | null; count: number }[] = [];
  const after = decodeCursor(query.cursor);
  const items: TimelineEvent[] = [];
  let nextCursor: string | null = null;

  if (anchor.session === null) {
    const [times, categories, actions] = await Promise.all([
      db.event.findMany({ where: filtered, select: { timestamp: true }, take: HISTOGRAM_MAX_EVENTS + 1 }),
      db.event.groupBy({ by: ["category"], where: scoped, _count: { _all: true } }),
      db.event.groupBy({ by: ["action"], where: scoped, _count: { _all: true } }),
    ]);
    histogramCapped = times.length > HISTOGRAM_MAX_EVENTS;
    for (const row of times.slice(0, HISTOGRAM_MAX_EVENTS)) histogram.add(row.timestamp.getTime());
    total = histogramCapped ? await db.event.count({ where: filtered }) : times.length;
    categoryRows = categories.map((row) => ({ value: row.category, count: row._count._all }));
    actionRows = actions.map((row) => ({ value: row.action, count: row._count._all }));
    const pageWhere: Prisma.EventWhereInput = after
      ? {
          AND: [
            filtered,
            { OR: [{ timestamp: { gt: after.timestamp } }, { timestamp: after.timestamp, id: { gt: after.id } }] },
          ],
        }
      : filtered;
    const scan = scanStoredEvents({
      where: pageWhere,
      extra: { category: true, action: true },
      pageSize: query.limit + 1,
    });
    for await (const row of scan) {
      if (items.length === query.limit) {
        const last = items.at(-1) as TimelineEvent;
        nextCursor = encodeCursor(new Date(last.timestamp), last.id);
        break;
      }
      items.push(toItem(row));
    }
  } else {
    // A session is in the documents only: read the window's documents once, counting and paging together.
    const categories = new Map<string | null, number>();
    const actions = new Map<string | null, number>();
    const passes = filterTest(query);
    const scan = scanStoredEvents({ where: scoped, extra: { category: true, action: true } });
    for await (const row of scan) {
      if (!inSession(row.text, anchor.session)) continue;
      categories.set(row.category, (categories.get(row.category) ?? 0) + 1);
      actions.set(row.action, (actions.get(row.action) ?? 0) + 1);
      if (!passes(row)) continue;
      total++;
      histogram.add(row.timestamp.getTime());
      const isAfter =
        !after || row.timestamp > after.timestamp || (+row.timestamp === +after.timestamp && row.id > after.id);
      if (!isAfter) continue;
      if (items.length < query.limit) items.push(toItem(row));
      else if (nextCursor === null) {
        const last = items.at(-1) as TimelineEvent;
        nextCursor = encodeCursor(new Date(last.timestamp), last.id);
      }
    }
    categoryRows = [...categories].map(([value, count]) => ({ value, count }));
    actionRows = [...actions].map(([value, count]) => ({ value, count }));
  }

  return {
    ok: true,
    timeline: {
      alert: { id: anchor.id, timestamp: anchor.timestamp.toISOString(), eventIds: anchor.eventIds },
      scope: query.scope,
      scopeValue: anchor.scopeValue,
      from: from.toISOString(),
      to: to.toISOString(),
      total,
      histogramCapped,
      bucketMs: histogram.bucketMs,
      histogram: histogram.buckets(),
      facets: { categories: facets(categoryRows), actions: facets(actionRows) },
      items,
      nextCursor,
    },
  };
}

/** The category/action filters applied to a row in memory (the session scope reads rows, not SQL). */
function filterTest(filter: TimelineFilter) {
  return (row: { category: string | null; action: string | null }) =>
    (filter.category.length === 0 ||
      (row.category?.split(",") ?? []).some((value) => filter.category.includes(value))) &&
    (filter.action.length === 0 || (row.action !== null && filter.action.includes(row.action)));
}

function toItem(row: {
  id: number;
  timestamp: Date;
  category: string | null;
  action: string | null;
  text: string;
}): TimelineEvent {
  return {
    id: row.id,
    timestamp: row.timestamp.toISOString(),
    category: row.category,
    action: row.action,
    document: parseEventDocument(row.text),
  };
}

/**
 * Every event of the timeline (all pages), for the export: the alert's scope
 * and window with the filters, in time order, a page of documents at a time.
 */
export async function timelineExportPages(
  alertId: string,
  filter: TimelineFilter,
): Promise<Exclude<TimelineResult, { ok: true }> | { ok: true; pages: AsyncGenerator<TimelineEvent[]> }> {
  const anchor = await anchorFor(alertId, filter.scope);
  if ("ok" in anchor) return anchor;
  const { scoped, filtered } = windowOf(anchor, filter);
  const passes = filterTest(filter);
  const session = anchor.session;
  async function* pages(): AsyncGenerator<TimelineEvent[]> {
    let page: TimelineEvent[] = [];
    const scan = scanStoredEvents({ where: session ? scoped : filtered, extra: { category: true, action: true } });
    for await (const row of scan) {
      if (session && !(inSession(row.text, session) && passes(row))) continue;
      page.push(toItem(row));
      if (page.length === 500) {
        yield page;
        page = [];
      }
    }
    yield page;
  }
  return { ok: true, pages: pages() };
}
