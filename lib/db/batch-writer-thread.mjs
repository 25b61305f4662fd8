/**
 * The batch writer's thread: it stores one batch of an upload per message, in
 * one IMMEDIATE transaction, through a better-sqlite3 connection of its own.
 *
 * Why a thread: storing a batch (running the statements and committing) was
 * about 40% of ingest time, and the ingest thread sat idle while SQLite
 * worked. Here SQLite writes batch N while the ingest thread reads, detects
 * and prepares batch N+1, so an upload keeps both cores busy.
 *
 * Why plain JavaScript: tests and scripts start the thread from this file,
 * in a Node with no TypeScript loader. (The production build finds the path
 * in batch-writer.ts and bundles this file as a worker chunk of its own.) The
 * messages are typed in batch-writer.ts, the only code that talks to this
 * thread.
 *
 * A message is handled synchronously from start to commit, so batches are
 * stored strictly in the order they were sent, and the thread never waits on
 * a lock inside SQLite (busy timeout 0): a busy database answers SQLITE_BUSY
 * at once and batch-writer.ts retries after an asynchronous pause.
 *
 * Which drafts become alerts and what the upload's and source's counters
 * become is decided in batch-writer-plan.mjs, which the PostgreSQL writer
 * follows too; this file runs SQLite's statements for it.
 */
import { randomUUID } from "node:crypto";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import {
  alertContextValues,
  planAlerts,
  runAlertPlan,
  sourceActivityUpdate,
  uploadProgressUpdate,
} from "./batch-writer-plan.mjs";
import { packBlock } from "./events/block-codec.mjs";
import { convertLegacyBatch, retentionStep } from "./events/maintenance.mjs";
import { decodeRows } from "./row-chunk.mjs";

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
  "blockId",
  "position",
  "document",
];

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
];

/**
 * A DateTime as Prisma's better-sqlite3 adapter stores it (its default
 * `iso8601` format: ISO-8601 with "+00:00" for UTC), so Prisma reads these
 * rows back as it reads its own. Text in this form sorts in time order, which
 * the timestamp indexes rely on.
 * @param {Date} date
 */
function sqliteDateTime(date) {
  return date.toISOString().replace("Z", "+00:00");
}

/** @param {string} table @param {string[]} columns @param {string} returning */
function insertSql(table, columns, returning) {
  const names = columns.map((column) => `"${column}"`).join(", ");
  const marks = columns.map(() => "?").join(", ");
  return `INSERT INTO "${table}" (${names}) VALUES (${marks}) ON CONFLICT DO NOTHING RETURNING "${returning}"`;
}

/** @param {string} file */
function openWriter(file) {
  const db = new Database(file);
  // The settings of every connection, then the writer's own (WRITER_PRAGMAS in pragmas.ts says why each).
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  const statements = {
    insertEvent: db.prepare(insertSql("Event", EVENT_COLUMNS, "id")).pluck(),
    findEvent: db.prepare(`SELECT "id" FROM "Event" WHERE "timestamp" = ? AND "contentHash" = ?`).pluck(),
    lastLine: db.prepare(`SELECT COALESCE(MAX("line"), 0) FROM "Event" WHERE "uploadId" = ?`).pluck(),
    insertAlert: db.prepare(insertSql("Alert", ALERT_COLUMNS, "dedupKey")).pluck(),
    openBlock: db
      .prepare(
        `INSERT INTO "EventBlock" ("uploadId", "codec", "count", "liveCount", "rawBytes", "checksum", "data", "minTime", "maxTime", "createdAt")
         VALUES (?, '', 0, 0, 0, 0, x'', ?, ?, ?) RETURNING "id"`,
      )
      .pluck(),
    sealBlock: db.prepare(
      `UPDATE "EventBlock" SET "codec" = ?, "count" = ?, "liveCount" = ?, "rawBytes" = ?, "checksum" = ?, "data" = ?,
       "minTime" = ?, "maxTime" = ? WHERE "id" = ?`,
    ),
    dropBlock: db.prepare(`DELETE FROM "EventBlock" WHERE "id" = ?`),
    linkEvent: db.prepare(`INSERT INTO "AlertEvent" ("alertId", "position", "eventId") VALUES (?, ?, ?)`),
    // Accepted and duplicate counts are added, not set: the batch knows only what it stored itself.
    recordProgress: db.prepare(
      `UPDATE "Upload" SET "bytesReceived" = ?, "eventsReceived" = ?, "eventsRejected" = ?, "format" = ?,
       "eventsAccepted" = "eventsAccepted" + ?, "eventsDuplicate" = "eventsDuplicate" + ? WHERE "id" = ?`,
    ),
    // A source's stream: every push adds to the one row (no batch knows the stream's totals).
    addProgress: db.prepare(
      `UPDATE "Upload" SET "bytesReceived" = "bytesReceived" + ?, "eventsReceived" = "eventsReceived" + ?,
       "eventsRejected" = "eventsRejected" + ?, "format" = ?, "eventsAccepted" = "eventsAccepted" + ?,
       "eventsDuplicate" = "eventsDuplicate" + ?, "alertsCreated" = "alertsCreated" + ? WHERE "id" = ?`,
    ),
    ...sourceStatements(db),
  };
  const transaction = db.transaction((batch) => writeBatch(statements, batch));
  // IMMEDIATE takes the write lock at BEGIN, so a busy database fails before any work is done.
  return { file, db, write: (batch) => transaction.immediate(batch) };
}

/**
 * Rows staged ahead of their batch, by stage key: the port the rows arrive on,
 * a chunk per message, read only when the batch is written (until then the
 * chunks wait serialised in the port's queue, outside this thread's heap).
 * `spent` marks a stage whose chunks a failed write has read: they are gone,
 * so a second try must fail instead of storing part of the batch.
 */
const stages = new Map();

/** Ends a stage: its port is closed and it is forgotten. */
function endStage(key) {
  stages.get(key)?.port.close();
  stages.delete(key);
}

/** Each staged chunk of rows a batch names, read from its port in order, or an error that says what is missing. */
function* stagedChunks(staged) {
  if (!staged) return;
  const stage = stages.get(staged.key);
  if (!stage) {
    throw new Error(
      "the batch writer holds none of the rows staged for this batch (its thread restarted, or the batch was stored or discarded already); nothing was stored",
    );
  }
  if (stage.spent) {
    throw new Error("the rows staged for this batch were read by a write that failed; nothing was stored");
  }
  stage.spent = true;
  for (let chunk = 0; chunk < staged.chunks; chunk++) {
    const received = receiveMessageOnPort(stage.port);
    if (!received) {
      throw new Error(
        `the batch writer received ${chunk} of the ${staged.chunks} chunks of rows staged for this batch; nothing was stored`,
      );
    }
    yield decodeRows(received.message);
  }
}

function writeBatch(statements, { uploadId, staged, events, alerts, progress, source }) {
  const eventIds = new Map();
  /** Content hashes of the rows found stored already (a sensor sending a push again): few, usually none. */
  const duplicateHashes = [];
  // A stream's pushes each number their lines from 1: in the stream they follow what it holds already.
  const lineBase = progress?.additive ? statements.lastLine.get(uploadId) : 0;
  const block = new BlockBuilder(statements, uploadId);
  let inserted = 0;
  let stagedRows = 0;
  const insert = (row) => {
    const id = statements.insertEvent.get(
      uploadId,
      lineBase + row.line,
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
      block.id(row.timestamp),
      block.nextPosition(),
      "",
    );
    if (id !== undefined) {
      inserted++;
      eventIds.set(row.contentHash, id);
      block.add(row);
    } else duplicateHashes.push(row.contentHash);
  };
  // Read one chunk at a time, so a chunk's rows die young in this thread too.
  for (const rows of stagedChunks(staged)) {
    stagedRows += rows.length;
    for (const row of rows) insert(row);
  }
  if (staged && stagedRows !== staged.rows) {
    throw new Error(`the staged chunks held ${stagedRows} rows, not ${staged.rows}; nothing was stored`);
  }
  const inline = events ? decodeRows(events) : [];
  for (const row of inline) insert(row);
  block.seal();
  const duplicates = stagedRows + inline.length - inserted;
  const { createdAlerts, alertsCreated } = runAlertPlan(
    planAlerts(alerts, eventIds),
    alertStorage(statements, uploadId),
  );
  const counts = { inserted, duplicates, alertsCreated };
  if (progress) recordProgress(statements, uploadId, uploadProgressUpdate(progress, counts));
  if (source) recordSourceActivity(statements, source, counts);
  return { inserted, duplicates, createdAlerts, duplicateHashes };
}

function recordProgress(statements, uploadId, update) {
  const figures = [update.bytes, update.received, update.rejected, update.format, update.accepted, update.duplicate];
  if (update.additive) statements.addProgress.run(...figures, update.alerts, uploadId);
  else statements.recordProgress.run(...figures, uploadId);
}

function sourceStatements(db) {
  return {
    readSource: db.prepare(
      `SELECT "lastSeenAt", "meanGapSeconds", "formats", "latestErrors" FROM "Source" WHERE "tokenId" = ?`,
    ),
    updateSource: db.prepare(
      `UPDATE "Source" SET "pushes" = "pushes" + ?, "events" = "events" + ?, "rejected" = "rejected" + ?,
       "alerts" = "alerts" + ?, "firstSeenAt" = COALESCE("firstSeenAt", ?), "lastSeenAt" = ?, "meanGapSeconds" = ?,
       "formats" = ?, "latestErrors" = ? WHERE "tokenId" = ?`,
    ),
    addActivity: db.prepare(
      `INSERT INTO "SourceActivity" ("tokenId", "minute", "pushes", "events", "rejected", "alerts")
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT ("tokenId", "minute") DO UPDATE SET "pushes" = "pushes" + excluded."pushes",
       "events" = "events" + excluded."events", "rejected" = "rejected" + excluded."rejected",
       "alerts" = "alerts" + excluded."alerts"`,
    ),
    pruneActivity: db.prepare(`DELETE FROM "SourceActivity" WHERE "tokenId" = ? AND "minute" < ?`),
  };
}

/**
 * A source's counters, in the transaction that stores its pushes' events, so
 * the Sources page counts exactly what is stored (batch-writer-plan.mjs works
 * them out).
 */
function recordSourceActivity(statements, source, counts) {
  const current = statements.readSource.get(source.tokenId);
  if (!current) throw new Error(`source ${source.tokenId} has no Source row; nothing was stored`);
  const update = sourceActivityUpdate(
    source,
    { ...current, lastSeenAt: current.lastSeenAt === null ? null : new Date(current.lastSeenAt) },
    counts,
  );
  const seen = update.seenAt === null ? null : sqliteDateTime(update.seenAt);
  statements.updateSource.run(
    update.pushes,
    update.events,
    update.rejected,
    update.alerts,
    seen,
    seen,
    update.meanGapSeconds,
    update.formats,
    update.latestErrors,
    update.tokenId,
  );
  statements.addActivity.run(
    update.tokenId,
    sqliteDateTime(update.minute),
    update.pushes,
    update.events,
    update.rejected,
    update.alerts,
  );
  statements.pruneActivity.run(update.tokenId, sqliteDateTime(update.pruneBefore));
}

/**
 * The block of one batch: opened (as an empty row, for its id) when the first
 * event is offered, filled with the documents of the events actually stored
 * (a duplicate takes no position), and packed and written when the batch ends,
 * in the same transaction: a batch cut short leaves no block behind.
 */
class BlockBuilder {
  constructor(statements, uploadId) {
    this.statements = statements;
    this.uploadId = uploadId;
    this.blockId = undefined;
    this.documents = [];
    this.minTime = Infinity;
    this.maxTime = -Infinity;
  }

  /** The block's id, opening it on first use. */
  id(timestamp) {
    if (this.blockId === undefined) {
      const time = sqliteDateTime(timestamp);
      this.blockId = this.statements.openBlock.get(this.uploadId, time, time, sqliteDateTime(new Date()));
    }
    return this.blockId;
  }

  nextPosition() {
    return this.documents.length;
  }

  add(row) {
    this.documents.push(row.document);
    const time = row.timestamp.getTime();
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
  }

  seal() {
    if (this.blockId === undefined) return;
    if (this.documents.length === 0) {
      this.statements.dropBlock.run(this.blockId);
      return;
    }
    const packed = packBlock(this.documents);
    this.statements.sealBlock.run(
      packed.codec,
      this.documents.length,
      this.documents.length,
      packed.rawBytes,
      packed.checksum,
      packed.data,
      sqliteDateTime(new Date(this.minTime)),
      sqliteDateTime(new Date(this.maxTime)),
      this.blockId,
    );
  }
}

/** Statements of alert suppression, prepared once per database, on the first batch that suppresses. */
const suppressionStatements = new WeakMap();

function suppressionOf(statements) {
  const db = statements.insertAlert.database;
  let prepared = suppressionStatements.get(db);
  if (!prepared) {
    prepared = {
      openGroup: db
        .prepare(
          `SELECT "id" FROM "Alert" WHERE "suppressionKey" = ? AND "timestamp" <= ? AND "suppressionEndsAt" >= ?
           ORDER BY "timestamp" DESC LIMIT 1`,
        )
        .pluck(),
      uploadGroup: db
        .prepare(
          `SELECT "id" FROM "Alert" WHERE "suppressionKey" = ? AND "suppressionEndsAt" IS NULL AND "uploadId" = ? LIMIT 1`,
        )
        .pluck(),
      fold: db.prepare(`UPDATE "Alert" SET "suppressedCount" = "suppressedCount" + 1 WHERE "id" = ?`),
      mark: db.prepare(`UPDATE "Alert" SET "suppressionKey" = ?, "suppressionEndsAt" = ? WHERE "id" = ?`),
    };
    suppressionStatements.set(db, prepared);
  }
  return prepared;
}

/**
 * The statements behind each step of the batch's alert plan (batch-writer-plan.mjs decides which drafts become
 * alerts, fold into a kept one, or are skipped).
 */
function alertStorage(statements, uploadId) {
  const now = sqliteDateTime(new Date());
  return {
    findGroupAlertAt: ({ key, at }) => {
      const time = sqliteDateTime(at);
      return suppressionOf(statements).openGroup.get(key, time, time);
    },
    findGroupAlertOfUpload: ({ key }) => suppressionOf(statements).uploadGroup.get(key, uploadId),
    foldIntoAlert: ({ alertId }) => {
      suppressionOf(statements).fold.run(alertId);
    },
    insertAlert: ({ draft }) => {
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
        ...alertContextValues(draft, uploadId),
      );
      if (stored === undefined) return undefined;
      if (draft.suppression) {
        const endsAt = draft.suppression.endsAt ? sqliteDateTime(draft.suppression.endsAt) : null;
        suppressionOf(statements).mark.run(draft.suppression.key, endsAt, id);
      }
      return id;
    },
    findStoredEvent: ({ event }) => statements.findEvent.get(sqliteDateTime(event.timestamp), event.contentHash),
    linkEvent: ({ alertId, position, eventId }) => {
      statements.linkEvent.run(alertId, position, eventId);
    },
  };
}

let writer = null;

function maintain(db, task) {
  if (task.kind === "convert") return convertLegacyBatch(db, task.after, task.batchSize);
  if (task.kind === "retention") return retentionStep(db, task.policy, task.now);
  throw new Error(`unknown upkeep task "${task.kind}"`);
}

function handle(message) {
  if (message.type === "close") {
    for (const key of [...stages.keys()]) endStage(key);
    writer?.db.close();
    writer = null;
    return null;
  }
  if (writer?.file !== message.file || !writer.db.open) {
    writer?.db.close();
    writer = openWriter(message.file);
  }
  // The event store's upkeep runs here, between batches, on the connection that writes events (maintenance.mjs).
  if (message.type === "maintain") return maintain(writer.db, message.task);
  const result = writer.write(message.batch);
  if (message.batch.staged) endStage(message.batch.staged.key);
  return result;
}

parentPort.on("message", (message) => {
  // A stage's port, or the order to forget a stage: neither is answered.
  if (message.type === "stage") {
    stages.set(message.key, { port: message.port, spent: false });
    return;
  }
  if (message.type === "discard") {
    endStage(message.key);
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, result: handle(message) });
  } catch (error) {
    // Errors lose their own fields on the way between threads; the SQLite code is what callers act on.
    const { name, message: text, code } = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({
      id: message.id,
      error: { name, message: text, code: typeof code === "string" ? code : undefined },
    });
  }
});
