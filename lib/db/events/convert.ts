import Database from "better-sqlite3";
import { configureConnection } from "../pragmas";
import { packBlock } from "./block-codec.mjs";

/**
 * The upgrade of a database written before event blocks: each event's document
 * moves from its Event row into a block, a batch of events per transaction, so
 * the conversion can be stopped at any moment (even by kill -9) and picks up
 * where it stopped the next time. Reads serve both forms meanwhile, so the
 * server answers while it runs. A block holds the events of one upload, in id
 * order (the order they were stored), as the batch writer's blocks do.
 */

export interface ConversionProgress {
  /** events moved into blocks so far, in this run */
  converted: number;
  /** events still waiting, counted at the start of the run */
  total: number;
  blocks: number;
}

export interface ConversionOptions {
  /** events read per transaction (a block per upload among them) */
  batchSize?: number;
  onProgress?: (progress: ConversionProgress) => void;
  /** asked before each batch: false stops the run (to be resumed later) */
  shouldContinue?: () => boolean;
}

type LegacyRow = { id: number; uploadId: string; timestamp: string; document: string };

/** Events whose document is still in their row. */
export function countLegacyEvents(db: Database.Database): number {
  return (db.prepare(`SELECT count(*) AS n FROM "Event" WHERE "blockId" IS NULL`).get() as { n: number }).n;
}

/** Converts the database file's remaining legacy events; returns what this run did. */
export function convertLegacyEvents(databaseFile: string, options: ConversionOptions = {}): ConversionProgress {
  const db = new Database(databaseFile);
  try {
    configureConnection(db);
    return convertWith(db, options);
  } finally {
    db.close();
  }
}

export function convertWith(db: Database.Database, options: ConversionOptions = {}): ConversionProgress {
  const batchSize = options.batchSize ?? 2_000;
  const progress: ConversionProgress = { converted: 0, total: countLegacyEvents(db), blocks: 0 };
  if (progress.total === 0) return progress;
  const next = db.prepare(
    `SELECT "id", "uploadId", "timestamp", "document" FROM "Event" WHERE "blockId" IS NULL AND "id" > ? ORDER BY "id" LIMIT ?`,
  );
  const insertBlock = db
    .prepare(
      `INSERT INTO "EventBlock" ("uploadId", "codec", "count", "liveCount", "rawBytes", "checksum", "data", "minTime", "maxTime")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
    )
    .pluck();
  const moveEvent = db.prepare(`UPDATE "Event" SET "blockId" = ?, "position" = ?, "document" = '' WHERE "id" = ?`);
  // Read and moved in one IMMEDIATE transaction: two runs at once (a server and `keelwatch db migrate`) take
  // turns, and neither moves an event the other has moved.
  const convertBatch = db.transaction((after: number): LegacyRow[] => {
    const rows = next.all(after, batchSize) as LegacyRow[];
    const byUpload = new Map<string, LegacyRow[]>();
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
      ) as number;
      progress.blocks++;
      group.forEach((row, position) => moveEvent.run(blockId, position, row.id));
    }
    return rows;
  });
  let after = 0;
  for (;;) {
    if (options.shouldContinue && !options.shouldContinue()) break;
    const rows = convertBatch.immediate(after);
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    progress.converted += rows.length;
    options.onProgress?.({ ...progress });
  }
  return progress;
}
