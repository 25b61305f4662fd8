import type Database from "better-sqlite3";

/**
 * Connection settings every Keelwatch connection uses. WAL lets analysts read
 * while an upload writes; the busy timeout turns a brief lock into a short
 * wait instead of an SQLITE_BUSY error in someone's face.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export function configureConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
}
