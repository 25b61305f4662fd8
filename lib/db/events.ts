import type { Prisma } from "../generated/prisma/client";
import { prisma } from "./client";
import { chunk, placeholders, rowsPerStatement } from "./sql";

/** One event as stored: the columns the UI filters on, plus the whole ECS document. */
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
  document: string;
}

export interface StoredEventRef {
  id: number;
  /** true when an identical event was already stored by an earlier upload */
  duplicate: boolean;
}

const COLUMNS = [
  "uploadId",
  "line",
  "contentHash",
  "timestamp",
  "category",
  "type",
  "action",
  "containerId",
  "hostName",
  "entityId",
  "parentEntityId",
  "processName",
  "processExecutable",
  "document",
] as const;

/**
 * Stores a batch of events inside the caller's transaction. An event whose
 * content hash is already stored is not stored again: re-uploading a file is
 * harmless. Returns, for every content hash in the batch, the stored id,
 * and how many rows were new.
 */
export async function insertEvents(
  tx: Prisma.TransactionClient,
  uploadId: string,
  rows: readonly EventRow[],
): Promise<{ refs: Map<string, StoredEventRef>; inserted: number }> {
  const refs = new Map<string, StoredEventRef>();
  let insertedCount = 0;
  const quoted = COLUMNS.map((column) => `"${column}"`).join(", ");
  for (const part of chunk(rows, rowsPerStatement(COLUMNS.length))) {
    const values = part.flatMap((row) => [
      uploadId,
      row.line,
      row.contentHash,
      row.timestamp,
      row.category,
      row.type,
      row.action,
      row.containerId,
      row.hostName,
      row.entityId,
      row.parentEntityId,
      row.processName,
      row.processExecutable,
      row.document,
    ]);
    const inserted = await tx.$queryRawUnsafe<{ id: number | bigint; contentHash: string }[]>(
      `INSERT INTO "Event" (${quoted}) VALUES ${placeholders(part.length, COLUMNS.length)}
       ON CONFLICT DO NOTHING RETURNING "id", "contentHash"`,
      ...values,
    );
    insertedCount += inserted.length;
    for (const row of inserted) refs.set(row.contentHash, { id: Number(row.id), duplicate: false });
  }
  const missing = rows.filter((row) => !refs.has(row.contentHash)).map((row) => row.contentHash);
  for (const part of chunk(missing, rowsPerStatement(1))) {
    const existing = await tx.event.findMany({
      where: { contentHash: { in: part } },
      select: { id: true, contentHash: true },
    });
    for (const row of existing) refs.set(row.contentHash, { id: row.id, duplicate: true });
  }
  return { refs, inserted: insertedCount };
}

/** The newest `limit` stored events in [from, to), oldest first: the history sequence rules replay. */
export async function findEventsBetween(from: Date, to: Date, limit: number) {
  const newestFirst = await prisma().event.findMany({
    where: { timestamp: { gte: from, lt: to } },
    select: { contentHash: true, timestamp: true, document: true },
    orderBy: [{ timestamp: "desc" }, { id: "desc" }],
    take: limit,
  });
  return newestFirst.reverse();
}

export type StoredEventScope = { from: Date; to: Date } | { uploadId: string };

/**
 * Stored events in time order, read in pages so memory holds one page: for
 * previews that run a query over history without writing anything.
 */
export async function* iterateStoredEvents(
  scope: StoredEventScope,
  pageSize = 2_000,
): AsyncGenerator<{ id: number; document: string }> {
  const where = "uploadId" in scope ? { uploadId: scope.uploadId } : { timestamp: { gte: scope.from, lt: scope.to } };
  let after: { timestamp: Date; id: number } | null = null;
  for (;;) {
    const page: { id: number; timestamp: Date; document: string }[] = await prisma().event.findMany({
      where: after
        ? {
            AND: [
              where,
              {
                OR: [{ timestamp: { gt: after.timestamp } }, { timestamp: after.timestamp, id: { gt: after.id } }],
              },
            ],
          }
        : where,
      select: { id: true, timestamp: true, document: true },
      orderBy: [{ timestamp: "asc" }, { id: "asc" }],
      take: pageSize,
    });
    for (const row of page) yield { id: row.id, document: row.document };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { timestamp: last.timestamp, id: last.id };
  }
}
