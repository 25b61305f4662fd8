import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type { AlertDraft } from "./alerts";
import { retryWhenBusy } from "./busy-retry";
import { databaseFile, databaseUrl } from "./config";
import type { EventRow } from "./events";
import { configureConnection } from "./pragmas";
import { sqliteDateTime } from "./sql";

/**
 * The ingest hot path's own SQLite connection. Storing a batch through Prisma
 * cost about a fifth of ingest time (building and mapping 28,000 bound
 * parameters per statement) and most of its memory; here each row is one run
 * of a prepared statement, and the whole batch is one synchronous transaction.
 *
 * Being synchronous is what makes a second connection in the same process
 * safe: no other JavaScript runs while the batch holds the write lock, so the
 * app's Prisma connection never waits on it for longer than one batch. The
 * reverse wait is the dangerous one (Prisma's interactive transactions hold
 * the lock across awaits), so this connection never waits inside SQLite: its
 * busy timeout is zero and a busy database is retried after an asynchronous
 * pause (busy-retry.ts), which lets the lock holder finish. After
 * BUSY_TIMEOUT_MS of retries the SQLITE_BUSY error surfaces (and becomes a 503
 * `database_busy`).
 *
 * A batch stored on a thread of its own, while this one prepared the next,
 * was tried and measured (session 5): 200,000 events in-process went from
 * 4.7k to 8.8k events/s, but HTTP ingest of 1M and 4M events stayed at 5.7k
 * (both cores were already busy: the server, its garbage collector and the
 * client), and the server's peak RSS rose from about 360 to 425-440 MiB.
 */

export interface StoredBatch {
  inserted: number;
  duplicates: number;
  /** dedup keys of the alerts that were new */
  createdAlerts: Set<string>;
}

/** An upload's counters as they stand once a batch is stored. */
export interface UploadProgress {
  bytes: number;
  received: number;
  accepted: number;
  rejected: number;
  duplicate: number;
  format: string;
}

/** Computes the upload's progress from what the batch stored; runs inside the batch's transaction. */
export type ProgressAfter = (stored: { inserted: number; duplicates: number }) => UploadProgress;

const EVENT_COLUMNS = [
  "uploadId",
  "line",
  "contentHash",
  "timestamp",
  "category",
  "type",
  "action",
  "containerId",
  "hostName",
  "entityId",
  "parentEntityId",
  "processName",
  "processExecutable",
  "document",
] as const;

const ALERT_COLUMNS = [
  "id",
  "ruleId",
  "ruleName",
  "severity",
  "severityRank",
  "riskScore",
  "status",
  "dedupKey",
  "timestamp",
  "createdAt",
  "updatedAt",
  "version",
  "containerId",
  "containerName",
  "imageName",
  "hostName",
  "processName",
  "processExecutable",
  "commandLine",
  "userName",
  "entityId",
  "entryLeaderEntityId",
  "sessionLeaderEntityId",
  "uploadId",
] as const;

function insertSql(table: string, columns: readonly string[], returning: string): string {
  const names = columns.map((column) => `"${column}"`).join(", ");
  const marks = columns.map(() => "?").join(", ");
  return `INSERT INTO "${table}" (${names}) VALUES (${marks}) ON CONFLICT DO NOTHING RETURNING "${returning}"`;
}

interface Statements {
  insertEvent: Database.Statement;
  findEvent: Database.Statement;
  insertAlert: Database.Statement;
  linkEvent: Database.Statement;
  recordProgress: Database.Statement;
}

interface Writer {
  file: string;
  db: Database.Database;
  write: (batch: Batch) => StoredBatch;
}

interface Batch {
  uploadId: string;
  events: readonly EventRow[];
  alerts: readonly AlertDraft[];
  progress: ProgressAfter | undefined;
}

const globalForWriter = globalThis as unknown as { keelwatchBatchWriter?: Writer };

function openWriter(file: string): Writer {
  const db = new Database(file);
  configureConnection(db);
  db.pragma("busy_timeout = 0");
  // A checkpoint (copying the WAL into the database, with an fsync) after every 16,384 pages
  // rather than SQLite's 1,000: a batch of 2,000 events writes more than 1,000 pages, so every
  // commit paid for one, and pages that several batches change are copied once (500,000 events:
  // 56 -> 45 µs an event in SQLite). The WAL grows to about 64 MB between checkpoints.
  db.pragma("wal_autocheckpoint = 16384");
  const statements: Statements = {
    insertEvent: db.prepare(insertSql("Event", EVENT_COLUMNS, "id")).pluck(),
    findEvent: db.prepare(`SELECT "id" FROM "Event" WHERE "timestamp" = ? AND "contentHash" = ?`).pluck(),
    insertAlert: db.prepare(insertSql("Alert", ALERT_COLUMNS, "dedupKey")).pluck(),
    linkEvent: db.prepare(`INSERT INTO "AlertEvent" ("alertId", "position", "eventId") VALUES (?, ?, ?)`),
    recordProgress: db.prepare(
      `UPDATE "Upload" SET "bytesReceived" = ?, "eventsReceived" = ?, "eventsAccepted" = ?, "eventsRejected" = ?,
       "eventsDuplicate" = ?, "format" = ? WHERE "id" = ?`,
    ),
  };
  const transaction = db.transaction((batch: Batch) => writeBatch(statements, batch));
  // IMMEDIATE takes the write lock at BEGIN, so a busy database fails before any work is done.
  return { file, db, write: (batch) => transaction.immediate(batch) };
}

function writer(): Writer {
  const file = databaseFile(databaseUrl());
  const current = globalForWriter.keelwatchBatchWriter;
  if (current?.file === file && current.db.open) return current;
  current?.db.close();
  globalForWriter.keelwatchBatchWriter = openWriter(file);
  return globalForWriter.keelwatchBatchWriter;
}

/** Closes the connection (tests, before their database file is deleted). */
export function closeBatchWriter(): void {
  globalForWriter.keelwatchBatchWriter?.db.close();
  globalForWriter.keelwatchBatchWriter = undefined;
}

function writeBatch(statements: Statements, { uploadId, events, alerts, progress }: Batch): StoredBatch {
  const eventIds = new Map<string, number>();
  let inserted = 0;
  for (const row of events) {
    const id = statements.insertEvent.get(
      uploadId,
      row.line,
      row.contentHash,
      sqliteDateTime(row.timestamp),
      row.category,
      row.type,
      row.action,
      row.containerId,
      row.hostName,
      row.entityId,
      row.parentEntityId,
      row.processName,
      row.processExecutable,
      row.document,
    ) as number | undefined;
    if (id !== undefined) {
      inserted++;
      eventIds.set(row.contentHash, id);
    }
  }
  const duplicates = events.length - inserted;
  const createdAlerts = insertAlerts(statements, uploadId, alerts, eventIds);
  if (progress) {
    const now = progress({ inserted, duplicates });
    statements.recordProgress.run(
      now.bytes,
      now.received,
      now.accepted,
      now.rejected,
      now.duplicate,
      now.format,
      uploadId,
    );
  }
  return { inserted, duplicates, createdAlerts };
}

/**
 * A draft whose dedup key is stored already (the same rule on the same events)
 * is skipped. Triggering events are linked by content hash: this batch's were
 * just stored, a sequence's earlier events were stored by an earlier batch.
 */
function insertAlerts(
  statements: Statements,
  uploadId: string,
  drafts: readonly AlertDraft[],
  eventIds: Map<string, number>,
): Set<string> {
  const created = new Set<string>();
  const now = sqliteDateTime(new Date());
  for (const draft of drafts) {
    if (created.has(draft.dedupKey)) continue;
    const id = randomUUID();
    const stored = statements.insertAlert.get(
      id,
      draft.ruleId,
      draft.ruleName,
      draft.severity,
      draft.severityRank,
      draft.riskScore,
      "open",
      draft.dedupKey,
      sqliteDateTime(draft.timestamp),
      now,
      now,
      1,
      draft.containerId,
      draft.containerName,
      draft.imageName,
      draft.hostName,
      draft.processName,
      draft.processExecutable,
      draft.commandLine,
      draft.userName,
      draft.entityId,
      draft.entryLeaderEntityId,
      draft.sessionLeaderEntityId,
      uploadId,
    );
    if (stored === undefined) continue;
    created.add(draft.dedupKey);
    draft.events.forEach((event, position) => {
      const eventId =
        eventIds.get(event.contentHash) ??
        (statements.findEvent.get(sqliteDateTime(event.timestamp), event.contentHash) as number | undefined);
      if (eventId !== undefined) statements.linkEvent.run(id, position, eventId);
    });
  }
  return created;
}

/**
 * One batch of an upload in one transaction: its events, the alerts they
 * raised and the upload's progress are stored together or not at all, so a
 * crash mid-upload leaves whole batches behind, never events without their
 * alerts, and the progress an analyst sees counts exactly what is stored.
 * Identical events (in this batch or stored before) are stored once.
 */
export async function storeBatch(
  uploadId: string,
  events: readonly EventRow[],
  alerts: readonly AlertDraft[],
  options: { progress?: ProgressAfter; patienceMs?: number } = {},
): Promise<StoredBatch> {
  return retryWhenBusy(
    async () => writer().write({ uploadId, events, alerts, progress: options.progress }),
    options.patienceMs,
  );
}
