import pg from "pg";
import type { StoredTotals } from "../../events/totals";

/**
 * `keelwatch db status`'s totals on PostgreSQL (lib/db/events/totals.ts reads them from SQLite), with the disk the
 * database takes (pg_database_size, as the system panel shows it).
 */
export async function postgresStoredTotals(url: string): Promise<StoredTotals & { diskBytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(
      `SELECT to_regclass('"Event"') IS NOT NULL AS "migrated", pg_database_size(current_database()) AS "disk"`,
    );
    const diskBytes = Number(exists.rows[0]?.disk ?? 0);
    if (!exists.rows[0]?.migrated)
      return { events: 0, alerts: 0, legacyEvents: 0, blocks: 0, blockBytes: 0, rawBytes: 0, diskBytes };
    const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM "Event") AS events,
      (SELECT count(*) FROM "Alert") AS alerts,
      (SELECT count(*) FROM "Event" WHERE "blockId" IS NULL) AS legacy,
      (SELECT count(*) FROM "EventBlock") AS blocks,
      (SELECT coalesce(sum(octet_length("data")), 0) FROM "EventBlock") AS bytes,
      (SELECT coalesce(sum("rawBytes"), 0) FROM "EventBlock") AS raw`);
    const row = rows[0] ?? {};
    return {
      events: Number(row.events),
      alerts: Number(row.alerts),
      legacyEvents: Number(row.legacy),
      blocks: Number(row.blocks),
      blockBytes: Number(row.bytes),
      rawBytes: Number(row.raw),
      diskBytes,
    };
  } finally {
    await client.end();
  }
}
