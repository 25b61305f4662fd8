import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ensureDatabaseDirectory } from "./config";
import { configureConnection } from "./pragmas";
import { type DatabaseMode, inspectDatabase, look, type OpenDatabase, openForReading, openToLook } from "./read-only";
import { sqliteCode } from "./storage-problem";

/**
 * Applies the committed migrations (prisma/migrations/<name>/migration.sql) in
 * name order, each in its own transaction, and records them in Prisma's own
 * `_prisma_migrations` table (checksum = sha256 of the file), so the Prisma
 * tooling recognises the history. A migration whose file changed after it was
 * applied is refused: silently running a different history is how data is lost.
 */

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: { name: string; finishedAt: string }[];
  pending: string[];
  /** applied migrations whose file no longer matches what was applied */
  modified: string[];
  /** applied migrations whose folder is gone */
  missing: string[];
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export function defaultMigrationsDir(): string {
  return path.join(process.cwd(), "prisma", "migrations");
}

export function readMigrationFiles(dir: string = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) throw new MigrationError(`migrations folder not found: ${dir}`);
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(/*turbopackIgnore: true*/ file)) return [];
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8");
      return [{ name, sql, checksum: sha256(sql) }];
    });
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: string;
}

/** `create: false` reads without writing (a read-only database, a status check): no table means no history. */
function readHistory(db: Database.Database, { create }: { create: boolean }): HistoryRow[] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  if (!exists) {
    if (!create) return [];
    db.exec(HISTORY_TABLE);
  }
  return db
    .prepare(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    )
    .all() as HistoryRow[];
}

export function migrationStatus(databaseFile: string, migrationsDir: string = defaultMigrationsDir()): MigrationStatus {
  const files = readMigrationFiles(migrationsDir);
  // A database that is not there has no history; one that is may be read-only (read-only.ts).
  if (!fs.existsSync(/*turbopackIgnore: true*/ databaseFile)) return compare(files, []);
  return look(openForReading(databaseFile), (db) => migrationStatusOf(db, files));
}

/** The status as read through an open connection, which may be read-only: nothing is written. */
export function migrationStatusOf(
  db: Database.Database,
  files: MigrationFile[] = readMigrationFiles(defaultMigrationsDir()),
): MigrationStatus {
  return compare(files, readHistory(db, { create: false }));
}

/** The status of `files` against a database's history (shared with the PostgreSQL runner, lib/db/dialect/postgresql). */
export function compareMigrations(
  files: MigrationFile[],
  history: { migration_name: string; checksum: string; finished_at: string }[],
): MigrationStatus {
  return compare(files, history);
}

function compare(files: MigrationFile[], history: HistoryRow[]): MigrationStatus {
  const byName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set(history.map((row) => row.migration_name));
  return {
    applied: history.map((row) => ({ name: row.migration_name, finishedAt: row.finished_at })),
    pending: files.filter((file) => !appliedNames.has(file.name)).map((file) => file.name),
    modified: history
      .filter((row) => byName.has(row.migration_name) && byName.get(row.migration_name)?.checksum !== row.checksum)
      .map((row) => row.migration_name),
    missing: history.filter((row) => !byName.has(row.migration_name)).map((row) => row.migration_name),
  };
}

/**
 * Brings the database up to date. Returns the names of the migrations it applied
 * (empty when there was nothing to do). Throws MigrationError, leaving the
 * database as it was before the failing migration.
 */
export function applyMigrations(databaseFile: string, migrationsDir: string = defaultMigrationsDir()): string[] {
  ensureDatabaseDirectory(databaseFile);
  const files = readMigrationFiles(migrationsDir);
  let db: Database.Database | undefined;
  let status: MigrationStatus;
  try {
    db = new Database(databaseFile);
    configureConnection(db);
    status = compare(files, readHistory(db, { create: true }));
  } catch (error) {
    db?.close();
    return nothingToApplyReadOnly(databaseFile, files, error);
  }
  try {
    if (status.modified.length > 0) {
      throw new MigrationError(
        `migration ${status.modified[0]} was changed after it was applied to ${databaseFile}; ` +
          "restore its migration.sql and add a new migration instead",
        status.modified[0],
      );
    }
    const pending = files.filter((file) => status.pending.includes(file.name));
    for (const migration of pending) applyOne(db, migration);
    return pending.map((migration) => migration.name);
  } finally {
    db.close();
  }
}

/**
 * A database that cannot be written needs no writing when its schema is
 * current (`npm start` runs `keelwatch db migrate` before serving it read-only);
 * with migrations pending it cannot be brought up to date, and says so.
 * Any other failure of the first look is rethrown as it was.
 */
function nothingToApplyReadOnly(databaseFile: string, files: MigrationFile[], cause: unknown): string[] {
  const code = sqliteCode(cause);
  if (!code?.startsWith("SQLITE_READONLY") && !code?.startsWith("SQLITE_CANTOPEN")) throw cause;
  const mode = inspectDatabase(databaseFile);
  if (mode.writable) throw cause;
  assertReadOnlySchemaCurrent(databaseFile, mode, undefined, files);
  return [];
}

/** Throws a MigrationError naming the migrations a read-only database lacks (or that changed since it got them). */
export function assertReadOnlySchemaCurrent(
  databaseFile: string,
  mode: Extract<DatabaseMode, { writable: false }>,
  open?: OpenDatabase,
  files: MigrationFile[] = readMigrationFiles(defaultMigrationsDir()),
): void {
  const status = look(openToLook(databaseFile, mode, open), (db) => migrationStatusOf(db, files));
  const behind = [...status.pending, ...status.modified];
  if (behind.length === 0) return;
  const changed = status.modified.length > 0 ? `, ${status.modified.length} changed` : "";
  throw new MigrationError(
    `database ${databaseFile} is read-only (${mode.reason}) and its schema is not current ` +
      `(${status.pending.length} migration(s) pending${changed}: ${behind.join(", ")}); ` +
      "make it writable so the migrations can run, or start the Keelwatch version that wrote it",
    behind[0],
  );
}

// Prisma's SQLite "RedefineTables" scripts switch foreign keys off and on around
// a table rebuild. That pragma is a no-op inside a transaction, so it is lifted
// out: run before BEGIN and after COMMIT, with a foreign key check in between.
const FOREIGN_KEYS_PRAGMA = /^\s*PRAGMA\s+(?:defer_)?foreign_keys\s*=\s*\w+\s*;?\s*$/gim;

function applyOne(db: Database.Database, migration: MigrationFile): void {
  const togglesForeignKeys = FOREIGN_KEYS_PRAGMA.test(migration.sql);
  FOREIGN_KEYS_PRAGMA.lastIndex = 0;
  const body = migration.sql.replace(FOREIGN_KEYS_PRAGMA, "");
  if (togglesForeignKeys) db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      db.exec(body);
      if (togglesForeignKeys) {
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) {
          throw new MigrationError(`migration ${migration.name} leaves ${violations.length} broken foreign keys`);
        }
      }
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES (?, ?, current_timestamp, ?, 1)`,
      ).run(randomUUID(), migration.checksum, migration.name);
    })();
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`, migration.name);
  } finally {
    if (togglesForeignKeys) db.pragma("foreign_keys = ON");
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
