import { randomUUID } from "node:crypto";
import pg from "pg";
import type { AlertDraft } from "../../alerts";
import type { SourceDelta, UploadProgress } from "../../batch-writer";
import {
  type AsyncAlertStorage,
  alertContextValues,
  type BatchCounts,
  planAlerts,
  runAlertPlanAsync,
  sourceActivityUpdate,
  type UploadProgressUpdate,
  uploadProgressUpdate,
} from "../../batch-writer-plan.mjs";
import { packBlock } from "../../events/block-codec.mjs";
import type { EventRow } from "../../events/index";
import { duplicateHashes, eventIdentity, firstCopies } from "./batch-events";
import { deepWithoutNul } from "./text";
import { inTransaction } from "./transaction";

/**
 * The batch writer on PostgreSQL: what lib/db/batch-writer-thread.mjs does on SQLite, with the same results. One
 * batch of an upload is one transaction: its events (deduplicated against the batch and the database), their block,
 * the alerts they raised (dedup, suppression, links to their events) and the upload's progress are stored together
 * or not at all. Which drafts become alerts and what the counters become is decided in lib/db/batch-writer-plan.mjs,
 * for both databases; this file runs the statements.
 *
 * No thread: PostgreSQL does the storing in its own process, so this one only sends. Events go in one INSERT … SELECT
 * FROM unnest(arrays): sixteen parameters whatever the batch's size (PostgreSQL takes at most 65,535 a statement),
 * parsed once. The writer keeps a small pool of its own beside Prisma's, as the SQLite writer keeps a connection.
 *
 * Several instances may store batches at once (issue 22):
 * - an event is stored once: ON CONFLICT on its (timestamp, contentHash) key, and another transaction inserting the
 *   same key makes this one wait for its outcome;
 * - an alert is stored once: ON CONFLICT on its dedup key;
 * - a suppression group is looked up and extended under a transaction advisory lock on its key, so two batches
 *   cannot both find no open alert and raise two. A batch takes all its groups' locks first, before it locks or
 *   writes any row, in one order (by key): taken one by one as its drafts came, two instances' batches with the
 *   same containers in another order deadlocked (4 to 10 times in 240 pushes of stress/pg-two-instances-pushes),
 *   each time losing a second to the deadlock check and storing one batch again.
 * Deadlocks and serialization failures roll the batch back whole; the caller retries it (busy-retry.ts).
 */

export interface PostgresStoredBatch {
  inserted: number;
  duplicates: number;
  /** dedup keys of the alerts that were new, and "suppressed\n<key>" for matches folded into a kept alert */
  createdAlerts: string[];
  /** content hashes of the rows that were stored already, one per such row */
  duplicateHashes: string[];
}

export interface PostgresBatch {
  uploadId: string;
  events: readonly EventRow[];
  alerts: readonly AlertDraft[];
  progress: UploadProgress | undefined;
  source: SourceDelta | undefined;
}

/** Connections of the writer's own pool: batches of different uploads may be stored at once. */
const WRITER_CONNECTIONS = 2;

const globalForWriter = globalThis as unknown as { keelwatchPgWriter?: { url: string; pool: pg.Pool } };

/** The writer's pool, shared with retention (lib/db/dialect/postgresql/retention.ts). */
export function writerPool(url: string): pg.Pool {
  const current = globalForWriter.keelwatchPgWriter;
  if (current?.url === url) return current.pool;
  void current?.pool.end();
  const pool = new pg.Pool({ connectionString: url, max: WRITER_CONNECTIONS, options: "-c timezone=UTC" });
  // An idle connection that the server drops must not crash the process; the next batch opens another.
  pool.on("error", () => {});
  globalForWriter.keelwatchPgWriter = { url, pool };
  return pool;
}

/** Closes the writer's pool (tests, shutdown). */
export async function closePostgresBatchWriter(): Promise<void> {
  const current = globalForWriter.keelwatchPgWriter;
  globalForWriter.keelwatchPgWriter = undefined;
  await current?.pool.end();
}

/**
 * Batches of one upload are stored in the order they were sent, as the SQLite writer thread stores every batch: a
 * batch may link its alert to an event of the batch sent before it, which must be committed first. Batches of
 * different uploads go at once, on the pool's connections. (A retried batch joins the end of its upload's line,
 * as it would join the thread's queue.)
 */
const uploadQueues = new Map<string, Promise<unknown>>();

export function storePostgresBatch(url: string, batch: PostgresBatch): Promise<PostgresStoredBatch> {
  const before = uploadQueues.get(batch.uploadId) ?? Promise.resolve();
  // Text columns cannot hold NUL (text.ts); the block's document bytes keep the event exactly.
  const storable = deepWithoutNul(batch);
  const stored = before.then(() => storeNow(url, storable));
  const settled = stored.catch(() => undefined);
  uploadQueues.set(batch.uploadId, settled);
  void settled.then(() => {
    if (uploadQueues.get(batch.uploadId) === settled) uploadQueues.delete(batch.uploadId);
  });
  return stored;
}

function storeNow(url: string, batch: PostgresBatch): Promise<PostgresStoredBatch> {
  return inTransaction(writerPool(url), (client) => writeBatch(client, batch));
}

async function writeBatch(client: pg.PoolClient, batch: PostgresBatch): Promise<PostgresStoredBatch> {
  const { uploadId, alerts, progress, source } = batch;
  await lockSuppressionGroups(client, alerts);
  // A source's stream: its pushes each number their lines from 1, and in the stream they follow what it holds. The
  // Upload row's lock makes two instances storing pushes of one stream take turns, so their lines cannot collide.
  let lineBase = 0;
  if (progress?.additive) {
    await client.query(`SELECT 1 FROM "Upload" WHERE "id" = $1 FOR UPDATE`, [uploadId]);
    const last = await client.query<{ line: number }>(
      `SELECT COALESCE(MAX("line"), 0) AS "line" FROM "Event" WHERE "uploadId" = $1`,
      [uploadId],
    );
    lineBase = Number(last.rows[0]?.line ?? 0);
  }
  const events = lineBase === 0 ? batch.events : batch.events.map((row) => ({ ...row, line: lineBase + row.line }));
  // The first copy of each event in the batch, and of those the ones not stored before (batch-events.ts).
  const firsts = firstCopies(events);
  const stored = await storedIdentities(client, firsts);
  const fresh = firsts.filter((row) => !stored.has(eventIdentity(row.timestamp, row.contentHash)));
  const eventIds = await insertEvents(client, uploadId, fresh);
  const inserted = eventIds.size;
  const duplicates = events.length - inserted;
  const { createdAlerts, alertsCreated } = await runAlertPlanAsync(
    planAlerts(alerts, eventIds),
    alertStorage(client, uploadId),
  );
  const counts = { inserted, duplicates, alertsCreated };
  if (progress) await recordProgress(client, uploadId, uploadProgressUpdate(progress, counts));
  if (source) await recordSourceActivity(client, source, counts);
  return { inserted, duplicates, createdAlerts, duplicateHashes: duplicateHashes(events, eventIds) };
}

async function recordProgress(client: pg.PoolClient, uploadId: string, update: UploadProgressUpdate): Promise<void> {
  const figures = [update.bytes, update.received, update.rejected, update.format, update.accepted, update.duplicate];
  if (update.additive) {
    await client.query(
      `UPDATE "Upload" SET "bytesReceived" = "bytesReceived" + $1, "eventsReceived" = "eventsReceived" + $2,
       "eventsRejected" = "eventsRejected" + $3, "format" = $4, "eventsAccepted" = "eventsAccepted" + $5,
       "eventsDuplicate" = "eventsDuplicate" + $6, "alertsCreated" = "alertsCreated" + $7 WHERE "id" = $8`,
      [...figures, update.alerts, uploadId],
    );
  } else {
    await client.query(
      `UPDATE "Upload" SET "bytesReceived" = $1, "eventsReceived" = $2, "eventsRejected" = $3, "format" = $4,
       "eventsAccepted" = "eventsAccepted" + $5, "eventsDuplicate" = "eventsDuplicate" + $6 WHERE "id" = $7`,
      [...figures, uploadId],
    );
  }
}

/**
 * A source's counters, in the transaction that stores its pushes' events (batch-writer-plan.mjs works them out).
 * The Source row is locked first: another instance's pushes of the same source wait, so the smoothed gap, the
 * formats and the latest errors are read and written by one at a time.
 */
async function recordSourceActivity(client: pg.PoolClient, source: SourceDelta, counts: BatchCounts): Promise<void> {
  const { rows } = await client.query<{
    lastSeenAt: Date | null;
    meanGapSeconds: number | null;
    formats: string;
    latestErrors: string;
  }>(`SELECT "lastSeenAt", "meanGapSeconds", "formats", "latestErrors" FROM "Source" WHERE "tokenId" = $1 FOR UPDATE`, [
    source.tokenId,
  ]);
  const current = rows[0];
  if (!current) throw new Error(`source ${source.tokenId} has no Source row; nothing was stored`);
  const update = sourceActivityUpdate(source, current, counts);
  await client.query(
    `UPDATE "Source" SET "pushes" = "pushes" + $1, "events" = "events" + $2, "rejected" = "rejected" + $3,
     "alerts" = "alerts" + $4, "firstSeenAt" = COALESCE("firstSeenAt", $5), "lastSeenAt" = $5, "meanGapSeconds" = $6,
     "formats" = $7, "latestErrors" = $8 WHERE "tokenId" = $9`,
    [
      update.pushes,
      update.events,
      update.rejected,
      update.alerts,
      update.seenAt?.toISOString() ?? null,
      update.meanGapSeconds,
      update.formats,
      update.latestErrors,
      update.tokenId,
    ],
  );
  await client.query(
    `INSERT INTO "SourceActivity" AS a ("tokenId", "minute", "pushes", "events", "rejected", "alerts")
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ("tokenId", "minute") DO UPDATE SET "pushes" = a."pushes" + excluded."pushes",
       "events" = a."events" + excluded."events", "rejected" = a."rejected" + excluded."rejected",
       "alerts" = a."alerts" + excluded."alerts"`,
    [update.tokenId, update.minute.toISOString(), update.pushes, update.events, update.rejected, update.alerts],
  );
  await client.query(`DELETE FROM "SourceActivity" WHERE "tokenId" = $1 AND "minute" < $2`, [
    update.tokenId,
    update.pruneBefore.toISOString(),
  ]);
}

/**
 * The transaction advisory locks of every suppression group the batch's drafts name, one statement each in the
 * order of their keys, so that no two batches wait for each other's (a draft skipped later, its event stored before,
 * costs only a lock it did not need). Held until the transaction ends.
 */
async function lockSuppressionGroups(client: pg.PoolClient, drafts: readonly AlertDraft[]): Promise<void> {
  const keys = new Set<string>();
  for (const draft of drafts) if (draft.suppression) keys.add(draft.suppression.key);
  for (const key of [...keys].sort()) {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`suppression\n${key}`]);
  }
}

/** Which of these events are stored already, read through the (timestamp, contentHash) unique index. */
async function storedIdentities(client: pg.PoolClient, rows: readonly EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: found } = await client.query<{ timestamp: Date; contentHash: string }>(
    `SELECT e."timestamp", e."contentHash" FROM "Event" e
     JOIN unnest($1::timestamptz[], $2::text[]) AS k("timestamp", "contentHash")
       ON e."timestamp" = k."timestamp" AND e."contentHash" = k."contentHash"`,
    [rows.map((row) => row.timestamp.toISOString()), rows.map((row) => row.contentHash)],
  );
  return new Set(found.map((row) => eventIdentity(row.timestamp, row.contentHash)));
}

/**
 * Stores the events and their block; returns the new events' ids by content hash. Each event has its block
 * position before it is inserted, so an event that another instance stored between the check above and the insert
 * (ON CONFLICT skips it) leaves its document unread in the block: the block's count keeps every position, its
 * liveCount only the events stored, as retention leaves blocks.
 */
async function insertEvents(
  client: pg.PoolClient,
  uploadId: string,
  rows: readonly EventRow[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    minTime = Math.min(minTime, row.timestamp.getTime());
    maxTime = Math.max(maxTime, row.timestamp.getTime());
  }
  const packed = packBlock(rows.map((row) => row.document));
  const block = await client.query<{ id: number }>(
    `INSERT INTO "EventBlock" ("uploadId", "codec", "count", "liveCount", "rawBytes", "checksum", "data", "minTime", "maxTime")
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8) RETURNING "id"`,
    [
      uploadId,
      packed.codec,
      rows.length,
      packed.rawBytes,
      packed.checksum,
      packed.data,
      new Date(minTime).toISOString(),
      new Date(maxTime).toISOString(),
    ],
  );
  const blockId = block.rows[0]?.id;
  const column = <T>(pick: (row: EventRow) => T) => rows.map(pick);
  // Ids are drawn in the batch's order (the inner query numbers the rows as unnest yields them; its volatile
  // nextval keeps the planner from merging it into the outer one), so event ids still follow the file. The rows go in
  // sorted by process and event identity instead: the Process trigger upserts each event's process at the end of the
  // statement in that order, and the unique index on (timestamp, contentHash) is claimed in it too, so two instances
  // storing batches that share processes take those locks in one order and never deadlock (in line order they did,
  // and PostgreSQL rolled one batch back after deadlock_timeout). An event's identity fixes its process, so the
  // order is the same in every batch that holds it.
  const result = await client.query<{ id: number; contentHash: string }>(
    `INSERT INTO "Event" ("id", "uploadId", "line", "contentHash", "timestamp", "category", "type", "action",
       "containerId", "hostName", "entityId", "parentEntityId", "processName", "processExecutable", "blockId",
       "position", "document")
     SELECT n."id", $1, n."line", n."contentHash", n."timestamp", n."category", n."type", n."action", n."containerId",
       n."hostName", n."entityId", n."parentEntityId", n."processName", n."processExecutable", $14, n."ord" - 1, ''
     FROM (
       SELECT nextval(pg_get_serial_sequence('"Event"', 'id')) AS "id", e.*
       FROM unnest($2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[], $13::text[])
            WITH ORDINALITY AS e("line", "contentHash", "timestamp", "category", "type", "action", "containerId",
                                 "hostName", "entityId", "parentEntityId", "processName", "processExecutable", "ord")
     ) AS n
     ORDER BY n."entityId" NULLS LAST, n."timestamp", n."contentHash", n."ord"
     ON CONFLICT DO NOTHING
     RETURNING "id", "contentHash"`,
    [
      uploadId,
      column((row) => row.line),
      column((row) => row.contentHash),
      column((row) => row.timestamp.toISOString()),
      column((row) => row.category),
      column((row) => row.type),
      column((row) => row.action),
      column((row) => row.containerId),
      column((row) => row.hostName),
      column((row) => row.entityId),
      column((row) => row.parentEntityId),
      column((row) => row.processName),
      column((row) => row.processExecutable),
      blockId,
    ],
  );
  for (const row of result.rows) ids.set(row.contentHash, row.id);
  if (ids.size < rows.length) {
    await client.query(
      ids.size === 0
        ? `DELETE FROM "EventBlock" WHERE "id" = $1`
        : `UPDATE "EventBlock" SET "liveCount" = $2 WHERE "id" = $1`,
      ids.size === 0 ? [blockId] : [blockId, ids.size],
    );
  }
  return ids;
}

/**
 * The statements behind each step of the batch's alert plan (batch-writer-plan.mjs decides which drafts become
 * alerts, fold into a kept one, or are skipped). A suppression group's lookups run under its lock, held since the
 * transaction began (lockSuppressionGroups): one batch at a time per group.
 */
function alertStorage(client: pg.PoolClient, uploadId: string): AsyncAlertStorage {
  const now = new Date().toISOString();
  const firstId = async (sql: string, values: unknown[]) =>
    (await client.query<{ id: string }>(sql, values)).rows[0]?.id;
  return {
    findGroupAlertAt: ({ key, at }) =>
      firstId(
        `SELECT "id" FROM "Alert" WHERE "suppressionKey" = $1 AND "timestamp" <= $2 AND "suppressionEndsAt" >= $2
         ORDER BY "timestamp" DESC LIMIT 1`,
        [key, at.toISOString()],
      ),
    findGroupAlertOfUpload: ({ key }) =>
      firstId(
        `SELECT "id" FROM "Alert" WHERE "suppressionKey" = $1 AND "suppressionEndsAt" IS NULL AND "uploadId" = $2 LIMIT 1`,
        [key, uploadId],
      ),
    foldIntoAlert: async ({ alertId }) => {
      await client.query(`UPDATE "Alert" SET "suppressedCount" = "suppressedCount" + 1 WHERE "id" = $1`, [alertId]);
    },
    insertAlert: async ({ draft }) => {
      const id = randomUUID();
      const { suppression } = draft;
      const stored = await client.query(
        `INSERT INTO "Alert" ("id", "ruleId", "ruleName", "severity", "severityRank", "riskScore", "status", "dedupKey",
           "timestamp", "createdAt", "updatedAt", "version", "containerId", "containerName", "imageName", "hostName",
           "processName", "processExecutable", "commandLine", "userName", "entityId", "entryLeaderEntityId",
           "sessionLeaderEntityId", "uploadId", "suppressionKey", "suppressionEndsAt")
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $9, 1, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
           $21, $22, $23)
         ON CONFLICT DO NOTHING RETURNING "id"`,
        [
          id,
          draft.ruleId,
          draft.ruleName,
          draft.severity,
          draft.severityRank,
          draft.riskScore,
          draft.dedupKey,
          draft.timestamp.toISOString(),
          now,
          ...alertContextValues(draft, uploadId),
          suppression ? suppression.key : null,
          suppression?.endsAt ? suppression.endsAt.toISOString() : null,
        ],
      );
      return stored.rowCount === 0 ? undefined : id;
    },
    findStoredEvent: async ({ event }) => {
      const found = await client.query<{ id: number }>(
        // FOR KEY SHARE: retention deleting this event waits for the link (and then keeps the event), or the
        // lookup waits for retention's delete and finds nothing, as on SQLite (dialect/postgresql/retention.ts).
        `SELECT "id" FROM "Event" WHERE "timestamp" = $1 AND "contentHash" = $2 FOR KEY SHARE`,
        [event.timestamp.toISOString(), event.contentHash],
      );
      return found.rows[0]?.id;
    },
    linkEvent: async ({ alertId, position, eventId }) => {
      await client.query(`INSERT INTO "AlertEvent" ("alertId", "position", "eventId") VALUES ($1, $2, $3)`, [
        alertId,
        position,
        eventId,
      ]);
    },
  };
}
