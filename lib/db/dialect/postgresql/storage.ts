/**
 * How much a PostgreSQL database holds, for the system panel and the retention size limit. SQLite's counterparts
 * read the file and its free pages (lib/db/dialect/sqlite/storage.ts).
 *
 * The disk used is pg_database_size. A size limit cannot compare with it, nor with the relations' sizes: PostgreSQL
 * does not give back what a DELETE frees (VACUUM makes it reusable inside the relation; only VACUUM FULL shrinks a
 * file), so after retention deleted a block the sizes would not move, and retention would go on to delete every
 * block that holds no evidence. What retention can lower is measured instead:
 * - blocks: the stored bytes of the remaining blocks' data (pg_column_size: compressed, as TOAST holds them), plus
 *   the block table's own heap and indexes (a row per 2,000 events);
 * - events: the remaining events (the blocks' liveCount) at the average stored size of the newest 1,000 Event rows
 *   (tuple and line pointer), scaled by the Event table's size with its indexes against its heap;
 * - every other table (alerts, processes, uploads, ...): its total relation size.
 */
export const USED_BYTES_SQL = `WITH app_tables AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  )
  SELECT
    (SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM app_tables
      WHERE relname NOT IN ('Event', 'EventBlock'))::float8 AS "otherBytes",
    (SELECT coalesce(sum(pg_column_size("data")), 0) FROM "EventBlock")::float8 AS "blockDataBytes",
    (pg_relation_size('"EventBlock"') + pg_indexes_size('"EventBlock"'))::float8 AS "blockTableBytes",
    (SELECT coalesce(sum("liveCount"), 0) FROM "EventBlock")::float8 AS "events",
    (SELECT coalesce(avg(pg_column_size(e.*)), 0) FROM (SELECT * FROM "Event" ORDER BY "id" DESC LIMIT 1000) e)::float8
      AS "eventRowBytes",
    pg_total_relation_size('"Event"')::float8 AS "eventTotalBytes",
    pg_relation_size('"Event"')::float8 AS "eventHeapBytes"`;

export interface UsedBytesRow {
  otherBytes: number;
  blockDataBytes: number;
  blockTableBytes: number;
  events: number;
  eventRowBytes: number;
  eventTotalBytes: number;
  eventHeapBytes: number;
}

/** A heap tuple's line pointer (4 bytes) and header alignment beyond what pg_column_size counts. */
const TUPLE_OVERHEAD = 28;

export function usedBytesFrom(row: UsedBytesRow): number {
  const indexFactor = row.eventHeapBytes > 0 ? row.eventTotalBytes / row.eventHeapBytes : 1;
  const events = row.events > 0 ? row.events * (row.eventRowBytes + TUPLE_OVERHEAD) * indexFactor : 0;
  return Math.round(row.otherBytes + row.blockDataBytes + row.blockTableBytes + events);
}

export const DISK_BYTES_SQL = `SELECT pg_database_size(current_database())::float8 AS "bytes"`;
