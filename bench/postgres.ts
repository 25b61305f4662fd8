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
