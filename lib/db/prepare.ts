import Database from "better-sqlite3";
import { databaseFile, databaseUrl, ensureDatabaseDirectory } from "./config";
import { applyMigrations, migrationStatusOf } from "./migrate";
import { type DatabaseAccess, probeWriteAccess } from "./pragmas";
import { failInterruptedUploads } from "./uploads";

export interface PreparedDatabase {
  /** false: serve reads only; every start-up write (built-in rules, first admin) is to be skipped. */
  writable: boolean;
}

/** How start-up opens the database to look at it; tests pass a read-only connection. */
export type OpenDatabase = (file: string) => Database.Database;

const openFile: OpenDatabase = (file) => new Database(file);

/**
 * Server start-up: apply pending migrations, then mark uploads that a crash
 * or restart cut off as failed (they can be uploaded again without duplicates).
 * A database that cannot be written (read-only file, folder or volume) is still
 * served for reading, without the WAL switch or any start-up write, as long as
 * its schema is current; with migrations pending it cannot be served at all.
 */
export async function prepareDatabase(
  env: NodeJS.ProcessEnv = process.env,
  open: OpenDatabase = openFile,
): Promise<PreparedDatabase> {
  const file = databaseFile(databaseUrl(env));
  ensureDatabaseDirectory(file);
  const access = inspect(open(file), (db) => probeWriteAccess(db));
  if (!access.writable) {
    assertSchemaCurrent(file, open, access);
    console.warn(
      `keelwatch: database is read-only: serving reads only; uploads and changes will answer 503 (${file}: ${access.reason})`,
    );
    return { writable: false };
  }
  const applied = applyMigrations(file);
  if (applied.length > 0) console.log(`keelwatch: applied ${applied.length} migration(s) to ${file}`);
  const interrupted = await failInterruptedUploads();
  if (interrupted > 0) console.log(`keelwatch: marked ${interrupted} interrupted upload(s) as failed`);
  return { writable: true };
}

function assertSchemaCurrent(file: string, open: OpenDatabase, access: Extract<DatabaseAccess, { writable: false }>) {
  const status = inspect(open(file), (db) => migrationStatusOf(db));
  const behind = [...status.pending, ...status.modified];
  if (behind.length === 0) return;
  throw new Error(
    `keelwatch: database ${file} is read-only (${access.reason}) and its schema is not current ` +
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
