import type pg from "pg";
import {
  type ExpiredBlock,
  RETENTION_SQL,
  type RetentionPolicy,
  repackKeeping,
  retentionCutoff,
} from "../../events/maintenance.mjs";
import { writerPool } from "./batch-writer";
import { USED_BYTES_SQL, type UsedBytesRow, usedBytesFrom } from "./storage";
import { inTransaction } from "./transaction";

/**
 * One step of retention on PostgreSQL: what maintenance.mjs's retentionStep does on SQLite's writer thread, with the
 * same SQL and re-packing, on the batch writer's pool. There is no writer thread to take turns with, so the step
 * guards itself with row locks, in one short transaction per block:
 * - the block's row is locked (FOR UPDATE): two instances running retention at once take turns, and the second
 *   finds the block shrunk or gone;
 * - the block's upload is checked again under that lock: one still being received is left alone;
 * - the events it deletes are locked first (FOR UPDATE), so a batch linking an alert to one of them (a sequence
 *   across uploads) either linked it before, and the delete, a new statement, sees the link and keeps the event, or
 *   looks it up after and finds it gone (its lookup takes FOR KEY SHARE; batch-writer.ts), as on SQLite.
 */
export async function postgresRetentionStep(
  url: string,
  policy: RetentionPolicy,
  now: number,
): Promise<ExpiredBlock | null> {
  const pool = writerPool(url);
  const overSizeLimit = Boolean(policy.maxBytes) && (await postgresUsedBytes(pool)) > (policy.maxBytes ?? 0);
  const cutoff = retentionCutoff(policy, now, overSizeLimit);
  if (cutoff === null) return null;
  const candidate = await pool.query<{ id: number }>(numbered(RETENTION_SQL.nextExpiredBlock), [cutoff]);
  const blockId = candidate.rows[0]?.id;
  if (blockId === undefined) return null;
  return inTransaction(pool, (client) => expireBlock(client, blockId));
}

/** The bytes a size limit compares with (storage.ts says what is counted, and why not the relations' sizes). */
export async function postgresUsedBytes(db: Pick<pg.Pool, "query">): Promise<number> {
  const { rows } = await db.query<UsedBytesRow>(USED_BYTES_SQL);
  const row = rows[0];
  return row ? usedBytesFrom(row) : 0;
}

async function expireBlock(client: pg.PoolClient, blockId: number): Promise<ExpiredBlock> {
  const nothing = { blockId, deletedEvents: 0, keptEvents: 0, deletedBlock: false, freedBytes: 0 };
  const found = await client.query<{
    id: number;
    uploadId: string;
    codec: string;
    data: Buffer;
    checksum: number;
    count: number;
  }>(`${numbered(RETENTION_SQL.block)} FOR UPDATE`, [blockId]);
  const block = found.rows[0];
  if (!block) return nothing;
  const receiving = await client.query(`SELECT 1 FROM "Upload" WHERE "id" = $1 AND "status" = 'receiving'`, [
    block.uploadId,
  ]);
  if (receiving.rowCount) return nothing;
  await client.query(`SELECT "id" FROM "Event" WHERE "blockId" = $1 ORDER BY "id" FOR UPDATE`, [blockId]);
  const deletedEvents = (await client.query(numbered(RETENTION_SQL.deleteUnneededEvents), [blockId])).rowCount ?? 0;
  const kept = (await client.query<{ position: number }>(numbered(RETENTION_SQL.keptPositions), [blockId])).rows.map(
    (row) => row.position,
  );
  if (kept.length === 0) {
    await client.query(numbered(RETENTION_SQL.deleteBlock), [blockId]);
    return { blockId, deletedEvents, keptEvents: 0, deletedBlock: true, freedBytes: block.data.length };
  }
  if (deletedEvents === 0) return { ...nothing, keptEvents: kept.length };
  const packed = repackKeeping(block, kept);
  await client.query(numbered(RETENTION_SQL.repackBlock), [
    packed.data,
    packed.checksum,
    packed.rawBytes,
    kept.length,
    blockId,
  ]);
  return {
    blockId,
    deletedEvents,
    keptEvents: kept.length,
    deletedBlock: false,
    freedBytes: Math.max(0, block.data.length - packed.data.length),
  };
}

/** The shared SQL's `?` parameters as PostgreSQL's $1, $2, … (the statements hold no other question marks). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
