import type { EventRow } from "../../events/index";

/**
 * Which of a batch's rows the PostgreSQL writer inserts, and which it reports as duplicates. PostgreSQL inserts the
 * batch in one statement, so it must leave out a second copy of an event itself; the SQLite writer inserts row by row,
 * and its INSERT … ON CONFLICT DO NOTHING sees the batch's own earlier rows, so it has no twin of these.
 */

/** An event's identity, as the (timestamp, contentHash) unique index keys it. */
export function eventIdentity(timestamp: Date, contentHash: string): string {
  return `${timestamp.toISOString()}\n${contentHash}`;
}

/** The first copy of each event in the batch, in the batch's order. */
export function firstCopies(rows: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  const firsts: EventRow[] = [];
  for (const row of rows) {
    const key = eventIdentity(row.timestamp, row.contentHash);
    if (seen.has(key)) continue;
    seen.add(key);
    firsts.push(row);
  }
  return firsts;
}

/**
 * The content hash of every row but the one copy of each event this batch stored (`eventIds`: the new events' ids by
 * content hash), in the batch's order, as the SQLite writer lists them.
 */
export function duplicateHashes(rows: readonly EventRow[], eventIds: ReadonlyMap<string, number>): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const row of rows) {
    const key = eventIdentity(row.timestamp, row.contentHash);
    const first = !seen.has(key);
    seen.add(key);
    if (!first || !eventIds.has(row.contentHash)) duplicates.push(row.contentHash);
  }
  return duplicates;
}
