import { randomUUID } from "node:crypto";
import path from "node:path";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { AlertDraft } from "./alerts";
import { retryWhenBusy } from "./busy-retry";
import { databaseFile, databaseUrl } from "./config";
import { dialect } from "./dialect";
import { closePostgresBatchWriter, storePostgresBatch } from "./dialect/postgresql/batch-writer";
import { postgresRetentionStep } from "./dialect/postgresql/retention";
import { closeHotReads } from "./dialect/sqlite/hot-reads";
import type { EventRow } from "./events";
import type { RetentionPolicy } from "./events/maintenance.mjs";
import { CONNECTION_PRAGMAS, WRITER_PRAGMAS } from "./pragmas";
import { databaseIsReadOnly } from "./read-only";
import { encodeRows, type RowChunk } from "./row-chunk.mjs";

export { alertOutcome } from "./batch-writer-plan.mjs";

/**
 * The ingest hot path's storage: batches go to a thread of their own
 * (batch-writer-thread.mjs), which holds a better-sqlite3 connection with
 * prepared statements and stores each batch in one synchronous transaction.
 * Prisma had cost about a fifth of ingest time (28,000 bound parameters per
 * statement) and most of its memory; the thread lets SQLite's share run on the
 * second core while this one prepares the next batch. Measured over HTTP on
 * one day and machine (1M events): 3,987-4,569 events/s in two runs without
 * the thread, 5,175-8,669 in five runs with it, for about 50 MiB more peak
 * RSS (355-366 -> 389-440 MiB): two heaps, and two batches alive.
 *
 * Nobody waits inside SQLite: the thread's busy timeout is zero, and a busy
 * database is retried (busy-retry.ts) after an asynchronous pause, which lets
 * the lock holder (another process, or the app's Prisma connection in an
 * interactive transaction) finish. After KEELWATCH_BUSY_TIMEOUT_MS (10 s) of
 * retries the SQLITE_BUSY error surfaces (and becomes a 503 `database_busy`).
 * While the thread commits a batch, a Prisma statement waits for the lock as
 * it would for another process's, asynchronously (transaction-gate.ts), for
 * at most one batch's commit; a Prisma transaction that read before the
 * commit is run again (transactions.ts).
 */

export interface StoredBatch {
  inserted: number;
  duplicates: number;
  /** dedup keys of the alerts that were new and of the matches folded into a kept alert: read them with alertOutcome */
  createdAlerts: Set<string>;
  /** content hashes of the events that were stored already (usually none) */
  duplicateHashes: string[];
}

/**
 * An upload's counters as they stand when a batch is sent. The batch's
 * transaction records them, and adds the events it stored (or found stored
 * already) to the upload's accepted and duplicate counts.
 */
export interface UploadProgress {
  bytes: number;
  received: number;
  rejected: number;
  format: string;
  /** A source's stream: the figures are this batch's own, added to the row's (and its alerts too). */
  additive?: boolean;
}

/**
 * What a group of a source's pushes held, recorded in the Source row and its
 * per-minute activity by the batch's own transaction (with the events and
 * alerts the batch stored).
 */
export interface SourceDelta {
  tokenId: string;
  /** when the pushes arrived (ms since the epoch) */
  at: number;
  pushes: number;
  rejected: number;
  formats: string[];
  errors: { at: string; line: number; message: string }[];
}

/**
 * What batch-writer-thread.mjs receives: one batch for the database file
 * `file`, or the order to close. Answered one reply per request.
 */
type Request =
  | { type: "write"; file: string; batch: Batch }
  | { type: "maintain"; file: string; task: UpkeepTask }
  | { type: "close" };

/** One step of the event store's upkeep (lib/db/events/maintenance.mjs), run by the thread between batches. */
export type UpkeepTask =
  | { kind: "convert"; after: number; batchSize: number }
  | { kind: "retention"; policy: RetentionPolicy; now: number };

/**
 * Messages it takes without answering: the port that a batch's rows are
 * staged on, and the order to forget a stage whose batch will not be written.
 */
type Notice = { type: "stage"; key: string; port: MessagePort } | { type: "discard"; key: string };

interface Batch {
  uploadId: string;
  /** Stored first, in the order they were staged; the thread refuses the batch unless it holds them all. */
  staged: { key: string; chunks: number; rows: number } | undefined;
  /** Rows sent with the batch itself (row-chunk.mjs: documents as one transferred buffer). */
  events: RowChunk | undefined;
  alerts: readonly AlertDraft[];
  progress: UploadProgress | undefined;
  source: SourceDelta | undefined;
}

/** What it answers: errors arrive as their name, message and SQLite code (threads pass no Error objects). */
type Reply = { id: number; result: unknown } | { id: number; error: { name: string; message: string; code?: string } };

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/**
 * The thread's young generation (V8's default is 48 MB, two 16 MB semi-spaces
 * of which every page gets touched). The thread holds little besides the batch
 * it is storing, so a small one costs it nothing measurable and the server ~15 MB
 * of peak RSS less (bench/RESULTS.md, notes of 2026-11-24).
 */
const WRITER_YOUNG_GENERATION_MB = 12;

/** One thread per process, with the requests it has not answered yet. */
class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  failure: Error | null = null;

  constructor() {
    // Started by path (see batch-writer-thread.mjs). `next build` still bundles the file it names as a worker
    // chunk of its own: the turbopackIgnore hint does not stop it, and the bundled copy works the same.
    const file = path.join(process.cwd(), "lib", "db", "batch-writer-thread.mjs");
    this.worker = new Worker(/*turbopackIgnore: true*/ file, {
      workerData: { pragmas: [...CONNECTION_PRAGMAS, ...WRITER_PRAGMAS] },
      resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB },
    });
    // An idle thread must not keep a process (the CLI, a test run) alive; a busy one must.
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the batch writer thread stopped (exit code ${code})`)));
  }

  request(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Posts a message that gets no reply. After a failure it is dropped: the batch it belonged to then fails. */
  notify(notice: Notice, transfer: MessagePort[] = []): void {
    if (!this.failure) this.worker.postMessage(notice, transfer);
  }

  async close(): Promise<void> {
    if (!this.failure) await this.request({ type: "close" });
    await this.worker.terminate();
  }
}

const globalForWriter = globalThis as unknown as { keelwatchBatchWriter?: WriterThread };

function thread(): WriterThread {
  // A database served read-only (lib/db/read-only.ts) takes no writes: refuse as SQLite would, so the caller
  // answers 503 database_read_only, instead of the thread failing to open the WAL.
  if (databaseIsReadOnly()) {
    throw Object.assign(new Error("the database is read-only: events cannot be stored"), { code: "SQLITE_READONLY" });
  }
  const current = globalForWriter.keelwatchBatchWriter;
  if (current && !current.failure) return current;
  globalForWriter.keelwatchBatchWriter = new WriterThread();
  return globalForWriter.keelwatchBatchWriter;
}

/** Closes the connection and stops the thread (tests, before their database file is deleted). */
export async function closeBatchWriter(): Promise<void> {
  await closePostgresBatchWriter();
  // The request path's read connection goes with it: callers are about to delete or replace the file.
  closeHotReads();
  const current = globalForWriter.keelwatchBatchWriter;
  globalForWriter.keelwatchBatchWriter = undefined;
  await current?.close();
}

/**
 * Rows of one batch, sent to the writer thread a chunk at a time while the
 * rest of the batch is still being read and checked, then stored by the
 * batch's `storeBatch` call in its one transaction.
 *
 * Why: rows held here until their batch was full outlived two young-generation
 * collections, so every row (its 2.3 KB document above all) was copied into
 * the old generation and collected from there. Each chunk is posted on a
 * channel of its own whose far end the thread holds but does not read until
 * the batch is written, so the rows wait serialised, outside both heaps, and
 * die young on both sides. (v8.serialize would not do: its serializer keeps
 * what it wrote alive until the serializer itself is collected, which
 * promoted the rows all the same.) Ingesting 200,000 events twice in-process,
 * in chunks of 50: 1.33 GB promoted with the rows held here for their batch,
 * 1.25 GB with v8.serialize, 0.15-0.18 GB staged on a channel.
 */
export class StagedRows {
  readonly key = randomUUID();
  private channel: { writer: WriterThread; port: MessagePort } | undefined;
  chunks = 0;
  rows = 0;
  /** Rows kept here instead (`inline`), sent with the batch itself. */
  readonly held: EventRow[] = [];

  /**
   * `inline`: keep the rows here and send them with the batch. For a group of
   * sensor pushes (a few rows, stored at once) the channel costs more than it
   * saves: a channel and its transfer per group were the largest share of a
   * one-event push (scratch profile, notes of 2026-12-06).
   */
  constructor(private readonly inline = false) {}

  add(rows: readonly EventRow[]): void {
    if (rows.length === 0) return;
    // PostgreSQL has no writer thread to stage rows on (lib/db/dialect/postgresql/batch-writer).
    if (this.inline || dialect().name === "postgresql") {
      for (const row of rows) this.held.push(row);
      this.rows += rows.length;
      return;
    }
    if (!this.channel) {
      const writer = thread();
      const { port1, port2 } = new MessageChannel();
      writer.notify({ type: "stage", key: this.key, port: port2 }, [port2]);
      this.channel = { writer, port: port1 };
    }
    const { chunk, transfer } = encodeRows(rows);
    this.channel.port.postMessage(chunk, transfer);
    this.chunks++;
    this.rows += rows.length;
  }

  /** Closes this end once the batch is stored (the thread closes its own). */
  release(): void {
    this.channel?.port.close();
    this.channel = undefined;
  }

  /** Frees what the thread holds for a batch that will not be stored. */
  discard(): void {
    this.channel?.writer.notify({ type: "discard", key: this.key });
    this.release();
    this.held.length = 0;
    this.chunks = 0;
    this.rows = 0;
  }
}

/**
 * The thread's answer to one batch, or its error as an Error with the SQLite `code` storageProblem reads.
 * `rows` go with the batch, encoded anew at each try (a transferred buffer is gone after the first).
 */
async function write(batch: Batch, rows: readonly EventRow[]): Promise<StoredBatch> {
  const encoded = rows.length > 0 ? encodeRows(rows) : undefined;
  const request = {
    type: "write",
    file: databaseFile(databaseUrl()),
    batch: { ...batch, events: encoded?.chunk },
  } as const;
  const reply = await thread().request(request, encoded?.transfer);
  if ("error" in reply) {
    throw Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code });
  }
  const result = reply.result as {
    inserted: number;
    duplicates: number;
    createdAlerts: string[];
    duplicateHashes: string[];
  };
  return {
    inserted: result.inserted,
    duplicates: result.duplicates,
    createdAlerts: new Set(result.createdAlerts),
    duplicateHashes: result.duplicateHashes,
  };
}

/**
 * One batch of an upload in one transaction: its events, the alerts they
 * raised and the upload's progress are stored together or not at all, so a
 * crash mid-upload leaves whole batches behind, never events without their
 * alerts, and the progress an analyst sees counts exactly what is stored.
 * Identical events (in this batch or stored before) are stored once. Calls
 * that do not wait for each other are stored in call order, unless a busy
 * database makes one of them retry. The `staged` rows are stored first, then
 * `events`; a staged batch that was stored is forgotten by the thread, and one
 * that failed must be discarded (or stored again, as a busy retry does).
 */
export async function storeBatch(
  uploadId: string,
  events: readonly EventRow[],
  alerts: readonly AlertDraft[],
  options: { progress?: UploadProgress; patienceMs?: number; staged?: StagedRows; source?: SourceDelta } = {},
): Promise<StoredBatch> {
  const { staged } = options;
  if (dialect().name === "postgresql") return storeOnPostgres(uploadId, events, alerts, options);
  const batch: Batch = {
    uploadId,
    staged: staged && staged.chunks > 0 ? { key: staged.key, chunks: staged.chunks, rows: staged.rows } : undefined,
    events: undefined,
    alerts,
    progress: options.progress,
    source: options.source,
  };
  const rows = staged && staged.held.length > 0 ? [...staged.held, ...events] : events;
  const stored = await retryWhenBusy(() => write(batch, rows), options.patienceMs);
  staged?.release();
  return stored;
}

/** storeBatch on PostgreSQL: the same batch, stored by lib/db/dialect/postgresql/batch-writer in one transaction. */
async function storeOnPostgres(
  uploadId: string,
  events: readonly EventRow[],
  alerts: readonly AlertDraft[],
  options: { progress?: UploadProgress; patienceMs?: number; staged?: StagedRows; source?: SourceDelta },
): Promise<StoredBatch> {
  const { staged } = options;
  const batch = {
    uploadId,
    events: staged && staged.held.length > 0 ? [...staged.held, ...events] : events,
    alerts,
    progress: options.progress,
    source: options.source,
  };
  const stored = await retryWhenBusy(() => storePostgresBatch(databaseUrl(), batch), options.patienceMs);
  staged?.release();
  return { ...stored, createdAlerts: new Set(stored.createdAlerts) };
}

/**
 * Runs one upkeep step on the writer's thread, after the batches sent before
 * it: a step is one short transaction, so uploads wait for at most one step.
 * A busy database (another process's lock) is retried as a batch would be.
 */
export async function runUpkeepStep<Result>(task: UpkeepTask): Promise<Result> {
  if (dialect().name === "postgresql") {
    // A PostgreSQL database is written in blocks from its first event: nothing to convert. Retention runs on the
    // PostgreSQL batch writer's pool, in a short transaction per block, guarded by row locks (no thread to wait for).
    if (task.kind === "convert") return { converted: 0, lastId: task.after } as Result;
    return (await retryWhenBusy(() => postgresRetentionStep(databaseUrl(), task.policy, task.now))) as Result;
  }
  return retryWhenBusy(async () => {
    const reply = await thread().request({ type: "maintain", file: databaseFile(databaseUrl()), task });
    if ("error" in reply) {
      throw Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code });
    }
    return reply.result as Result;
  });
}
