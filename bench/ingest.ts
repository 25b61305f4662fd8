/**
 * HTTP ingest on each database, the same cases side by side (issue 22):
 *
 * - one instance: `next start` on a fresh database, one upload of the N-event file (POST /api/events with an
 *   ingest token): events/s and the server's peak RSS;
 * - two instances: two servers on one fresh database, each receiving one half of the same file at the same time:
 *   events/s of each and of both together.
 *
 * During each case the CPU time of the server(s) and of PostgreSQL (the postmaster's tree: every backend) is
 * sampled before and after from /proc (bench/cpu.ts), so the report can say where the work went, and the load
 * average is read at the end, since the machine is shared.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchDatabase } from "./config";
import { loadAverage, treeCpuSeconds } from "./cpu";
import { timed } from "./measure-child";
import { freshPostgresDatabase, postmasterPid } from "./postgres";
import { ensureHalfFiles, ensureScaleFiles } from "./scale-files";
import { uploadFile } from "./scaling";
import { type BenchServer, createApiToken, startServer } from "./server";

export interface InstanceUpload {
  events: number;
  millis: number;
  /** The server's peak RSS (largest VmHWM in its tree), start-up included, bytes. */
  peakRss: number;
  idleRss: number;
  alerts: number;
}

export interface IngestCase {
  database: BenchDatabase;
  instances: InstanceUpload[];
  /** From the first upload's start to the last one's reply. */
  wallMillis: number;
  /** CPU seconds spent during the uploads by the app servers (all of them) and by PostgreSQL (null on SQLite). */
  appCpuSeconds: number;
  postgresCpuSeconds: number | null;
  /** /proc/loadavg (1, 5, 15 min) right after the uploads. */
  loadAverage: string;
}

export interface IngestResult {
  events: number;
  cases: IngestCase[];
  failures: { what: string; error: string }[];
}

export interface IngestOptions {
  root: string;
  databases: BenchDatabase[];
  events: number;
  /** The first instance's port; the second listens on the next one. */
  port: number;
}

/** A fresh database of the kind asked for: a file in `dir`, or a new database on the run's cluster. */
async function freshDatabase(database: BenchDatabase, dir: string, purpose: string): Promise<string> {
  return database === "sqlite" ? path.join(dir, "keelwatch.db") : freshPostgresDatabase(purpose);
}

async function runCase(options: IngestOptions, database: BenchDatabase, files: string[]): Promise<IngestCase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-bench-db-ingest-"));
  const servers: BenchServer[] = [];
  try {
    const target = await freshDatabase(database, dir, "ingest");
    const token = await createApiToken(options.root, target, "ingest");
    // One after the other: the first start migrates (a new database), the second finds it done.
    for (const [i] of files.entries()) {
      servers.push(await startServer({ root: options.root, databaseFile: target, port: options.port + i }));
    }
    const postgres = database === "postgresql" ? await postmasterPid() : null;
    const idle = servers.map((server) => server.rss());
    const appBefore = servers.reduce((sum, server) => sum + treeCpuSeconds(server.pid), 0);
    const postgresBefore = postgres === null ? null : treeCpuSeconds(postgres);
    const started = performance.now();
    const uploads = await Promise.all(
      files.map((file, i) => {
        const server = servers[i] as BenchServer;
        // A failed upload says why in the server's output, which would be gone once it stops.
        return uploadFile(server.url, token, file, lineCount(options, files)).catch((error: Error) => {
          throw new Error(`${error.message}\n--- output of server #${i + 1} ---\n${server.log().slice(-3000)}`);
        });
      }),
    );
    const wallMillis = performance.now() - started;
    const appCpuSeconds = servers.reduce((sum, server) => sum + treeCpuSeconds(server.pid), 0) - appBefore;
    const postgresCpuSeconds =
      postgres === null || postgresBefore === null ? null : treeCpuSeconds(postgres) - postgresBefore;
    return {
      database,
      instances: uploads.map((upload, i) => ({
        events: lineCount(options, files),
        millis: upload.millis,
        peakRss: (servers[i] as BenchServer).peakRss(),
        idleRss: idle[i] as number,
        alerts: upload.alerts,
      })),
      wallMillis,
      appCpuSeconds,
      postgresCpuSeconds,
      loadAverage: loadAverage(),
    };
  } finally {
    for (const server of servers) await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Events in each file of a case: the whole count for one file, half of it each for two. */
function lineCount(options: IngestOptions, files: string[]): number {
  return files.length === 1 ? options.events : options.events / 2;
}

export async function runDatabaseIngest(options: IngestOptions): Promise<IngestResult> {
  const whole = (await ensureScaleFiles([options.events], options.root)).get(options.events) as string;
  const halves = await timed("the events file's two halves", () => ensureHalfFiles(options.events, options.root));
  const result: IngestResult = { events: options.events, cases: [], failures: [] };
  const count = options.events.toLocaleString("en-US");
  for (const database of options.databases) {
    for (const [what, files] of [
      [`${database}: one instance, ${count} events`, [whole]],
      [`${database}: two instances, ${(options.events / 2).toLocaleString("en-US")} events each at once`, halves],
    ] as const) {
      try {
        result.cases.push(await timed(what, () => runCase(options, database, [...files])));
      } catch (error) {
        const message = (error as Error).message;
        process.stderr.write(`bench: ${what}: ${message}\n`);
        result.failures.push({ what, error: message.split("\n")[0] ?? message });
      }
    }
  }
  return result;
}
