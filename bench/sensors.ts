/**
 * Sensors (issue 21): what sensors and shippers cost the real server, all in
 * one run on one server (`next start`, fresh SQLite database, an ingest token):
 *
 * - GET /api/health, 8 requests in flight on keep-alive connections: the cost
 *   of a trivial request, the yardstick for a 1-event push;
 * - 1-event POSTs to /api/events (a Falco alert each, as Falcosidekick's
 *   webhook sends it), 8 in flight, keep-alive. Health and 1-event pushes are
 *   measured in two alternating halves, so a neighbour's load moves both alike;
 * - 100-event gzip NDJSON POSTs (as Fluent Bit and Vector send them), 8 in flight;
 * - one bulk file upload (`?filename=`, as `keelwatch ingest` sends it), with
 *   the server's peak RSS (VmHWM of its process tree: a high-water mark over
 *   the server's whole life, so it covers the pushes before the upload too).
 *
 * Every request must be answered 2xx with all its events accepted; anything
 * else is counted as failed and reported beside the figures.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { SensorsConfig } from "./config";
import { timed } from "./measure-child";
import { ensureScaleFiles } from "./scale-files";
import { postFile } from "./scaling";
import { falcoAlertMaker, falcosidekickBody, gzipBatches } from "./sensor-payloads";
import { createApiToken, startServer } from "./server";
import { type LatencySummary, summarize } from "./stats";

export const IN_FLIGHT = 8;
export const BATCH_SIZE = 100;

export interface LoadFigure {
  requests: number;
  /** Requests answered 2xx with every event accepted. */
  ok: number;
  events: number;
  millis: number;
  latency: LatencySummary;
  /** The first few failures, as "status: body". */
  failures: string[];
  failed: number;
}

export interface SensorsResult {
  health: LoadFigure;
  single: LoadFigure;
  batch: LoadFigure;
  bulk: { events: number; bytes: number; millis: number; accepted: number; alerts: number };
  idleRss: number;
  /** VmHWM before the bulk upload (health and pushes only) and after it. */
  peakRssBeforeBulk: number;
  peakRss: number;
}

interface Reply {
  status: number;
  body: string;
}

function send(agent: http.Agent, url: string, method: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<Reply>((resolve, reject) => {
    const request = http.request(url, { method, agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Events accepted according to a POST /api/events answer, or null when it is not a report. */
function acceptedEvents(reply: Reply): number | null {
  try {
    const report = JSON.parse(reply.body) as { events?: { accepted?: unknown } };
    return typeof report.events?.accepted === "number" ? report.events.accepted : null;
  } catch {
    return null;
  }
}

/**
 * `total` requests with `IN_FLIGHT` at a time: each worker takes the next
 * index when its previous request is answered. `request(i)` says how many
 * events the answer must accept (0 for a GET).
 */
async function load(
  total: number,
  first: number,
  request: (index: number) => Promise<{ reply: Reply; expected: number; accepted: number | null }>,
): Promise<LoadFigure> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let events = 0;
  let next = first;
  const end = first + total;
  const started = performance.now();
  const worker = async () => {
    while (next < end) {
      const index = next++;
      const sent = performance.now();
      try {
        const { reply, expected, accepted } = await request(index);
        latencies.push(performance.now() - sent);
        const good = reply.status >= 200 && reply.status < 300 && (expected === 0 || accepted === expected);
        if (good) events += expected;
        else {
          failed++;
          if (failures.length < 3) failures.push(`${reply.status} (accepted ${accepted}): ${reply.body.slice(0, 200)}`);
        }
      } catch (error) {
        failed++;
        if (failures.length < 3) failures.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const millis = performance.now() - started;
  return {
    requests: total,
    ok: total - failed,
    events,
    millis,
    latency: summarize(latencies.length > 0 ? latencies : [0]),
    failures,
    failed,
  };
}

/** Two halves of the same measurement as one figure. */
function combine(a: LoadFigure, b: LoadFigure): LoadFigure {
  return {
    requests: a.requests + b.requests,
    ok: a.ok + b.ok,
    events: a.events + b.events,
    millis: a.millis + b.millis,
    // Percentiles of the halves cannot be merged exactly; the larger of each is the honest bound.
    latency: {
      count: a.latency.count + b.latency.count,
      p50: Math.max(a.latency.p50, b.latency.p50),
      p95: Math.max(a.latency.p95, b.latency.p95),
      p99: Math.max(a.latency.p99, b.latency.p99),
      max: Math.max(a.latency.max, b.latency.max),
      mean: (a.latency.mean * a.latency.count + b.latency.mean * b.latency.count) / (a.latency.count + b.latency.count),
    },
    failures: [...a.failures, ...b.failures].slice(0, 3),
    failed: a.failed + b.failed,
  };
}

export async function runSensors(options: {
  root: string;
  port: number;
  config: SensorsConfig;
}): Promise<SensorsResult> {
  const { config } = options;
  const bulkFile = (await ensureScaleFiles([config.bulkEvents], options.root)).get(config.bulkEvents) as string;
  const batches = await timed(
    `${config.batchEvents / BATCH_SIZE} gzip NDJSON bodies of ${BATCH_SIZE} events`,
    async () => gzipBatches(config.batchEvents / BATCH_SIZE + IN_FLIGHT, BATCH_SIZE),
  );
  const falcoAlert = falcoAlertMaker(`bench-${Date.now()}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-bench-sensors-"));
  const databaseFile = path.join(dir, "keelwatch.db");
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    const token = await createApiToken(options.root, databaseFile, "ingest");
    const server = await startServer({ root: options.root, databaseFile, port: options.port });
    try {
      const idleRss = server.rss();
      const health = () =>
        send(agent, `${server.url}/api/health`, "GET", {}).then((reply) => ({ reply, expected: 0, accepted: null }));
      const push = (headers: Record<string, string>, body: Buffer, expected: number) =>
        send(
          agent,
          `${server.url}/api/events`,
          "POST",
          {
            authorization: `Bearer ${token}`,
            "content-length": String(body.length),
            ...headers,
          },
          body,
        ).then((reply) => ({ reply, expected, accepted: acceptedEvents(reply) }));
      const single = (index: number) =>
        push(
          { "content-type": "application/json", "user-agent": "Falcosidekick" },
          falcosidekickBody(falcoAlert(index)),
          1,
        );
      const batch = (index: number) =>
        push(
          { "content-type": "application/x-ndjson", "content-encoding": "gzip" },
          batches[index] as Buffer,
          BATCH_SIZE,
        );

      // Warm-up: the first requests of each route load its code; they are not counted.
      await load(IN_FLIGHT * 4, 0, health);
      await load(IN_FLIGHT * 2, 0, single);
      const halfHealth = Math.ceil(config.healthRequests / 2);
      const halfSingle = Math.ceil(config.singlePosts / 2);
      const singleStart = IN_FLIGHT * 2;
      const h1 = await timed(`GET /api/health ×${halfHealth}`, () => load(halfHealth, 0, health));
      const s1 = await timed(`1-event POST ×${halfSingle}`, () => load(halfSingle, singleStart, single));
      const h2 = await timed(`GET /api/health ×${halfHealth}`, () => load(halfHealth, 0, health));
      const s2 = await timed(`1-event POST ×${halfSingle}`, () => load(halfSingle, singleStart + halfSingle, single));
      await load(IN_FLIGHT, 0, batch);
      const batchCount = config.batchEvents / BATCH_SIZE;
      const batchFigure = await timed(`100-event gzip POST ×${batchCount}`, () => load(batchCount, IN_FLIGHT, batch));
      const peakRssBeforeBulk = server.peakRss();

      const bulk = await timed(`bulk upload of ${config.bulkEvents} events`, async () => {
        const started = performance.now();
        const reply = await postFile(server.url, token, bulkFile, path.basename(bulkFile));
        const millis = performance.now() - started;
        const report = JSON.parse(reply.body) as { events?: { accepted: number }; alerts?: { created: number } };
        if (reply.status !== 200 || !report.events) {
          throw new Error(`bulk upload answered ${reply.status}: ${reply.body.slice(0, 300)}`);
        }
        return {
          events: config.bulkEvents,
          bytes: fs.statSync(bulkFile).size,
          millis,
          accepted: report.events.accepted,
          alerts: report.alerts?.created ?? 0,
        };
      });
      return {
        health: combine(h1, h2),
        single: combine(s1, s2),
        batch: batchFigure,
        bulk,
        idleRss,
        peakRssBeforeBulk,
        peakRss: server.peakRss(),
      };
    } finally {
      await server.stop();
    }
  } finally {
    agent.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
