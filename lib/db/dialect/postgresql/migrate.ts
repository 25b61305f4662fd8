import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { compareMigrations, MigrationError, type MigrationStatus, readMigrationFiles } from "../../migrate";

/**
 * The PostgreSQL migration runner: applies prisma/postgresql/migrations/<name>/migration.sql in name order, each in
 * its own transaction (PostgreSQL's DDL is transactional, so a failing migration leaves nothing behind), and records
 * them in Prisma's `_prisma_migrations` table as the SQLite runner does (checksum = sha256 of the file). A migration
 * changed after it was applied is refused.
 *
 * Several app instances may start at once against one database: a session advisory lock makes them take turns, and
 * the history is read again under the lock, so each migration is applied once.
 */

export function defaultPostgresMigrationsDir(): string {
  return path.join(process.cwd(), "prisma", "postgresql", "migrations");
}

// Prisma's own definition of the table (its PostgreSQL connector), so its tooling reads this history.
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Any fixed number: the advisory lock that serialises migration runs on one database ("keelwatch" in ASCII). */
const MIGRATION_LOCK = 0x6b65656c77617463n;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: string;
}

async function readHistory(client: pg.Client): Promise<HistoryRow[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
  if (!exists.rows[0]?.exists) return [];
  const result = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS finished_at
     FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return result.rows;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`cannot connect to the PostgreSQL database ${redactUrl(url)}: ${reason}`);
  }
  return client;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

export async function postgresMigrationStatus(
  url: string,
  migrationsDir: string = defaultPostgresMigrationsDir(),
): Promise<MigrationStatus> {
  const files = readMigrationFiles(migrationsDir);
  const client = await connect(url);
  try {
    return compareMigrations(files, await readHistory(client));
  } finally {
    await client.end();
  }
}

/** Brings the database up to date; returns the names of the migrations it applied (empty: nothing to do). */
export async function applyPostgresMigrations(
  url: string,
  migrationsDir: string = defaultPostgresMigrationsDir(),
): Promise<string[]> {
  const files = readMigrationFiles(migrationsDir);
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK.toString()]);
    await client.query(HISTORY_TABLE);
    const status = compareMigrations(files, await readHistory(client));
    if (status.modified.length > 0) {
      throw new MigrationError(
        `migration ${status.modified[0]} was changed after it was applied to ${redactUrl(url)}; ` +
          "restore its migration.sql and add a new migration instead",
        status.modified[0],
      );
    }
    const pending = files.filter((file) => status.pending.includes(file.name));
    for (const migration of pending) {
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${migration.name} failed: ${reason}`, migration.name);
      }
    }
    return pending.map((migration) => migration.name);
  } finally {
    // Ending the session releases the advisory lock.
    await client.end();
  }
}
