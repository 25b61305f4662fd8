/**
 * The bench's PostgreSQL: one throw-away cluster for the whole run (scripts/pg-cluster.mjs, ports from
 * KEELWATCH_PG_PORTS), started when a part first asks for a database and stopped at the end of the run (or, if
 * the run is killed, by the cluster's reaper when this process ends). Each case gets a new database on it.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { type PostgresCluster, startCluster } from "../scripts/pg-cluster.mjs";

let started: Promise<PostgresCluster> | undefined;
let databases = 0;

function benchCluster(): Promise<PostgresCluster> {
  started ??= startCluster();
  return started;
}

/** A new, empty database on the run's cluster (started on first use); its URL. */
export async function freshPostgresDatabase(purpose: string): Promise<string> {
  const cluster = await benchCluster();
  databases++;
  return cluster.createDatabase(`bench_${purpose}_${databases}`);
}

/** The cluster's postmaster, whose process tree holds every backend serving the app. */
export async function postmasterPid(): Promise<number> {
  const cluster = await benchCluster();
  const pid = Number(fs.readFileSync(path.join(cluster.data, "postmaster.pid"), "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bench: no postmaster pid in ${cluster.data}`);
  return pid;
}

/** Runs one SQL statement on `url` on a connection of its own. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Runs `work` (a bulk load) with the secondary indexes of `tables` dropped, then makes them again from their own
 * definitions: PostgreSQL builds an index by sorting once, far faster than updating each B-tree and pg_trgm GIN
 * index row by row. Indexes behind constraints (primary keys, which the load's upserts need) stay.
 */
export async function withoutSecondaryIndexes<T>(url: string, tables: string[], work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
      [tables],
    );
    for (const index of rows) await client.query(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
    const result = await work();
    // More memory for the sorts than the default 64 MB makes the larger indexes build in one pass.
    await client.query("SET maintenance_work_mem = '512MB'");
    for (const index of rows) await client.query(index.definition);
    return result;
  } finally {
    await client.end();
  }
}

/** The database's size on disk (pg_database_size), bytes. */
export async function databaseBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
    return Number(result.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/** Stops the run's cluster if one was started. */
export async function stopBenchCluster(): Promise<void> {
  if (!started) return;
  const cluster = await started;
  started = undefined;
  cluster.stop();
}
