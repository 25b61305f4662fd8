import { prisma } from "./client";

/** One event as stored (lib/db/batch-writer stores it): the columns the UI filters on, plus the whole ECS document. */
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
