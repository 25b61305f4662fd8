/**
 * Two instances on one PostgreSQL database (issue 22): kill -9 of instance 1
 * in the middle of a large upload, then the same file sent again through
 * instance 2. Afterwards the database must hold what one clean ingest of the
 * file holds: every line's event once, every alert once (same dedup keys,
 * same triggering events, same suppressed counts). The cut-off upload stays
 * "receiving" until its lease has expired, and instance 2 then marks it
 * interrupted.
 *
 * Instance 1 runs in a PID namespace of its own, as if on another machine:
 * otherwise instance 2 would see at once that the lease holder's process has
 * ended (lib/db/upload-leases.ts) and never wait for the lease. Both run with
 * a short lease (KEELWATCH_UPLOAD_LEASE_MS) so the wait takes seconds.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PID_SPACE_PREFIX } from "@/lib/db/upload-leases";
import { writeUploadFiles } from "./events";
import { addPostgresApiToken, type Instances, inOwnPidNamespace, startInstances, withPostgres } from "./postgresql";
import { send, sleep } from "./server";

const SEED = 0x22a;
/** Six writer batches (2,000 events each): the kill falls after two of them are committed. */
const EVENTS = 12_000;
const BATCH = 2_000;
/** What instance 1 receives before its client holds the rest back: the kill is surely mid-upload. */
const SENT_SHARE = 0.6;
const LEASE_MS = 8_000;
const SECRET_KEY = "stress-postgresql-reference";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-pg-kill-"));
let instances: Instances | null = null;
let referenceOpen = false;

afterAll(async () => {
  for (const server of instances?.servers ?? []) await server.kill();
  if (referenceOpen) {
    const { prisma } = await import("@/lib/db/client");
    const { closePostgresBatchWriter } = await import("@/lib/db/dialect/postgresql/batch-writer");
    await prisma().$disconnect();
    await closePostgresBatchWriter();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

interface UploadAnswer {
  status?: string;
  events?: { accepted: number; duplicate: number };
  error?: { message: string };
}

/** The file as a client sends it piece by piece; it holds back what follows `cut` until `held` settles. */
async function* sendUpTo(bytes: Buffer, cut: number, held: Promise<void>): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < cut; offset += 64 * 1024)
    yield bytes.subarray(offset, Math.min(offset + 64 * 1024, cut));
  await held;
}

/**
 * The same file through the same ingest code, in this process, into a database of its own, with no faults: what
 * the two instances together must have stored.
 */
async function referenceIngest(file: string): Promise<string> {
  const { createTestPostgresDatabase } = await import("@/lib/db/dialect/postgresql/test-cluster");
  const url = await createTestPostgresDatabase("stress_ref");
  process.env.DATABASE_URL = url;
  process.env.KEELWATCH_SECRET_KEY = SECRET_KEY;
  referenceOpen = true;
  const { prepareDatabase } = await import("@/lib/db/prepare");
  const { installBuiltinRules } = await import("@/lib/app/builtin-rules");
  const { ingestEvents } = await import("@/lib/ingest/ingest");
  await prepareDatabase();
  await installBuiltinRules();
  const report = await ingestEvents(fs.createReadStream(file), {
    fileName: path.basename(file),
    format: "auto",
    createdById: null,
  });
  if (report.status !== "done") throw new Error(`reference ingest failed: ${report.failure}`);
  return url;
}

/** Events by content hash, and alerts by dedup key with their suppressed count and triggering events in order. */
function snapshot(url: string) {
  return withPostgres(url, async (client) => {
    const events = (
      await client.query<{ contentHash: string }>(`SELECT "contentHash" FROM "Event" ORDER BY "contentHash"`)
    ).rows.map((row) => row.contentHash);
    const alerts = (
      await client.query<{ dedupKey: string; suppressedCount: number; events: string }>(
        `SELECT a."dedupKey", a."suppressedCount",
           string_agg(e."contentHash", ',' ORDER BY ae."position") AS "events"
         FROM "Alert" a LEFT JOIN "AlertEvent" ae ON ae."alertId" = a."id" LEFT JOIN "Event" e ON e."id" = ae."eventId"
         GROUP BY a."id" ORDER BY a."dedupKey"`,
      )
    ).rows;
    return { events, alerts };
  });
}

describe("two instances on one PostgreSQL database: kill -9 during an upload", () => {
  it("stores every event and alert once after the file is sent again through the other instance", async () => {
    const [file] = writeUploadFiles(path.join(dir, "files"), 1, EVENTS, SEED) as [string];
    const fileName = path.basename(file);
    const bytes = fs.readFileSync(file);
    instances = await startInstances(2, (index) => ({
      env: { KEELWATCH_UPLOAD_LEASE_MS: String(LEASE_MS) },
      ...(index === 0 ? { wrap: inOwnPidNamespace } : {}),
    }));
    const { url, servers } = instances;
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const token = await addPostgresApiToken(url, "admin");
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" };

    // Instance 1 receives most of the file; the client holds the rest back, and instance 1 is killed once it has
    // committed two batches.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cut = Math.floor(bytes.length * SENT_SHARE);
    const attempt = send("POST", `${first.baseUrl}/api/events?filename=${fileName}`, {
      headers,
      body: sendUpTo(bytes, cut, held),
    }).then(
      (answer) => ({ answered: true as const, answer }),
      () => ({ answered: false as const }),
    );
    const cutOff = () =>
      withPostgres(url, async (client) => {
        const { rows } = await client.query<{
          id: string;
          status: string;
          eventsAccepted: number;
          leaseHolder: string | null;
          leaseExpiresAt: Date | null;
          finishedAt: Date | null;
          failureReason: string | null;
        }>(
          `SELECT "id", "status", "eventsAccepted", "leaseHolder", "leaseExpiresAt", "finishedAt", "failureReason"
           FROM "Upload" WHERE "fileName" = $1 ORDER BY "createdAt" LIMIT 1`,
          [fileName],
        );
        return rows[0];
      });
    let settled = false;
    void attempt.then(() => {
      settled = true;
    });
    for (;;) {
      const row = await cutOff();
      if (row && row.eventsAccepted >= 2 * BATCH) break;
      // An upload refused or failed before the kill: its answer says why.
      if (settled) throw new Error(`instance 1 ended the upload early: ${JSON.stringify(await attempt)}`);
      await sleep(20);
    }
    await first.kill();
    release();
    const outcome = await attempt;
    expect(outcome.answered, "instance 1 answered an upload it had not fully received").toBe(false);

    // What the kill left: a "receiving" row whose lease no process here can vouch for, and exactly the events of
    // its committed batches (each batch's events and progress are one transaction).
    const killed = await cutOff();
    if (!killed) throw new Error("the cut-off upload has no row");
    expect(killed.status).toBe("receiving");
    expect(killed.leaseHolder?.startsWith(PID_SPACE_PREFIX)).toBe(false);
    const leaseExpiresAt = killed.leaseExpiresAt;
    if (!leaseExpiresAt) throw new Error("the cut-off upload holds no lease");
    const storedBefore = await withPostgres(url, async (client) => {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) AS "count" FROM "Event" WHERE "uploadId" = $1`,
        [killed.id],
      );
      return Number(rows[0]?.count);
    });
    expect(storedBefore).toBe(killed.eventsAccepted);
    expect(storedBefore % BATCH).toBe(0);
    expect(storedBefore).toBeLessThan(EVENTS);

    // The same file through instance 2, while instance 1's lease still runs or just after.
    const retry = await send("POST", `${second.baseUrl}/api/events?filename=${fileName}`, { headers, body: bytes });
    expect(retry.status, retry.text.slice(0, 500)).toBe(200);
    const report = JSON.parse(retry.text) as UploadAnswer;
    expect(report.status).toBe("done");
    expect(report.events).toMatchObject({ accepted: EVENTS, duplicate: storedBefore });

    // The clean ingest runs in this process while instance 2's sweep waits for the lease to lapse.
    const reference = referenceIngest(file);
    reference.catch(() => {});
    let marked = killed;
    while (marked.status === "receiving") {
      await sleep(200);
      marked = (await cutOff()) ?? marked;
    }
    expect(marked.status).toBe("failed");
    expect(marked.failureReason).toBe("interrupted: the server stopped during the upload");
    expect(marked.finishedAt?.getTime()).toBeGreaterThan(leaseExpiresAt.getTime());
    // Instance 2's periodic sweep marked it: nothing else ran against the database meanwhile.
    expect(second.output.join("\n")).toContain("marked 1 interrupted upload(s) as failed (their lease expired)");

    const referenceUrl = await reference;
    const got = await snapshot(url);
    const want = await snapshot(referenceUrl);
    // Every line of the file stored once, over the two uploads.
    const lines = await withPostgres(url, async (client) => {
      const { rows } = await client.query<{ line: number; copies: string }>(
        `SELECT "line", count(*) AS "copies" FROM "Event" GROUP BY "line" ORDER BY "line"`,
      );
      return rows;
    });
    expect(lines).toHaveLength(EVENTS);
    expect(lines.filter((row) => Number(row.copies) !== 1)).toEqual([]);
    expect(lines[0]?.line).toBe(1);
    expect(lines.at(-1)?.line).toBe(EVENTS);
    expect(want.events).toHaveLength(EVENTS);
    expect(got.events).toEqual(want.events);
    // Alerts: the same ones, each once, with the same events and suppressed counts.
    expect(want.alerts.length).toBeGreaterThan(10);
    expect(new Set(got.alerts.map((alert) => alert.dedupKey)).size).toBe(got.alerts.length);
    expect(got.alerts).toEqual(want.alerts);
    const statuses = await withPostgres(url, async (client) => {
      const { rows } = await client.query<{ status: string }>(`SELECT "status" FROM "Upload" ORDER BY "status"`);
      return rows.map((row) => row.status);
    });
    expect(statuses).toEqual(["done", "failed"]);
    console.log(
      `pg kill -9: ${storedBefore} of ${EVENTS} events stored before the kill, ${got.alerts.length} alerts; ` +
        `the lease expired ${leaseExpiresAt.toISOString()}, marked ${marked.finishedAt?.toISOString()}`,
    );
  });
});
