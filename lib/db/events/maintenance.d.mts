import type Database from "better-sqlite3";

export declare function convertLegacyBatch(
  db: Database.Database,
  after: number,
  batchSize: number,
): { converted: number; lastId: number; blocks: number };
export declare function countLegacyEvents(db: Database.Database): number;
export interface ExpiredBlockCandidate {
  id: number;
  uploadId: string;
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
export declare const RETENTION_SQL: {
  readonly nextExpiredBlock: string;
  readonly block: string;
  readonly deleteUnneededEvents: string;
  readonly keptPositions: string;
  readonly deleteBlock: string;
  readonly repackBlock: string;
};
export declare function retentionCutoff(policy: RetentionPolicy, now: number, overSizeLimit: boolean): string | null;
export declare function repackKeeping(
  block: { id: number; codec: string; data: Uint8Array; checksum: number; count: number },
  kept: readonly number[],
): import("./block-codec.mjs").PackedBlock;
export declare function expireBlock(db: Database.Database, blockId: number): ExpiredBlock;
export declare function usedBytes(db: Database.Database): number;
export interface RetentionPolicy {
  maxDays?: number | null;
  maxBytes?: number | null;
}
export declare function retentionStep(db: Database.Database, policy: RetentionPolicy, now: number): ExpiredBlock | null;
