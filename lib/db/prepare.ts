import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseFile, databaseUrl, ensureDatabaseDirectory } from "./config";
import { applyMigrations, migrationStatusOf } from "./migrate";
import { probeWriteAccess } from "./pragmas";
import { type DatabaseMode, folderWriteRefusal, openReadOnly, recordDatabaseMode, walHoldsCommits } from "./read-only";
import { sqliteCode } from "./storage-problem";
import { failInterruptedUploads } from "./uploads";

export interface PreparedDatabase {
  /** false: serve reads only; every start-up write (built-in rules, first admin) is to be skipped. */
  writable: boolean;
}

/** How start-up opens the database to look at it; tests pass a read-only connection. */
export type OpenDatabase = (file: string) => Database.Database;

const openFile: OpenDatabase = (file) => new Database(file);

type ReadOnlyMode = Extract<DatabaseMode, { writable: false }>;

/**
 * Server start-up: apply pending migrations, then mark uploads that a crash
 * or restart cut off as failed (they can be uploaded again without duplicates).
 * A database that cannot be written (read-only file, folder or volume) is still
 * served for reading, without the WAL switch or any start-up write, as long as
 * its schema is current; with migrations pending it cannot be served at all.
 * What it found is recorded (read-only.ts) before anything else opens the database.
 */
export async function prepareDatabase(
  env: NodeJS.ProcessEnv = process.env,
  open: OpenDatabase = openFile,
): Promise<PreparedDatabase> {
  const file = databaseFile(databaseUrl(env));
  ensureDatabaseDirectory(file);
  const mode = findMode(file, open);
  if (!mode.writable) {
    assertSchemaCurrent(file, mode, mode.immutable ? (name) => openReadOnly(name, true) : open);
    recordDatabaseMode(file, mode);
    console.warn(
      `keelwatch: database is read-only: serving reads only (${file}: ${mode.reason}). ` +
        "Uploads, changes and new sign-ins answer 503 database_read_only; signed-in sessions and API tokens " +
        "keep reading. To store again, make the file and its folder writable and restart Keelwatch.",
    );
    return { writable: false };
  }
  recordDatabaseMode(file, mode);
  const applied = applyMigrations(file);
  if (applied.length > 0) console.log(`keelwatch: applied ${applied.length} migration(s) to ${file}`);
  const interrupted = await failInterruptedUploads();
  if (interrupted > 0) console.log(`keelwatch: marked ${interrupted} interrupted upload(s) as failed`);
  return { writable: true };
}

/** Whether this process may write `file`, and if not, how it can still read it. */
function findMode(file: string, open: OpenDatabase): DatabaseMode {
  try {
    const access = inspect(open(file), (db) => probeWriteAccess(db));
    return access.writable ? access : { ...access, immutable: false };
  } catch (error) {
    // No -shm index and no folder to make one in (read-only.ts): SQLite cannot even read.
    const code = sqliteCode(error);
    if (code !== "SQLITE_CANTOPEN" && code !== "SQLITE_READONLY_CANTINIT") throw error;
    return readWithoutIndex(file, error);
  }
}

function readWithoutIndex(file: string, cause: unknown): ReadOnlyMode {
  const folder = path.dirname(file);
  const refusal = folderWriteRefusal(folder);
  if (!refusal) throw cause;
  if (!fs.existsSync(/*turbopackIgnore: true*/ file)) {
    throw new Error(
      `keelwatch: database ${file} does not exist, and its folder ${folder} cannot be written (${refusal})`,
    );
  }
  if (walHoldsCommits(file)) {
    throw new Error(
      `keelwatch: database ${file} cannot be read: its folder cannot be written (${refusal}), and its write-ahead ` +
        `log ${path.basename(file)}-wal holds commits not yet in the database, which SQLite reads only through the ` +
        `-shm index it would create in that folder. Make the folder writable for one start (the log is then copied ` +
        `into the database), or copy the database with its -wal file to a writable folder.`,
      { cause },
    );
  }
  const access = inspect(openReadOnly(file, true), (db) => probeWriteAccess(db));
  if (access.writable) throw cause;
  return {
    writable: false,
    immutable: true,
    reason:
      `its folder cannot be written (${refusal}), so SQLite cannot make the WAL's -shm index; ` +
      "the file is read as immutable, and nothing may change it while Keelwatch serves it",
  };
}

function assertSchemaCurrent(file: string, mode: ReadOnlyMode, open: OpenDatabase) {
  const status = inspect(open(file), (db) => migrationStatusOf(db));
  const behind = [...status.pending, ...status.modified];
  if (behind.length === 0) return;
  throw new Error(
    `keelwatch: database ${file} is read-only (${mode.reason}) and its schema is not current ` +
      `(${status.pending.length} migration(s) pending${status.modified.length > 0 ? `, ${status.modified.length} changed` : ""}: ${behind.join(", ")}); ` +
      "make it writable so the migrations can run, or start the Keelwatch version that wrote it",
  );
}

function inspect<T>(db: Database.Database, look: (db: Database.Database) => T): T {
  try {
    return look(db);
  } finally {
    db.close();
  }
}
