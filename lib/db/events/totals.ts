import type Database from "better-sqlite3";

/** What a database holds, in the figures `keelwatch db status` prints and outside checks count with. */
export interface StoredTotals {
  events: number;
  alerts: number;
  /** events whose document is still in their row (a database written before blocks, not yet converted) */
  legacyEvents: number;
  blocks: number;
  /** bytes of the blocks as stored (compressed) and unpacked */
  blockBytes: number;
  rawBytes: number;
}

/** The totals, through any connection (read-only ones too); a table that does not exist yet counts zero. */
export function storedTotals(db: Database.Database): StoredTotals {
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name),
  );
  const one = (table: string, sql: string): Record<string, number | null> =>
    tables.has(table) ? (db.prepare(sql).get() as Record<string, number | null>) : {};
  const events = one("Event", `SELECT count(*) AS n FROM "Event"`);
  const alerts = one("Alert", `SELECT count(*) AS n FROM "Alert"`);
  const columns = tables.has("Event")
    ? new Set((db.prepare(`PRAGMA table_info("Event")`).all() as { name: string }[]).map((c) => c.name))
    : new Set<string>();
  const legacy = columns.has("blockId")
    ? one("Event", `SELECT count(*) AS n FROM "Event" WHERE "blockId" IS NULL`)
    : { n: events.n ?? 0 };
  const blocks = one(
    "EventBlock",
    `SELECT count(*) AS n, sum(length("data")) AS bytes, sum("rawBytes") AS raw FROM "EventBlock"`,
  );
  return {
    events: events.n ?? 0,
    alerts: alerts.n ?? 0,
    legacyEvents: legacy.n ?? 0,
    blocks: blocks.n ?? 0,
    blockBytes: blocks.bytes ?? 0,
    rawBytes: blocks.raw ?? 0,
  };
}
