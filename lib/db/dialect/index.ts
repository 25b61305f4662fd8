import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { SearchLimits, SearchPlan } from "../alert-search";
import { planSearch } from "../alert-search";
import { databaseFile, databaseUrl } from "../config";
import { applyMigrations, type MigrationStatus, migrationStatus } from "../migrate";
import { type DialectName, dialectName } from "./name";
import { planPostgresSearch } from "./postgresql/alert-search";
import { createPostgresPrismaClient } from "./postgresql/client";
import { applyPostgresMigrations, postgresMigrationStatus } from "./postgresql/migrate";
import { DISK_BYTES_SQL, USED_BYTES_SQL, type UsedBytesRow, usedBytesFrom } from "./postgresql/storage";
import { withoutNul } from "./postgresql/text";
import { createSqlitePrismaClient } from "./sqlite/client";
import { sqliteDiskBytes, sqliteUsedBytes } from "./sqlite/storage";

export { type DialectName, dialectName } from "./name";

/**
 * What differs between the two databases Keelwatch runs on, behind one interface; everything else (Prisma's
 * portable queries, raw SQL both accept) is shared. DATABASE_URL chooses: `file:` SQLite, `postgresql://` PostgreSQL.
 * Each dialect's parts live in its folder (./sqlite, ./postgresql); the SQLite ones still partly live where they were
 * written (lib/db/*.ts) and are reached from here.
 */
export interface Dialect {
  readonly name: DialectName;
  /** The app's Prisma client for this database (one per process: lib/db/client.ts keeps it). */
  createPrismaClient(url: string): PrismaClient;
  /** Applies the committed migrations the database lacks (prisma/migrations, prisma/postgresql/migrations). */
  applyMigrations(url: string): Promise<string[]>;
  migrationStatus(url: string): Promise<MigrationStatus>;
  /** The alert list's free-text search: which conditions find the alerts matching `q`, and what leads the query. */
  planAlertSearch(q: string | undefined, limits: SearchLimits): Promise<SearchPlan>;
  /**
   * Whether queries may name the index to use (SQLite's INDEXED BY, with row counts probed first). PostgreSQL's
   * planner picks from its statistics and has no such clause.
   */
  readonly indexHints: boolean;
  /**
   * Ends the subquery of an UPDATE … WHERE "id" IN (SELECT … LIMIT n) that claims queued rows (notification-queue.ts),
   * so that instances claiming at once take different rows. SQLite needs nothing (one writer at a time);
   * PostgreSQL locks the rows it picks and skips those another claim holds. `alias`: the table to lock in a join.
   */
  skipLockedRows(alias?: string): Prisma.Sql;
  /** Bytes the database takes on disk (the system panel): SQLite's file with its WAL, PostgreSQL's pg_database_size. */
  diskBytes(db: PrismaClient, url: string): Promise<number>;
  /**
   * Bytes that the retention size limit (KEELWATCH_RETENTION_MAX_GB) compares with: what deleting blocks lowers at
   * once. SQLite: its used pages; PostgreSQL: the remaining blocks and events by their stored size, and the other
   * tables' sizes (postgresql/storage.ts).
   */
  usedBytes(db: PrismaClient): Promise<number>;
  /**
   * A text as its column holds it: SQLite keeps any string; PostgreSQL's text cannot hold NUL, written as U+FFFD
   * (postgresql/text.ts). Code that matches stored values against the ones it asked for compares these.
   */
  storedText(text: string): string;
}

// Methods call through at call time: lib/db/alert-search imports the client module, which imports this one.
const sqlite: Dialect = {
  name: "sqlite",
  createPrismaClient: (url) => createSqlitePrismaClient(url),
  applyMigrations: async (url) => applyMigrations(databaseFile(url)),
  migrationStatus: async (url) => migrationStatus(databaseFile(url)),
  planAlertSearch: (q, limits) => planSearch(q, limits),
  indexHints: true,
  skipLockedRows: () => Prisma.empty,
  storedText: (text) => text,
  diskBytes: async (_db, url) => sqliteDiskBytes(databaseFile(url)),
  usedBytes: (db) => sqliteUsedBytes(db),
};

const postgresql: Dialect = {
  name: "postgresql",
  createPrismaClient: (url) => createPostgresPrismaClient(url),
  applyMigrations: (url) => applyPostgresMigrations(url),
  migrationStatus: (url) => postgresMigrationStatus(url),
  planAlertSearch: (q) => planPostgresSearch(q),
  indexHints: false,
  storedText: (text) => withoutNul(text),
  skipLockedRows: (alias) =>
    alias === undefined ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.raw(`FOR UPDATE OF "${alias}" SKIP LOCKED`),
  diskBytes: async (db) => Number((await db.$queryRawUnsafe<{ bytes: number }[]>(DISK_BYTES_SQL))[0]?.bytes ?? 0),
  usedBytes: async (db) => {
    const [row] = await db.$queryRawUnsafe<UsedBytesRow[]>(USED_BYTES_SQL);
    return row ? usedBytesFrom(row) : 0;
  },
};

/** The dialect of `url` (by default the process's DATABASE_URL). */
export function dialect(url: string = databaseUrl()): Dialect {
  return dialectName(url) === "postgresql" ? postgresql : sqlite;
}
