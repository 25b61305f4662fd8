import type Database from "better-sqlite3";

export declare function convertLegacyBatch(
  db: Database.Database,
  after: number,
  batchSize: number,
): { converted: number; lastId: number; blocks: number };
export declare function countLegacyEvents(db: Database.Database): number;
export interface ExpiredBlockCandidate {
  id: number;
  createdAt: string;
  minTime: string;
  maxTime: string;
  liveCount: number;
}
export declare function nextExpiredBlock(db: Database.Database, cutoff: string): ExpiredBlockCandidate | undefined;
export interface ExpiredBlock {
  blockId: number;
  deletedEvents: number;
  keptEvents: number;
  deletedBlock: boolean;
  freedBytes: number;
}
export declare function expireBlock(db: Database.Database, blockId: number): ExpiredBlock;
export declare function usedBytes(db: Database.Database): number;
export interface RetentionPolicy {
  maxDays?: number | null;
  maxBytes?: number | null;
}
export declare function retentionStep(db: Database.Database, policy: RetentionPolicy, now: number): ExpiredBlock | null;
