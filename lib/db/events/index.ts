/**
 * The event store: the only way events are read. Each stored batch's documents
 * sit in one compressed block (EventBlock, block-codec.mjs); each event keeps a
 * slim row (Event) with its identity, the fields queries filter on, and its
 * block and position. Reads go through an EventReader, which unpacks a block
 * once per request.
 */
import type { Prisma } from "../../generated/prisma/client";
import { prisma } from "../client";
import { chunk } from "../sql";
import { EVENT_LOCATION_SELECT, type EventLocation, EventReader, type UnreadableEventError } from "./reader";

export {
  EVENT_LOCATION_SELECT,
  type EventLocation,
  EventReader,
  parseEventDocument,
  UnreadableEventError,
} from "./reader";

/** One event as the batch writer stores it: the columns the UI filters on, plus the whole ECS document. */
export interface EventRow {
  line: number;
  contentHash: string;
  timestamp: Date;
  category: string | null;
  type: string | null;
  action: string | null;
  containerId: string | null;
  hostName: string | null;
  entityId: string | null;
  parentEntityId: string | null;
  processName: string | null;
  processExecutable: string | null;
  /** the event's JSON; the writer packs it into the batch's block */
  document: string;
}

/** Ids per `IN (…)` list: Prisma's SQLite driver takes at most 999 bound parameters a statement. */
export const IDS_PER_QUERY = 500;

/** A stored event with its document's JSON text. */
export interface StoredEvent {
  id: number;
  timestamp: Date;
  contentHash: string;
  document: string;
}

/** The newest `limit` stored events in [from, to), oldest first: the history sequence rules replay. */
export async function findEventsBetween(from: Date, to: Date, limit: number): Promise<StoredEvent[]> {
  const newestFirst = await prisma().event.findMany({
    where: { timestamp: { gte: from, lt: to } },
    select: { ...EVENT_LOCATION_SELECT, contentHash: true, timestamp: true },
    orderBy: [{ timestamp: "desc" }, { id: "desc" }],
    take: limit,
  });
  const reader = new EventReader();
  const texts = await reader.documents(newestFirst);
  const events: StoredEvent[] = [];
  for (const row of newestFirst.reverse()) {
    const text = texts.get(row.id);
    // A damaged block loses its own events' history only; the reason is in the server log.
    if (typeof text !== "string") {
      if (text) console.error(`[keelwatch] sequence history: ${text.message}`);
      continue;
    }
    events.push({ id: row.id, timestamp: row.timestamp, contentHash: row.contentHash, document: text });
  }
  return events;
}

export type StoredEventScope = { from: Date; to: Date } | { uploadId: string };

/** Options of scanStoredEvents: which events, and which slim columns come along with each document. */
export interface ScanOptions<Extra extends Prisma.EventSelect> {
  where: Prisma.EventWhereInput;
  extra?: Extra;
  pageSize?: number;
  /** called for an event whose document cannot be read (damaged block); the scan goes on without it */
  onUnreadable?: (error: UnreadableEventError) => void;
}

type ScannedRow<Extra extends Prisma.EventSelect> = Prisma.EventGetPayload<{
  select: Extra & typeof EVENT_LOCATION_SELECT & { timestamp: true };
}> & { text: string };

/**
 * Stored events matching `where`, in time order, read a page at a time so memory
 * holds one page and a few unpacked blocks, each with its document text and the
 * `extra` columns asked for.
 */
export async function* scanStoredEvents<Extra extends Prisma.EventSelect = Record<never, never>>(
  options: ScanOptions<Extra>,
): AsyncGenerator<ScannedRow<Extra>> {
  const pageSize = options.pageSize ?? 2_000;
  const reader = new EventReader();
  const select = { ...(options.extra ?? {}), ...EVENT_LOCATION_SELECT, timestamp: true } as const;
  let after: { timestamp: Date; id: number } | null = null;
  for (;;) {
    const where: Prisma.EventWhereInput = after
      ? {
          AND: [
            options.where,
            { OR: [{ timestamp: { gt: after.timestamp } }, { timestamp: after.timestamp, id: { gt: after.id } }] },
          ],
        }
      : options.where;
    const page = (await prisma().event.findMany({
      where,
      select,
      orderBy: [{ timestamp: "asc" }, { id: "asc" }],
      take: pageSize,
    })) as unknown as (EventLocation & { timestamp: Date })[];
    const texts = await reader.documents(page);
    for (const row of page) {
      const text = texts.get(row.id);
      if (typeof text === "string") yield { ...row, text } as unknown as ScannedRow<Extra>;
      else if (text) (options.onUnreadable ?? logUnreadable)(text);
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { timestamp: last.timestamp, id: last.id };
  }
}

function logUnreadable(error: UnreadableEventError): void {
  console.error(`[keelwatch] ${error.message}`);
}

/**
 * Stored events in time order, read in pages so memory holds one page: for
 * previews that run a query over history without writing anything.
 */
export async function* iterateStoredEvents(
  scope: StoredEventScope,
  pageSize = 2_000,
): AsyncGenerator<{ id: number; document: string }> {
  const where = "uploadId" in scope ? { uploadId: scope.uploadId } : { timestamp: { gte: scope.from, lt: scope.to } };
  for await (const row of scanStoredEvents({ where, pageSize })) yield { id: row.id, document: row.text };
}

/** Stored events' document texts by id (or why one cannot be read); ids not stored are absent. */
export async function readEventDocuments(
  ids: readonly number[],
  reader: EventReader = new EventReader(),
): Promise<Map<number, string | UnreadableEventError>> {
  const locations: EventLocation[] = [];
  // Prisma refuses a statement with more bound parameters than its SQLite driver allows (999).
  for (const part of chunk(ids, IDS_PER_QUERY)) {
    locations.push(
      ...(await prisma().event.findMany({
        where: { id: { in: part } },
        select: EVENT_LOCATION_SELECT,
        orderBy: { id: "asc" },
      })),
    );
  }
  return reader.documents(locations);
}
