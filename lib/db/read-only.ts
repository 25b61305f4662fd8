import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { probeWriteAccess } from "./pragmas";
import { sqliteCode } from "./storage-problem";

/**
 * Serving a database that Keelwatch may not write: a read-only file, folder or
 * mount (a snapshot kept for review, a disk the kernel remounted read-only).
 *
 * A WAL-mode database needs its `-shm` index even to be read. SQLite creates it
 * beside the file, so in a folder nobody may write the database opens only if
 * `-wal` and `-shm` are already there; otherwise every read fails with
 * SQLITE_CANTOPEN (https://www.sqlite.org/wal.html, "Read-Only Databases").
 * The one other way in is the `immutable=1` URI parameter: SQLite then takes no
 * locks and ignores the WAL. That is right only when the WAL holds nothing the
 * main file lacks, so it is used only then (`walHoldsCommits`).
 *
 * better-sqlite3 reads `file:` URIs only when SQLITE_USE_URI=1 is in the
 * environment the first time it loads SQLite in the process; SQLite's setting
 * is process-wide and fixed after that. So this module turns it on as it is
 * imported: client.ts, prepare.ts and migrate.ts import it, before any
 * connection exists. Keelwatch hands SQLite absolute paths everywhere, so only
 * the names built here are read as URIs.
 */
process.env.SQLITE_USE_URI = "1";

export type DatabaseMode =
  | { writable: true }
  | {
      writable: false;
      /** Why, for the start-up line: SQLite's refusal, or the folder's. */
      reason: string;
      /** Opened with `immutable=1`: no `-shm` index could be made or found. */
      immutable: boolean;
    };

const globalForMode = globalThis as unknown as { keelwatchDatabaseMode?: { file: string; mode: DatabaseMode } };

/**
 * What start-up found (prepare.ts), for the server's connection (client.ts),
 * the health check and the bookkeeping writes. A global, because Next.js loads
 * instrumentation.ts and the route handlers as separate bundles of one process.
 */
export function recordDatabaseMode(file: string, mode: DatabaseMode): void {
  globalForMode.keelwatchDatabaseMode = { file, mode };
}

/**
 * How start-up found `file` (by default, whichever file it looked at); undefined
 * where start-up did not run (tests, the CLI): such a process opens the file as it is.
 */
export function databaseMode(file?: string): DatabaseMode | undefined {
  const recorded = globalForMode.keelwatchDatabaseMode;
  return recorded && (file === undefined || recorded.file === file) ? recorded.mode : undefined;
}

/** True once start-up found the database read-only: writes are refused until a restart on a writable file. */
export function databaseIsReadOnly(): boolean {
  return databaseMode()?.writable === false;
}

/**
 * The name to give better-sqlite3 for a read-only connection: the path itself,
 * or a `file:` URI with `immutable=1` (percent-encoded, so any path works).
 */
export function readOnlyFileName(file: string, immutable: boolean): string {
  return immutable ? `${pathToFileURL(file).href}?immutable=1` : file;
}

/** A connection that can only read `file`. */
export function openReadOnly(file: string, immutable: boolean): Database.Database {
  return new Database(readOnlyFileName(file, immutable), { readonly: true, fileMustExist: true });
}

/** The errno code when nobody may create files in `folder` (EROFS, EACCES), or null when this process may. */
export function folderWriteRefusal(folder: string): string | null {
  try {
    fs.accessSync(/*turbopackIgnore: true*/ folder, fs.constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "EACCES";
  }
}

const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

/**
 * Whether `file`'s write-ahead log may hold commits that are not in the main
 * file yet. A log that is missing, empty (a clean shutdown or a TRUNCATE
 * checkpoint) or whose first frame carries other salts than its header (frames
 * left from before the log was last reset) holds none. Anything else might:
 * without the `-shm` index, only replaying the log could tell.
 */
export function walHoldsCommits(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(/*turbopackIgnore: true*/ `${file}-wal`, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  try {
    const head = Buffer.alloc(WAL_HEADER_BYTES + WAL_FRAME_HEADER_BYTES);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    if (read < head.length) return false;
    // The header's two salts (bytes 16-23) are copied into every valid frame's header (its bytes 8-15).
    const headerSalts = head.subarray(16, 24);
    const frameSalts = head.subarray(WAL_HEADER_BYTES + 8, WAL_HEADER_BYTES + 16);
    return headerSalts.equals(frameSalts);
  } finally {
    fs.closeSync(fd);
  }
}

/** How start-up and the migration runner open a database to look at it; tests pass a read-only connection. */
export type OpenDatabase = (file: string) => Database.Database;

const openFile: OpenDatabase = (file) => new Database(file);

type ReadOnlyMode = Extract<DatabaseMode, { writable: false }>;

/**
 * Whether this process may write `file` (a write rolled back: probeWriteAccess),
 * and if not, how it can still read it. Throws, with what to do, when it cannot
 * be read either.
 */
export function inspectDatabase(file: string, open: OpenDatabase = openFile): DatabaseMode {
  try {
    const access = look(open(file), (db) => probeWriteAccess(db));
    return access.writable ? access : { ...access, immutable: false };
  } catch (error) {
    const code = sqliteCode(error);
    if (code !== "SQLITE_CANTOPEN" && code !== "SQLITE_READONLY_CANTINIT") throw error;
    return readWithoutIndex(file, error);
  }
}

/** A connection that reads `file` as `inspectDatabase` found it can be read. */
export function openToLook(file: string, mode: DatabaseMode, open: OpenDatabase = openFile): Database.Database {
  return !mode.writable && mode.immutable ? openReadOnly(file, true) : open(file);
}

/**
 * A read-only connection to `file` wherever it lies, for looking without
 * writing (`keelwatch db status`): as it is, or as immutable when it has no
 * -shm index and its folder cannot be written (the same rules as start-up).
 */
export function openForReading(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return db;
  } catch (error) {
    db.close();
    const code = sqliteCode(error);
    if (code !== "SQLITE_CANTOPEN" && code !== "SQLITE_READONLY_CANTINIT") throw error;
    readWithoutIndex(file, error);
    return openReadOnly(file, true);
  }
}

/** Reads with a connection that is closed afterwards. */
export function look<T>(db: Database.Database, read: (db: Database.Database) => T): T {
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** SQLite could not even read: no -shm index, and no folder to make one in. */
function readWithoutIndex(file: string, cause: unknown): ReadOnlyMode {
  const folder = path.dirname(file);
  const refusal = folderWriteRefusal(folder);
  if (!refusal) throw cause;
  if (!fs.existsSync(/*turbopackIgnore: true*/ file)) {
    throw new Error(`database ${file} does not exist, and its folder ${folder} cannot be written (${refusal})`);
  }
  if (walHoldsCommits(file)) {
    throw new Error(
      `database ${file} cannot be read: its folder cannot be written (${refusal}), and its write-ahead log ` +
        `${path.basename(file)}-wal holds commits not yet in the database, which SQLite reads only through the ` +
        "-shm index it would create in that folder. Make the folder writable for one start (the log is then copied " +
        "into the database), or copy the database with its -wal file to a writable folder.",
      { cause },
    );
  }
  const access = look(openReadOnly(file, true), (db) => probeWriteAccess(db));
  if (access.writable) throw cause;
  return {
    writable: false,
    immutable: true,
    reason:
      `its folder cannot be written (${refusal}), so SQLite cannot make the WAL's -shm index; ` +
      "the file is read as immutable, and nothing may change it while Keelwatch serves it",
  };
}
