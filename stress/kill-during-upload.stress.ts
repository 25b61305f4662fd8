/**
 * kill -9 of the server at seeded random points during 20 uploads, restart,
 * re-upload what was cut off. Afterwards the database must hold what one clean
 * ingest of the same files holds: every event once, every alert once (same
 * dedup keys, same triggering events), and no upload still "receiving". No
 * event block is cut: every block holds exactly the documents of its events.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "@/bench/prng";
import { unpackBlock } from "@/lib/db/events/block-codec.mjs";
import { applyMigrations } from "@/lib/db/migrate";
import { writeUploadFiles } from "./events";
import { KeelwatchServer, prepareTestDatabase, sleep, withDatabase } from "./server";

const SEED = 0x5eed9;
const FILES = 20;
/** Two batches per upload (the batch size is 2,000), so a kill can fall between them. */
const EVENTS_PER_FILE = 2_600;
const KILL_SHARE = 0.4;
const BATCH = 2_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-kill-"));
const dbFile = path.join(dir, "server", "keelwatch.db");
const referenceFile = path.join(dir, "reference", "keelwatch.db");
const server = new KeelwatchServer({ dbFile });

afterAll(async () => {
  await server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface UploadResult {
  status: number;
  body: { status?: string; events?: { accepted: number; duplicate: number }; error?: { message: string } };
}

async function upload(file: string, token: string): Promise<UploadResult> {
  const response = await fetch(`${server.baseUrl}/api/events?filename=${path.basename(file)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body: fs.readFileSync(file),
  });
  return { status: response.status, body: (await response.json()) as UploadResult["body"] };
}

/**
 * The same files through the same ingest code, in this process, into a second
 * database, with no faults. Runs while the server is being killed: the machine
 * has two cores and the server uses one.
 */
async function referenceIngest(files: string[]): Promise<void> {
  applyMigrations(referenceFile);
  process.env.DATABASE_URL = `file:${referenceFile}`;
  const { installBuiltinRules } = await import("@/lib/app/builtin-rules");
  const { ingestEvents } = await import("@/lib/ingest/ingest");
  await installBuiltinRules();
  for (const file of files) {
    const report = await ingestEvents(fs.createReadStream(file), {
      fileName: path.basename(file),
      format: "auto",
      createdById: null,
    });
    if (report.status !== "done") throw new Error(`reference ingest of ${file} failed: ${report.failure}`);
  }
}

/** Events the server has stored for the upload of `fileName` still in progress. */
function storedSoFar(fileName: string): number {
  return withDatabase(
    dbFile,
    (db) =>
      db
        .prepare("SELECT coalesce(max(eventsAccepted), 0) FROM Upload WHERE fileName = ? AND status = 'receiving'")
        .pluck()
        .get(fileName) as number,
  );
}

/** Events by content hash, and alerts by dedup key with their triggering events in order. */
function snapshot(file: string) {
  return withDatabase(file, (db) => {
    const events = db.prepare("SELECT contentHash FROM Event ORDER BY contentHash").pluck().all() as string[];
    // group_concat follows the subquery's order: each alert's events by position.
    const alerts = db
      .prepare(
        `SELECT dedupKey, group_concat(contentHash, ',') AS events
         FROM (SELECT a.dedupKey, e.contentHash FROM Alert a
               JOIN AlertEvent ae ON ae.alertId = a.id JOIN Event e ON e.id = ae.eventId
               ORDER BY a.dedupKey, ae.position)
         GROUP BY dedupKey ORDER BY dedupKey`,
      )
      .all() as { dedupKey: string; events: string }[];
    const alertCount = db.prepare("SELECT count(*) FROM Alert").pluck().get() as number;
    const uploads = db.prepare("SELECT status, failureReason FROM Upload").all() as {
      status: string;
      failureReason: string | null;
    }[];
    return { events, alerts, alertCount, uploads };
  });
}

/**
 * Blocks that a kill cut short: a block whose events are not exactly positions
 * 0 … count-1, one that does not unpack, a document that is not its event's,
 * or an event with no block. Returns what is wrong, one line each.
 */
function brokenBlocks(file: string): string[] {
  return withDatabase(file, (db) => {
    const problems: string[] = [];
    const orphans = db.prepare(`SELECT count(*) FROM Event WHERE blockId IS NULL OR position IS NULL`).pluck().get();
    if (orphans) problems.push(`${orphans} events are in no block`);
    const blocks = db.prepare(`SELECT id, codec, data, checksum, count, liveCount FROM EventBlock`).all() as {
      id: number;
      codec: string;
      data: Buffer;
      checksum: number;
      count: number;
      liveCount: number;
    }[];
    const eventsOf = db.prepare(`SELECT position, timestamp FROM Event WHERE blockId = ? ORDER BY position`);
    for (const block of blocks) {
      const events = eventsOf.all(block.id) as { position: number; timestamp: string }[];
      if (events.length !== block.count || block.liveCount !== block.count) {
        problems.push(`block ${block.id}: ${events.length} events for ${block.count} positions`);
        continue;
      }
      const unpacked = unpackBlock(block);
      events.forEach((event, index) => {
        const text = unpacked.document(event.position);
        const time = text ? (JSON.parse(text) as { "@timestamp"?: string })["@timestamp"] : undefined;
        if (event.position !== index || !time || new Date(time).getTime() !== new Date(event.timestamp).getTime()) {
          problems.push(`block ${block.id}: position ${event.position} does not hold its event`);
        }
      });
    }
    return problems;
  });
}

describe("kill -9 during uploads", () => {
  it("stores every event and alert exactly once and leaves no upload in progress", async () => {
    const files = writeUploadFiles(path.join(dir, "files"), FILES, EVENTS_PER_FILE, SEED);
    const token = prepareTestDatabase(dbFile);
    const reference = referenceIngest(files);
    reference.catch(() => {});
    const prng = new Prng(SEED);
    await server.start();

    let interrupted = 0;
    let retriedWithDuplicates = 0;
    // How long a clean upload takes here; kills are spread over that window.
    let typicalMs = 3_000;
    const log: string[] = [];
    for (const file of files) {
      const kill = prng.chance(KILL_SHARE);
      // Half the kills fall anywhere in a typical upload's time (mostly before the
      // first batch is stored); the other half a little after the first batch
      // commits, however fast this machine is, so the retry finds stored events.
      const afterBatch = prng.chance(0.5);
      const killAfterMs = afterBatch
        ? prng.int(0, 150)
        : prng.int(Math.round(typicalMs * 0.1), Math.round(typicalMs * 1.05));
      const started = Date.now();
      const attempt = upload(file, token).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      if (kill) {
        const name = path.basename(file);
        const firstBatch = async () => {
          while (!(await Promise.race([attempt.then(() => true), sleep(20).then(() => false)]))) {
            if (storedSoFar(name) >= BATCH) return;
          }
        };
        await Promise.race([attempt, (afterBatch ? firstBatch() : Promise.resolve()).then(() => sleep(killAfterMs))]);
        await server.kill();
        const outcome = await attempt;
        await server.start();
        // Start-up has already marked whatever the kill cut off as failed.
        expect(
          withDatabase(dbFile, (db) =>
            db.prepare("SELECT count(*) FROM Upload WHERE status = 'receiving'").pluck().get(),
          ),
        ).toBe(0);
        if (outcome.ok) {
          // The upload finished before the kill.
          expect(outcome.result.status, JSON.stringify(outcome.result.body)).toBe(200);
          log.push(
            `${path.basename(file)}: finished before the kill (${afterBatch ? "first batch + " : ""}${killAfterMs} ms)`,
          );
          continue;
        }
        interrupted++;
        // Start-up marked the cut-off upload failed; sending the file again completes it.
        const retry = await upload(file, token);
        expect(retry.status, JSON.stringify(retry.body)).toBe(200);
        expect(retry.body.events?.accepted).toBe(EVENTS_PER_FILE);
        const duplicate = retry.body.events?.duplicate ?? 0;
        if (duplicate > 0) retriedWithDuplicates++;
        log.push(
          `${path.basename(file)}: killed after ${afterBatch ? "first batch + " : ""}${killAfterMs} ms, retry found ${duplicate} events stored`,
        );
      } else {
        const outcome = await attempt;
        if (!outcome.ok) throw outcome.error;
        expect(outcome.result.status, JSON.stringify(outcome.result.body)).toBe(200);
        typicalMs = Date.now() - started;
      }
    }
    await server.stop();
    await reference;
    console.log(`kill -9 runs (typical upload ${typicalMs} ms):\n${log.join("\n")}`);

    // The seed must really interrupt uploads, some of them after a batch was stored.
    expect(interrupted).toBeGreaterThanOrEqual(4);
    expect(retriedWithDuplicates).toBeGreaterThanOrEqual(1);

    const got = snapshot(dbFile);
    const want = snapshot(referenceFile);
    expect(want.events.length).toBe(FILES * EVENTS_PER_FILE);
    expect(got.events.length).toBe(want.events.length);
    expect(new Set(got.events).size).toBe(got.events.length);
    expect(got.events).toEqual(want.events);
    expect(want.alertCount).toBeGreaterThan(FILES);
    expect(got.alertCount).toBe(want.alertCount);
    expect(got.alerts).toEqual(want.alerts);
    expect(brokenBlocks(dbFile)).toEqual([]);

    // Each attempt made at most one upload row. A kill can land after the server
    // finished an upload but before the client read the answer, so an
    // interrupted attempt may also have ended "done".
    const statuses = got.uploads.map((row) => row.status);
    expect(statuses).not.toContain("receiving");
    expect(got.uploads.length).toBeLessThanOrEqual(FILES + interrupted);
    const done = statuses.filter((status) => status === "done").length;
    expect(done).toBeGreaterThanOrEqual(FILES);
    const failed = got.uploads.filter((row) => row.status === "failed");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const row of failed) expect(row.failureReason).toMatch(/^interrupted: /);
  });
});
