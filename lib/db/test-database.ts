import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations } from "./migrate";

/** A migrated SQLite file in a fresh temporary folder, for integration tests. */
export function createTestDatabase(): { file: string; url: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-test-"));
  const file = path.join(dir, "test.db");
  applyMigrations(file);
  return { file, url: `file:${file}`, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A second connection that takes the write lock of `file`, as another process
 * would during a long write. `release` rolls back and closes; it is harmless
 * when nothing is held, so an afterEach can always call it.
 */
export function writeLockHolder(file: string): { hold: () => void; release: () => void } {
  let connection: Database.Database | null = null;
  return {
    hold: () => {
      connection = new Database(file);
      connection.exec("BEGIN IMMEDIATE");
    },
    release: () => {
      if (connection?.inTransaction) connection.exec("ROLLBACK");
      connection?.close();
      connection = null;
    },
  };
}
