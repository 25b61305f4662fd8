import Database from "better-sqlite3";
import { configureConnection } from "../pragmas";
import { convertLegacyBatch, countLegacyEvents } from "./maintenance.mjs";

/**
 * The upgrade of a database written before event blocks: each event's document
 * moves from its Event row into a block, a batch of events per transaction, so
 * the conversion can be stopped at any moment (even by kill -9) and picks up
 * where it stopped the next time. Reads serve both forms meanwhile, so the
 * server answers while it runs (it converts in the background too).
 */

export { countLegacyEvents };

export interface ConversionProgress {
  /** events moved into blocks so far, in this run */
  converted: number;
  /** events waiting when the run started */
  total: number;
  blocks: number;
}

export interface ConversionOptions {
  /** events per transaction (a block per upload among them) */
  batchSize?: number;
  onProgress?: (progress: ConversionProgress) => void;
  /** asked before each batch: false stops the run (to be resumed later) */
  shouldContinue?: () => boolean;
}

/** Converts the database file's remaining legacy events on a connection of its own; returns what this run did. */
export function convertLegacyEvents(databaseFile: string, options: ConversionOptions = {}): ConversionProgress {
  const db = new Database(databaseFile);
  try {
    configureConnection(db);
    const batchSize = options.batchSize ?? 2_000;
    const progress: ConversionProgress = { converted: 0, total: countLegacyEvents(db), blocks: 0 };
    let after = 0;
    while (progress.converted < progress.total && (options.shouldContinue?.() ?? true)) {
      const batch = convertLegacyBatch(db, after, batchSize);
      if (batch.converted === 0) break;
      after = batch.lastId;
      progress.converted += batch.converted;
      progress.blocks += batch.blocks;
      options.onProgress?.({ ...progress });
    }
    return progress;
  } finally {
    db.close();
  }
}
