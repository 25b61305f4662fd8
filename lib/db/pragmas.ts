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
