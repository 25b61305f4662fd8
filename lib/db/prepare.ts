import { databaseFile, databaseUrl, ensureDatabaseDirectory } from "./config";
import { dialect } from "./dialect";
import { redactUrl } from "./dialect/postgresql/migrate";
import { applyMigrations, assertReadOnlySchemaCurrent } from "./migrate";
import { inspectDatabase, type OpenDatabase, recordDatabaseMode } from "./read-only";
import { describeInterruptedUploads, failInterruptedUploads } from "./upload-leases";

export type { OpenDatabase } from "./read-only";

export interface PreparedDatabase {
  /** false: serve reads only; every start-up write (built-in rules, first admin) is to be skipped. */
  writable: boolean;
}

/**
 * Server start-up: apply pending migrations, then mark uploads that a crash
 * or restart cut off as failed (they can be uploaded again without duplicates).
 * A database that cannot be written (read-only file, folder or volume) is still
 * served for reading, without the WAL switch or any start-up write, as long as
 * its schema is current; with migrations pending it cannot be served at all.
 * What it found is recorded (read-only.ts) before anything else opens the
 * database. `open` is how it looks at the file; tests pass a read-only connection.
 */
export async function prepareDatabase(
  env: NodeJS.ProcessEnv = process.env,
  open?: OpenDatabase,
): Promise<PreparedDatabase> {
  const url = databaseUrl(env);
  if (dialect(url).name === "postgresql") return preparePostgres(url);
  const file = databaseFile(url);
  ensureDatabaseDirectory(file);
  const mode = inspectDatabase(file, open);
  if (!mode.writable) {
    assertReadOnlySchemaCurrent(file, mode, open);
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
  const interrupted = describeInterruptedUploads(await failInterruptedUploads());
  if (interrupted) console.log(interrupted);
  return { writable: true };
}

/**
 * PostgreSQL: the migrations (several instances starting at once apply each one once: lib/db/dialect/postgresql/
 * migrate.ts), then the interrupted uploads: only those whose lease expired or whose holder is gone
 * (lib/db/upload-leases.ts), since another instance may be receiving the rest. A read-only PostgreSQL (a hot
 * standby) is not served yet.
 */
async function preparePostgres(url: string): Promise<PreparedDatabase> {
  const applied = await dialect(url).applyMigrations(url);
  if (applied.length > 0) console.log(`keelwatch: applied ${applied.length} migration(s) to ${redactUrl(url)}`);
  const interrupted = describeInterruptedUploads(await failInterruptedUploads());
  if (interrupted) console.log(interrupted);
  return { writable: true };
}
