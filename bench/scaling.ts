/**
 * Scaling: the same work at growing input sizes, measured as a user sees it.
 *
 * - `keelwatch eql` (bin/keelwatch, a seed rule's query, --stats) and
 *   `keelwatch detect` (built-in rules) as separate processes on the
 *   generated NDJSON file: wall time and the process tree's peak RSS;
 * - the floor for each size: split + JSON.parse of the same file in a fresh
 *   node (bench/measure.ts), to which eql's own elapsed time is compared;
 * - HTTP ingest: POST /api/events of the file (and of its gzip) to the real
 *   server (`next start`) on a fresh database in a temporary folder, with an
 *   ingest API token; events/s and the server's peak RSS.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseStats } from "../lib/cli/commands/eql";
import type { PassResult } from "./measure";
import { runMeasure, timed } from "./measure-child";
import { describeFailure, runCommand } from "./processes";
import { ensureGzipFile, ensureScaleFiles } from "./scale-files";
import { createApiToken, startServer } from "./server";
import type { ScalePoint } from "./stats";

export interface CliPoint extends ScalePoint {
  /** Lines the command printed (matches or alerts). */
  outputs: number;
  /** eql only: its own --stats (elapsed excludes process start-up; peak RSS is its own maxRSS). */
  selfMillis?: number;
  selfPeakRss?: number;
}

export interface IngestPoint extends ScalePoint {
  gzip: boolean;
  bytes: number;
  accepted: number;
  alerts: number;
  /** The server's resident set once ready, before the upload, bytes. */
  idleRss: number;
}

export interface ScalingResult {
  eqlRule: { name: string; query: string };
  /** Wall time of each command on a one-event file: process and tsx start-up, which linearity leaves out. */
  startupMillis: { eql: number; detect: number };
  floor: (PassResult & { file: string; bytes: number })[];
  eql: CliPoint[];
  detect: CliPoint[];
  ingest: IngestPoint[];
  /** Measurements that could not be made (a crash, a refused upload), with the reason. */
  failures: { what: string; error: string }[];
}

export interface ScalingOptions {
  root: string;
  scales: number[];
  ingestScales: number[];
  gzipScales: number[];
  port: number;
  eqlRule: { name: string; query: string };
}

function keelwatch(root: string): string {
  return path.join(root, "bin", "keelwatch");
}

async function runEql(root: string, file: string, events: number, query: string): Promise<CliPoint> {
  const run = await runCommand(keelwatch(root), ["eql", "--events", file, "--query", query, "--stats"], { cwd: root });
  if (run.code !== 0) throw new Error(`keelwatch eql ${describeFailure(run)}`);
  const stats = parseStats(run.stderr);
  if (!stats) throw new Error(`keelwatch eql printed no stats line; stderr ends: ${run.stderr.slice(-300)}`);
  if (stats.eventsRead !== events) throw new Error(`keelwatch eql read ${stats.eventsRead} of ${events} events`);
  return {
    events,
    millis: run.millis,
    peakRss: Math.max(run.peakRss, stats.peakRssBytes),
    outputs: run.stdoutLines,
    selfMillis: stats.elapsedMs,
    selfPeakRss: stats.peakRssBytes,
  };
}

async function runDetect(root: string, file: string, events: number): Promise<CliPoint> {
  const run = await runCommand(keelwatch(root), ["detect", "--events", file], { cwd: root });
  if (run.code !== 0) throw new Error(`keelwatch detect ${describeFailure(run)}`);
  return { events, millis: run.millis, peakRss: run.peakRss, outputs: run.stdoutLines };
}

interface UploadReply {
  status: number;
  body: string;
}

/** Streams `file` as the body of POST /api/events (no client timeout: a 4M-event upload takes minutes). */
export function postFile(url: string, token: string, file: string, fileName: string): Promise<UploadReply> {
  const bytes = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/api/events?filename=${encodeURIComponent(fileName)}`,
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/x-ndjson",
          "Content-Length": String(bytes),
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => {
          body += text;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    fs.createReadStream(file).on("error", reject).pipe(request);
  });
}

interface ReplyReport {
  bytes?: number;
  errorCount?: number;
  events: { accepted: number };
  alerts: { created: number };
}

function parseReply(reply: UploadReply): ReplyReport | null {
  try {
    const body = JSON.parse(reply.body) as Partial<ReplyReport>;
    return body.events && body.alerts ? (body as ReplyReport) : null;
  } catch {
    return null;
  }
}

/**
 * POSTs `file` (of `events` events) and checks the reply: 200, every byte read and every event accepted.
 * Returns the time until the report came back and the alerts it created.
 */
export async function uploadFile(
  url: string,
  token: string,
  file: string,
  events: number,
): Promise<{ millis: number; alerts: number }> {
  const started = performance.now();
  const reply = await postFile(url, token, file, path.basename(file));
  const millis = performance.now() - started;
  const sent = fs.statSync(file).size;
  const report = parseReply(reply);
  // Diagnose the known way to lose data before the route sees it: a body cut short on the way in.
  if (report && report.bytes !== undefined && report.bytes < sent) {
    throw new Error(
      `the server read ${count(report.bytes)} of the ${count(sent)} bytes sent and answered ${reply.status} ` +
        `(${report.errorCount ?? "?"} bad lines): the request body was cut short before the route ` +
        "(Next's proxy buffers bodies up to experimental.proxyClientMaxBodySize, 10 MB by default)",
    );
  }
  if (reply.status !== 200 || !report) {
    throw new Error(`POST /api/events answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  }
  if (report.events.accepted !== events) {
    throw new Error(`bench: the server accepted ${report.events.accepted} of ${events} events`);
  }
  return { millis, alerts: report.alerts.created };
}

async function runIngest(options: ScalingOptions, file: string, events: number, gzip: boolean): Promise<IngestPoint> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-bench-ingest-"));
  const databaseFile = path.join(dir, "keelwatch.db");
  try {
    const token = await createApiToken(options.root, databaseFile, "ingest");
    const server = await startServer({ root: options.root, databaseFile, port: options.port });
    try {
      const idleRss = server.rss();
      const upload = await uploadFile(server.url, token, file, events);
      return {
        events,
        millis: upload.millis,
        peakRss: server.peakRss(),
        gzip,
        bytes: fs.statSync(file).size,
        accepted: events,
        alerts: upload.alerts,
        idleRss,
      };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const count = (n: number) => n.toLocaleString("en-US");

export async function runScaling(options: ScalingOptions): Promise<ScalingResult> {
  const all = [...new Set([1, ...options.scales, ...options.ingestScales, ...options.gzipScales])];
  const files = await timed(`scale files (${all.map(count).join(", ")} events)`, () =>
    ensureScaleFiles(all, options.root),
  );
  const fileFor = (events: number) => files.get(events) as string;
  const tiny = fileFor(1);
  const startupMillis = await timed("start-up of keelwatch eql and detect (one event)", async () => ({
    eql: (await runEql(options.root, tiny, 1, options.eqlRule.query)).millis,
    detect: (await runDetect(options.root, tiny, 1)).millis,
  }));
  const result: ScalingResult = {
    eqlRule: options.eqlRule,
    startupMillis,
    floor: [],
    eql: [],
    detect: [],
    ingest: [],
    failures: [],
  };
  /** One measurement that may fail without losing the others: the failure is recorded and the run goes on. */
  const attempt = async <T>(what: string, work: () => Promise<T>, keep: (value: T) => void): Promise<void> => {
    try {
      keep(await timed(what, work));
    } catch (error) {
      const message = (error as Error).message;
      process.stderr.write(`bench: ${what}: ${message}\n`);
      result.failures.push({ what, error: message.split("\n")[0] ?? message });
    }
  };

  for (const events of options.scales) {
    const file = fileFor(events);
    // Read the file once first, so the floor does not pay for the disk when the others are served from cache.
    await runMeasure<PassResult>({ kind: "io", file, events });
    const bytes = fs.statSync(file).size;
    await attempt(
      `floor: split + JSON.parse, ${count(events)}`,
      () => runMeasure<PassResult>({ kind: "parse", file, events }),
      (floor) => result.floor.push({ ...floor, file: path.relative(options.root, file), bytes }),
    );
    await attempt(
      `keelwatch eql, ${count(events)}`,
      () => runEql(options.root, file, events, options.eqlRule.query),
      (point) => result.eql.push(point),
    );
    await attempt(
      `keelwatch detect, ${count(events)}`,
      () => runDetect(options.root, file, events),
      (point) => result.detect.push(point),
    );
  }
  for (const events of options.ingestScales) {
    await attempt(
      `HTTP ingest, ${count(events)}`,
      () => runIngest(options, fileFor(events), events, false),
      (point) => result.ingest.push(point),
    );
  }
  for (const events of options.gzipScales) {
    await attempt(
      `HTTP ingest, gzip, ${count(events)}`,
      async () => runIngest(options, await ensureGzipFile(fileFor(events)), events, true),
      (point) => result.ingest.push(point),
    );
  }
  return result;
}
