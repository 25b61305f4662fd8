import type Database from "better-sqlite3";

/**
 * Connection settings every Keelwatch connection uses. WAL lets analysts read
 * while an upload writes; the busy timeout turns a brief lock into a short
 * wait instead of an SQLITE_BUSY error in someone's face.
 */
export const BUSY_TIMEOUT_MS = 10_000;

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
