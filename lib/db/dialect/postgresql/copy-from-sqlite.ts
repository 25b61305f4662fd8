import fs from "node:fs";
import type Database from "better-sqlite3";
import pg from "pg";
import { MigrationError, migrationStatus } from "../../migrate";
import { openForReading } from "../../read-only";
import { applyPostgresMigrations, redactUrl } from "./migrate";

/**
 * `keelwatch db copy --to postgresql://…`: moves a SQLite database into a PostgreSQL one, whole.
 *
 * - The tables are PostgreSQL's (every table its migrations make, bar the migration history); each must exist in the
 *   SQLite file with the same columns, so the source must be migrated to the same point (checked first).
 * - One SQLite read transaction gives one consistent snapshot, even while a server still writes to the file, and
 *   one PostgreSQL transaction makes the copy all or nothing: a copy that fails leaves the target as it was.
 * - Rows are read with a cursor and written in batches of multi-row INSERTs, so memory holds one batch.
 * - Tables go in foreign-key order, ids kept; serial sequences are moved past the copied ids at the end.
 * - Kept counts (AlertRollup, AlertGroupCount, Process, NotificationOutbox, detection.version) are copied as SQLite
 *   kept them, with the target's user triggers disabled inside the transaction: otherwise the PL/pgSQL triggers
 *   would count every copied alert once more on top of the copied counts. (ALTER TABLE … DISABLE TRIGGER is
 *   transactional: a failed copy leaves them enabled. It needs the tables' owner, the user that migrated them.)
 * - Run again: rows are upserted by primary key, and one that is already equal is not written, so a second run over
 *   an unchanged source writes nothing; rows the source no longer has (retention, deletions) are deleted. A target
 *   is only accepted when it holds nothing but what its migrations seed, or is a previous copy of the same file
 *   (recorded in the table _keelwatch_copy), never another deployment's data.
 * - At the end both sides' row counts are compared, table by table, in the same snapshot of the source.
 */

const HISTORY = "_prisma_migrations";
const MARKER = "_keelwatch_copy";
/** Rows the PostgreSQL migrations insert into an empty database: not "other data". */
const SEEDED = { table: "AppSetting", column: "key", values: ["detection.version"] };
/** PostgreSQL's limit on bind parameters in one statement is 65535. */
const MAX_PARAMETERS = 60_000;
/** What one batch's text and binary values may hold, so memory stays bounded whatever the rows' size. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

function rowBytes(row: unknown[]): number {
  let bytes = 0;
  for (const value of row) {
    if (typeof value === "string") bytes += value.length;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else bytes += 8;
  }
  return bytes;
}

export type CopyProgress = (line: string) => void;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyResult {
  tables: TableCount[];
  /** rows inserted, changed or deleted in the target (0: it already was a copy of the source) */
  written: number;
  deleted: number;
  matches: boolean;
}

export class CopyRefused extends Error {}

interface Column {
  name: string;
  type: string;
  serial: boolean;
}

interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** tables this one refers to by foreign key */
  parents: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function copySqliteToPostgres(options: {
  sourceFile: string;
  targetUrl: string;
  progress?: CopyProgress;
  batchRows?: number;
  /** how often progress within a table is reported, in rows (default: every 50,000) */
  progressEvery?: number;
}): Promise<CopyResult> {
  const { sourceFile, targetUrl } = options;
  const progress = options.progress ?? (() => {});
  const target = redactUrl(targetUrl);
  if (!fs.existsSync(sourceFile)) throw new CopyRefused(`the SQLite database ${sourceFile} does not exist`);
  const status = migrationStatus(sourceFile);
  if (status.pending.length > 0 || status.modified.length > 0 || status.missing.length > 0) {
    throw new CopyRefused(
      `the SQLite database ${sourceFile} is not at this version's schema (${status.pending.length} pending, ` +
        `${status.modified.length} modified, ${status.missing.length} missing migrations): ` +
        `run \`keelwatch db migrate\` on it first (DATABASE_URL=file:${sourceFile})`,
    );
  }
  const sourceId = fs.realpathSync(sourceFile);

  const applied = await applyPostgresMigrations(targetUrl);
  if (applied.length > 0) progress(`migrated ${target}: ${applied.length} migration(s) applied`);

  const sqlite = openForReading(sourceFile);
  const client = new pg.Client({ connectionString: targetUrl, options: "-c timezone=UTC" });
  try {
    await client.connect();
  } catch (error) {
    sqlite.close();
    throw new MigrationError(`cannot connect to the PostgreSQL database ${target}: ${(error as Error).message}`);
  }
  try {
    const tables = orderByForeignKeys(await readTargetTables(client));
    checkSourceHasTables(sqlite, tables, sourceFile);
    await refuseOtherData(client, tables, sourceId, target);

    // One snapshot of the source for the copy and for the counts checked at the end.
    sqlite.exec("BEGIN");
    let written = 0;
    let deleted = 0;
    await client.query("BEGIN");
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${quote(MARKER)} ("id" INTEGER PRIMARY KEY, "source" TEXT NOT NULL,
           "startedAt" TIMESTAMPTZ NOT NULL, "finishedAt" TIMESTAMPTZ)`,
      );
      await client.query(
        `INSERT INTO ${quote(MARKER)} ("id", "source", "startedAt") VALUES (1, $1, now())
         ON CONFLICT ("id") DO UPDATE SET "startedAt" = now(), "finishedAt" = NULL`,
        [sourceId],
      );
      for (const table of tables) await client.query(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`);
      for (const table of tables) {
        const copied = await copyTable(sqlite, client, table, {
          progress,
          batchRows: options.batchRows ?? 1_000,
          progressEvery: options.progressEvery ?? 50_000,
        });
        written += copied.written;
        deleted += copied.deleted;
      }
      for (const table of tables) await resetSequences(client, table);
      for (const table of tables) await client.query(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER USER`);
      await client.query(`UPDATE ${quote(MARKER)} SET "finishedAt" = now() WHERE "id" = 1`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }

    const counts: TableCount[] = [];
    for (const table of tables) {
      const source = countSqlite(sqlite, table.name);
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`);
      counts.push({ table: table.name, source, target: Number(result.rows[0]?.n ?? 0) });
    }
    sqlite.exec("COMMIT");
    return {
      tables: counts,
      written,
      deleted,
      matches: counts.every((count) => count.source === count.target),
    };
  } finally {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    sqlite.close();
    await client.end();
  }
}

async function readTargetTables(client: pg.Client): Promise<Table[]> {
  const columns = await client.query<{ table: string; name: string; type: string; serial: boolean }>(
    `SELECT c.table_name AS "table", c.column_name AS "name", c.data_type AS "type",
            coalesce(c.column_default LIKE 'nextval(%', false) AS "serial"
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name NOT IN ($1, $2)
     ORDER BY c.table_name, c.ordinal_position`,
    [HISTORY, MARKER],
  );
  const keys = await client.query<{ table: string; column: string }>(
    `SELECT cl.relname AS "table", a.attname AS "column"
     FROM pg_index i
     JOIN pg_class cl ON cl.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
     JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
     WHERE i.indisprimary ORDER BY cl.relname, k.position`,
  );
  const references = await client.query<{ table: string; parent: string }>(
    `SELECT DISTINCT c.conrelid::regclass::text AS "table", c.confrelid::regclass::text AS "parent"
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = current_schema()
     WHERE c.contype = 'f'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
  const tables = new Map<string, Table>();
  for (const row of columns.rows) {
    let table = tables.get(row.table);
    if (!table) {
      table = { name: row.table, columns: [], primaryKey: [], parents: [] };
      tables.set(row.table, table);
    }
    table.columns.push({ name: row.name, type: row.type, serial: row.serial });
  }
  for (const row of keys.rows) tables.get(row.table)?.primaryKey.push(row.column);
  for (const row of references.rows) {
    const table = tables.get(unquote(row.table));
    const parent = unquote(row.parent);
    if (table && parent !== table.name) table.parents.push(parent);
  }
  for (const table of tables.values()) {
    if (table.primaryKey.length === 0) throw new Error(`table ${table.name} has no primary key in the target`);
  }
  return [...tables.values()];
}

/** Parents before children (a table referring to itself is fine: the copy keeps the source's order of ids). */
export function orderByForeignKeys(tables: Table[]): Table[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: Table[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: Table, path: string[]) => {
    if (state.get(table.name) === "done") return;
    if (state.get(table.name) === "visiting") {
      throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(" -> ")}`);
    }
    state.set(table.name, "visiting");
    for (const parent of table.parents) {
      const found = byName.get(parent);
      if (found) visit(found, [...path, table.name]);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}

function checkSourceHasTables(sqlite: Database.Database, tables: Table[], sourceFile: string): void {
  for (const table of tables) {
    const columns = sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table.name) as { name: string }[];
    if (columns.length === 0) throw new CopyRefused(`the SQLite database ${sourceFile} has no table ${table.name}`);
    const have = new Set(columns.map((column) => column.name));
    const lacking = table.columns.filter((column) => !have.has(column.name)).map((column) => column.name);
    if (lacking.length > 0) {
      throw new CopyRefused(`the SQLite table ${table.name} lacks the column(s) ${lacking.join(", ")}`);
    }
  }
}

/** Accepts an empty target (migrations' seeds aside) or a previous copy of this very file; refuses anything else. */
async function refuseOtherData(client: pg.Client, tables: Table[], sourceId: string, target: string): Promise<void> {
  const marker = await client.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [quote(MARKER)]);
  if (marker.rows[0]?.exists) {
    const row = await client.query<{ source: string }>(`SELECT "source" FROM ${quote(MARKER)} WHERE "id" = 1`);
    const previous = row.rows[0]?.source;
    if (previous === sourceId) return;
    if (previous !== undefined) {
      throw new CopyRefused(
        `${target} holds a copy of another SQLite database (${previous}); copy into an empty database instead`,
      );
    }
  }
  for (const table of tables) {
    const seeded = table.name === SEEDED.table;
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${quote(table.name)}${seeded ? ` WHERE ${quote(SEEDED.column)} <> ALL($1)` : ""}`,
      seeded ? [SEEDED.values] : [],
    );
    const rows = Number(result.rows[0]?.n ?? 0);
    if (rows > 0) {
      throw new CopyRefused(
        `${target} already holds data (${rows} row(s) in ${table.name}) and is not a copy of this database; ` +
          "copy into an empty database (createdb) so nothing of another deployment is mixed in",
      );
    }
  }
}

function countSqlite(sqlite: Database.Database, table: string): number {
  return (sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
}

/** A SQLite value as the PostgreSQL column takes it (Prisma stores dates as ISO text or epoch milliseconds). */
function convert(value: unknown, column: Column): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === "boolean") return value === 1 || value === 1n || value === true || value === "1";
  if (column.type.startsWith("timestamp")) {
    if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value)).toISOString();
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

async function copyTable(
  sqlite: Database.Database,
  client: pg.Client,
  table: Table,
  options: { progress: CopyProgress; batchRows: number; progressEvery: number },
): Promise<{ written: number; deleted: number }> {
  const total = countSqlite(sqlite, table.name);
  const names = table.columns.map((column) => quote(column.name));
  const perBatch = Math.max(1, Math.min(options.batchRows, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const others = table.columns.filter((column) => !table.primaryKey.includes(column.name)).map((c) => quote(c.name));
  // An equal row is left alone, so a run over an unchanged source writes nothing.
  const onConflict =
    others.length === 0
      ? "DO NOTHING"
      : `DO UPDATE SET ${others.map((name) => `${name} = excluded.${name}`).join(", ")} WHERE (${others
          .map((name) => `t.${name}`)
          .join(", ")}) IS DISTINCT FROM (${others.map((name) => `excluded.${name}`).join(", ")})`;
  const head = `INSERT INTO ${quote(table.name)} AS t (${names.join(", ")}) VALUES `;
  const tail = ` ON CONFLICT (${table.primaryKey.map(quote).join(", ")}) ${onConflict}`;

  options.progress(`copying ${table.name}: ${total} row(s)`);
  const rows = sqlite
    .prepare(`SELECT ${names.join(", ")} FROM ${quote(table.name)}`)
    .raw()
    .iterate() as IterableIterator<unknown[]>;
  let batch: unknown[][] = [];
  let done = 0;
  let written = 0;
  let reported = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = row.map((value, index) => {
        values.push(convert(value, table.columns[index] as Column));
        return `$${values.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    const result = await client.query(head + tuples.join(", ") + tail, values);
    written += result.rowCount ?? 0;
    done += batch.length;
    batch = [];
    if (done - reported >= options.progressEvery && done < total) {
      reported = done;
      options.progress(`copying ${table.name}: ${done} of ${total} (${Math.floor((100 * done) / total)}%)`);
    }
  };
  let batchBytes = 0;
  for (const row of rows) {
    batch.push(row);
    batchBytes += rowBytes(row);
    // Rows of event blocks are large (hundreds of KB each): a batch ends at its byte budget too.
    if (batch.length >= perBatch || batchBytes >= MAX_BATCH_BYTES) {
      await flush();
      batchBytes = 0;
    }
  }
  await flush();
  const deleted = await deleteRowsNotInSource(sqlite, client, table, total);
  return { written: written + deleted, deleted };
}

/**
 * After the upserts the target holds every source row; more rows than the source means it holds rows the source has
 * since lost (a previous copy, then retention or deletions): those go, found by their keys. (Foreign keys' cascades
 * still act, and only on rows the source lacks too, since the source's rows refer to rows it has.)
 */
async function deleteRowsNotInSource(
  sqlite: Database.Database,
  client: pg.Client,
  table: Table,
  sourceRows: number,
): Promise<number> {
  const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`);
  if (Number(counted.rows[0]?.n ?? 0) <= sourceRows) return 0;
  const keys = table.primaryKey.map(quote);
  const keep = quote(`keep_${table.name}`);
  await client.query(
    `CREATE TEMP TABLE ${keep} ON COMMIT DROP AS SELECT ${keys.join(", ")} FROM ${quote(table.name)} WITH NO DATA`,
  );
  const columns = table.primaryKey.map((name) => table.columns.find((column) => column.name === name) as Column);
  const perBatch = Math.floor(MAX_PARAMETERS / keys.length);
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map(
      (row) =>
        `(${row
          .map((value, index) => {
            values.push(convert(value, columns[index] as Column));
            return `$${values.length}`;
          })
          .join(", ")})`,
    );
    await client.query(`INSERT INTO ${keep} (${keys.join(", ")}) VALUES ${tuples.join(", ")}`, values);
    batch = [];
  };
  for (const row of sqlite
    .prepare(`SELECT ${keys.join(", ")} FROM ${quote(table.name)}`)
    .raw()
    .iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  const removed = await client.query(
    `DELETE FROM ${quote(table.name)} AS t WHERE NOT EXISTS (SELECT 1 FROM ${keep} AS k WHERE ${keys
      .map((key) => `k.${key} = t.${key}`)
      .join(" AND ")})`,
  );
  return removed.rowCount ?? 0;
}

/** Moves each serial column's sequence to the largest copied id, so new rows get new ids. */
async function resetSequences(client: pg.Client, table: Table): Promise<void> {
  for (const column of table.columns.filter((each) => each.serial)) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(column.name)}), 1), max(${quote(
        column.name,
      )}) IS NOT NULL) FROM ${quote(table.name)}`,
      [quote(table.name), column.name],
    );
  }
}
