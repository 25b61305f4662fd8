/**
 * The event store's upkeep, one short write transaction per step: moving the
 * documents of events stored before blocks into blocks, and retention. Plain
 * JavaScript because the batch writer's thread runs these steps (between
 * batches, on the one connection that writes events, so upkeep never waits
 * for an upload's lock nor holds one for long), and `keelwatch db migrate`
 * runs the conversion on a connection of its own (convert.ts). Typed by
 * maintenance.d.mts.
 */
import { packBlock, unpackBlock } from "./block-codec.mjs";

/**
 * Moves up to `batchSize` legacy events with ids above `after` into blocks, a
 * block per upload among them, in id order. Read and written in one IMMEDIATE
 * transaction, so two runs at once take turns and never move an event twice.
 * @param {import("better-sqlite3").Database} db
 * @param {number} after
 * @param {number} batchSize
 * @returns {{ converted: number, lastId: number, blocks: number }}
 */
export function convertLegacyBatch(db, after, batchSize) {
  const run = db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT "id", "uploadId", "timestamp", "document" FROM "Event" WHERE "blockId" IS NULL AND "id" > ? ORDER BY "id" LIMIT ?`,
      )
      .all(after, batchSize);
    const insertBlock = db
      .prepare(
        `INSERT INTO "EventBlock" ("uploadId", "codec", "count", "liveCount", "rawBytes", "checksum", "data", "minTime", "maxTime")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
      )
      .pluck();
    const moveEvent = db.prepare(`UPDATE "Event" SET "blockId" = ?, "position" = ?, "document" = '' WHERE "id" = ?`);
    const byUpload = new Map();
    for (const row of rows) {
      const group = byUpload.get(row.uploadId) ?? [];
      group.push(row);
      byUpload.set(row.uploadId, group);
    }
    for (const [uploadId, group] of byUpload) {
      const packed = packBlock(group.map((row) => row.document));
      const times = group.map((row) => row.timestamp).sort();
      const blockId = insertBlock.get(
        uploadId,
        packed.codec,
        group.length,
        group.length,
        packed.rawBytes,
        packed.checksum,
        packed.data,
        times[0],
        times.at(-1),
      );
      for (const [position, row] of group.entries()) moveEvent.run(blockId, position, row.id);
    }
    return { converted: rows.length, lastId: rows.at(-1)?.id ?? after, blocks: byUpload.size };
  });
  return run.immediate();
}

/** @param {import("better-sqlite3").Database} db */
export function countLegacyEvents(db) {
  return db.prepare(`SELECT count(*) AS n FROM "Event" WHERE "blockId" IS NULL`).get().n;
}

/**
 * Retention's SQL and block re-packing, shared by both databases: SQLite runs
 * them below on the writer thread, PostgreSQL in lib/db/dialect/postgresql/
 * retention.ts on its writer pool (numbering the `?` parameters). Only how a
 * step is run (transactions, locks) and how the database's size is measured
 * differ.
 */
export const RETENTION_SQL = {
  /**
   * The oldest block retention may shrink: stored before the cutoff (ingest
   * time, as Elasticsearch ages an index from its creation, so an event is
   * never dropped the moment it is acknowledged), holding an event that no
   * alert needs. Blocks whose remaining events are all evidence are passed
   * over, and so are the blocks of an upload still being received: its sender
   * has not had its answer yet.
   */
  nextExpiredBlock: `SELECT b."id", b."uploadId", b."createdAt", b."minTime", b."maxTime", b."liveCount" FROM "EventBlock" b
       WHERE b."createdAt" < ?
       AND NOT EXISTS (SELECT 1 FROM "Upload" u WHERE u."id" = b."uploadId" AND u."status" = 'receiving')
       AND (
         NOT EXISTS (SELECT 1 FROM "Event" e WHERE e."blockId" = b."id")
         OR EXISTS (SELECT 1 FROM "Event" e WHERE e."blockId" = b."id"
                    AND NOT EXISTS (SELECT 1 FROM "AlertEvent" a WHERE a."eventId" = e."id")))
       ORDER BY b."id" LIMIT 1`,
  block: `SELECT "id", "uploadId", "codec", "data", "checksum", "count" FROM "EventBlock" WHERE "id" = ?`,
  deleteUnneededEvents: `DELETE FROM "Event" WHERE "blockId" = ? AND NOT EXISTS (SELECT 1 FROM "AlertEvent" a WHERE a."eventId" = "Event"."id")`,
  keptPositions: `SELECT "position" FROM "Event" WHERE "blockId" = ?`,
  deleteBlock: `DELETE FROM "EventBlock" WHERE "id" = ?`,
  repackBlock: `UPDATE "EventBlock" SET "data" = ?, "checksum" = ?, "rawBytes" = ?, "liveCount" = ? WHERE "id" = ?`,
};

/**
 * The ingest time before which blocks expire under `policy`, as stored
 * DateTime text (both databases compare it with "createdAt"), or null when
 * the policy asks for nothing: `maxDays` expires blocks stored more than that
 * many days before `now`; an exceeded `maxBytes` expires every block, oldest
 * first, one step at a time.
 * @param {{ maxDays?: number | null, maxBytes?: number | null }} policy
 * @param {number} now epoch milliseconds
 * @param {boolean} overSizeLimit whether the database holds more than policy.maxBytes
 * @returns {string | null}
 */
export function retentionCutoff(policy, now, overSizeLimit) {
  const cutoffs = [];
  if (policy.maxDays) cutoffs.push(now - policy.maxDays * 86_400_000);
  if (policy.maxBytes && overSizeLimit) cutoffs.push(now + 1);
  if (cutoffs.length === 0) return null;
  return new Date(Math.max(...cutoffs)).toISOString().replace("Z", "+00:00");
}

/**
 * A block packed again with only the documents at `kept` positions (removed
 * ones stay empty, so the kept events keep their positions), in its codec.
 * @param {{ id: number, codec: string, data: Uint8Array, checksum: number, count: number }} block
 * @param {number[]} kept
 */
export function repackKeeping(block, kept) {
  const unpacked = unpackBlock(block);
  const keep = new Set(kept);
  const documents = Array.from({ length: block.count }, (_, position) =>
    keep.has(position) ? unpacked.document(position) : null,
  );
  return packBlock(documents, block.codec);
}

/**
 * The oldest block retention may shrink (RETENTION_SQL.nextExpiredBlock).
 * @param {import("better-sqlite3").Database} db
 * @param {string} cutoff SQLite DateTime text
 * @returns {{ id: number, uploadId: string, createdAt: string, minTime: string, maxTime: string, liveCount: number } | undefined}
 */
export function nextExpiredBlock(db, cutoff) {
  return db.prepare(RETENTION_SQL.nextExpiredBlock).get(cutoff);
}

/**
 * Removes the events of block `blockId` that no alert links to, in one
 * IMMEDIATE transaction. A block left empty is deleted; one that still holds
 * evidence is packed again with only those documents, at their positions.
 * @param {import("better-sqlite3").Database} db
 * @param {number} blockId
 * @returns {{ blockId: number, deletedEvents: number, keptEvents: number, deletedBlock: boolean, freedBytes: number }}
 */
export function expireBlock(db, blockId) {
  const run = db.transaction(() => {
    const block = db.prepare(RETENTION_SQL.block).get(blockId);
    if (!block) return { blockId, deletedEvents: 0, keptEvents: 0, deletedBlock: false, freedBytes: 0 };
    const deletedEvents = db.prepare(RETENTION_SQL.deleteUnneededEvents).run(blockId).changes;
    const kept = db.prepare(RETENTION_SQL.keptPositions).pluck().all(blockId);
    if (kept.length === 0) {
      db.prepare(RETENTION_SQL.deleteBlock).run(blockId);
      return { blockId, deletedEvents, keptEvents: 0, deletedBlock: true, freedBytes: block.data.length };
    }
    const packed = repackKeeping(block, kept);
    db.prepare(RETENTION_SQL.repackBlock).run(packed.data, packed.checksum, packed.rawBytes, kept.length, blockId);
    return {
      blockId,
      deletedEvents,
      keptEvents: kept.length,
      deletedBlock: false,
      freedBytes: Math.max(0, block.data.length - packed.data.length),
    };
  });
  return run.immediate();
}

/**
 * Bytes the database's pages hold (its free pages excluded): what a size limit
 * compares with, since SQLite reuses free pages before it grows the file.
 * @param {import("better-sqlite3").Database} db
 */
export function usedBytes(db) {
  const pageSize = db.pragma("page_size", { simple: true });
  const pages = db.pragma("page_count", { simple: true });
  const free = db.pragma("freelist_count", { simple: true });
  return (pages - free) * pageSize;
}

/**
 * One step of retention on SQLite: the next block to shrink under the policy
 * (retentionCutoff), shrunk. Returns what was done, or null when the policy
 * asks for nothing more.
 * @param {import("better-sqlite3").Database} db
 * @param {{ maxDays?: number | null, maxBytes?: number | null }} policy
 * @param {number} now epoch milliseconds
 */
export function retentionStep(db, policy, now) {
  const cutoff = retentionCutoff(policy, now, Boolean(policy.maxBytes) && usedBytes(db) > (policy.maxBytes ?? 0));
  if (cutoff === null) return null;
  const block = nextExpiredBlock(db, cutoff);
  if (!block) return null;
  return expireBlock(db, block.id);
}
