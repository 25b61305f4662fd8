import type Database from "better-sqlite3";

/**
 * Connection settings every Keelwatch connection uses. WAL lets analysts read
 * while an upload writes. How long to wait for another connection's lock
 * before giving up (a 503 `database_busy`): through SQLite's busy timeout on
 * start-up's connection, and with asynchronous pauses on the server's two
 * connections, whose busy timeout is 0 because better-sqlite3 would wait
 * synchronously (transaction-gate.ts, batch-writer.ts).
 */
export const BUSY_TIMEOUT_MS = 10_000;

/** The server's wait for a lock: KEELWATCH_BUSY_TIMEOUT_MS, or BUSY_TIMEOUT_MS. */
export function busyTimeoutMs(env: Partial<Record<string, string>> = process.env): number {
  const raw = env.KEELWATCH_BUSY_TIMEOUT_MS?.trim();
  if (!raw) return BUSY_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 600_000) {
    throw new Error(`KEELWATCH_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 to 600000, got "${raw}"`);
  }
  return value;
}

/** The settings as PRAGMA statements, for connections opened where this module cannot be imported (the batch writer's thread). */
export const CONNECTION_PRAGMAS: readonly string[] = [
  "journal_mode = WAL",
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  "foreign_keys = ON",
  "synchronous = NORMAL",
];

/**
 * What the batch writer's thread sets after CONNECTION_PRAGMAS, on the one
 * connection that stores uploads (batch-writer-thread.mjs).
 *
 * - busy_timeout 0: the thread answers SQLITE_BUSY at once and batch-writer.ts waits asynchronously.
 * - wal_autocheckpoint 16384: a checkpoint (copying the WAL into the database, with an fsync) after every
 *   16,384 pages rather than SQLite's 1,000. A batch of 2,000 events writes more than 1,000 pages, so every
 *   commit paid for one, and pages that several batches change are copied once (500,000 events: 56 -> 45 µs
 *   an event in SQLite). The WAL grows to about 64 MB between checkpoints.
 * - temp_store MEMORY: each insert runs inside the batch's transaction and may abort (foreign keys, the
 *   Process trigger), so SQLite keeps a statement journal of the pages it changes. By default that journal
 *   moves to a temporary file once one statement's copy passes 64 KiB, and stays a file, written page by page,
 *   for the rest of the transaction: 4.05M pwrite calls for 200,000 events, against 0.87M with the journal in
 *   memory, where it is emptied after each statement. The writer sorts nothing and makes no temporary
 *   tables, so the setting holds no more than one statement's pages.
 */
export const WRITER_PRAGMAS: readonly string[] = [
  "busy_timeout = 0",
  "wal_autocheckpoint = 16384",
  "temp_store = MEMORY",
];

export function configureConnection(db: Database.Database): void {
  for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
}

export type DatabaseAccess = { writable: true } | { writable: false; reason: string };

/**
 * Whether this connection can write. SQLite opens a file it may not write
 * (permissions, a read-only mount or volume) read-only without complaint and
 * refuses only the first write, so the check makes a write and rolls it back. The read comes first: a database that cannot even be read has no
 * read-only mode, and its error surfaces. Any other failure (a lock held past
 * the busy timeout) surfaces too: it says nothing about the file being read-only.
 */
export function probeWriteAccess(db: Database.Database): DatabaseAccess {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.prepare("SELECT count(*) FROM sqlite_master").get();
  const version = Number(db.pragma("user_version", { simple: true }));
  try {
    // Taking the lock is not enough (a read-only connection gets it too): write the header's
    // user_version with the value it holds, inside a transaction that is rolled back.
    db.exec("BEGIN IMMEDIATE");
    try {
      db.pragma(`user_version = ${version}`);
    } finally {
      db.exec("ROLLBACK");
    }
    return { writable: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN"))) {
      return { writable: false, reason: `${code}: ${(error as Error).message}` };
    }
    throw error;
  }
}
