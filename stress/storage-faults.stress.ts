/**
 * A locked database, a read-only database file and a full disk, each under the
 * real server: the uploading client gets a clear JSON error (status, code,
 * message), no batch is half-written, and the server goes on serving reads.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeUploadFiles } from "./events";
import { mountReadOnly, mountsAvailable, mountTmpfs, resizeTmpfs, unmount } from "./mounts";
import { KeelwatchServer, prepareTestDatabase, send, sleep, withDatabase } from "./server";

const SEED = 0xfa17;
const BATCH = 2_000;
/** Two batches, below the 10 MB the proxy lets through. */
const EVENTS_PER_FILE = 2 * BATCH;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-storage-"));
const seeded = path.join(dir, "seeded", "keelwatch.db");
const canMount = mountsAvailable();
if (!canMount) console.warn("storage faults: the read-only and disk-full tests are skipped: mount needs root here");
const mounted: string[] = [];
let files: string[] = [];
let token = "";
let sessionCookie = "";
const ADMIN_PASSWORD = "stress-admin-password-1";
let server: KeelwatchServer | null = null;

beforeAll(async () => {
  files = writeUploadFiles(path.join(dir, "files"), 4, EVENTS_PER_FILE, SEED);
  // A database with the built-in rules, some alerts and a signed-in session, copied for each scenario.
  token = prepareTestDatabase(seeded);
  const first = new KeelwatchServer({
    dbFile: seeded,
    env: { NODE_ENV: "production", KEELWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
  await first.start();
  const response = await upload(first, files[0] as string);
  expect(response.status).toBe(200);
  const login = await signIn(first);
  expect(login.status, login.text).toBe(200);
  sessionCookie = /keelwatch_session=[^;]+/.exec(login.cookie ?? "")?.[0] ?? "";
  expect(sessionCookie).not.toBe("");
  await first.stop();
  withDatabase(seeded, (db) => {
    // Due for its "last seen" refresh, which a read-only server must skip without failing the request.
    db.prepare("UPDATE Session SET lastSeenAt = ?").run(new Date(Date.now() - 60 * 60 * 1000).toISOString());
    db.pragma("wal_checkpoint(TRUNCATE)");
  });
});

afterEach(async (context) => {
  if (context.task.result?.state === "fail" && server) {
    console.log(`server output:\n${server.output.slice(-40).join("\n")}`);
  }
  await server?.kill();
  server = null;
});

afterAll(async () => {
  await server?.kill();
  for (const target of mounted.reverse()) unmount(target);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the seeded database in `folder`, and a server on it. */
async function serverOn(folder: string, copy = true, startTimeoutMs?: number): Promise<KeelwatchServer> {
  await server?.kill();
  const dbFile = path.join(folder, "keelwatch.db");
  if (copy) fs.copyFileSync(seeded, dbFile);
  server = new KeelwatchServer({ dbFile, ...(startTimeoutMs ? { startTimeoutMs } : {}) });
  await server.start();
  return server;
}

type ErrorBody = { error?: { code: string; message: string }; events?: { accepted: number; duplicate: number } };

async function upload(
  target: KeelwatchServer,
  file: string,
  body: Buffer | AsyncIterable<Buffer> = fs.readFileSync(file),
): Promise<{ status: number; body: ErrorBody }> {
  const response = await send("POST", `${target.baseUrl}/api/events?filename=${path.basename(file)}`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body,
  });
  return { status: response.status, body: JSON.parse(response.text) as ErrorBody };
}

/** The file's first `lines` lines, then (once `between` resolves) the rest: one request body. */
async function* sentInTwoParts(file: string, lines: number, between: () => Promise<void>): AsyncGenerator<Buffer> {
  const text = fs.readFileSync(file);
  let end = 0;
  for (let line = 0; line < lines; line++) end = text.indexOf(0x0a, end) + 1;
  yield text.subarray(0, end);
  await between();
  yield text.subarray(end);
}

/** POST /api/auth/login as the admin; `cookie` is the Set-Cookie header. */
function signIn(target: KeelwatchServer): Promise<{ status: number; text: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ username: "admin", password: ADMIN_PASSWORD });
    const request = http.request(
      `${target.baseUrl}/api/auth/login`,
      { method: "POST", headers: { "content-type": "application/json" }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            cookie: response.headers["set-cookie"]?.join("; "),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

function readAlerts(target: KeelwatchServer) {
  return send("GET", `${target.baseUrl}/api/alerts?limit=5`, { headers: { authorization: `Bearer ${token}` } });
}

/** The alert list still answers (and lists the seeded alerts). */
async function expectReadsServed(target: KeelwatchServer): Promise<void> {
  const response = await readAlerts(target);
  expect(response.status, response.text).toBe(200);
  expect((JSON.parse(response.text) as { items: unknown[] }).items.length).toBeGreaterThan(0);
}

function uploadRows(dbFile: string, fileName: string) {
  return withDatabase(dbFile, (db) =>
    db
      .prepare(
        `SELECT u.id, u.status, u.failureReason, (SELECT count(*) FROM Event e WHERE e.uploadId = u.id) AS events
         FROM Upload u WHERE u.fileName = ? ORDER BY u.createdAt`,
      )
      .all(fileName),
  ) as { id: string; status: string; failureReason: string | null; events: number }[];
}

/** Every alert names only stored events, and every stored event belongs to a finished batch. */
function expectWholeBatches(dbFile: string, fileName: string): number {
  const rows = uploadRows(dbFile, fileName);
  for (const row of rows) expect(row.events % BATCH).toBe(0);
  const orphans = withDatabase(
    dbFile,
    (db) =>
      db
        .prepare("SELECT count(*) FROM AlertEvent ae LEFT JOIN Event e ON e.id = ae.eventId WHERE e.id IS NULL")
        .pluck()
        .get() as number,
  );
  expect(orphans).toBe(0);
  return rows.reduce((sum, row) => sum + row.events, 0);
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe("storage faults", () => {
  it("a database locked by another process: 503 database_busy, whole batches only, reads go on, retry works", async () => {
    const folder = path.join(dir, "locked");
    fs.mkdirSync(folder);
    const target = await serverOn(folder);
    const dbFile = path.join(folder, "keelwatch.db");
    const file = files[1] as string;
    const name = path.basename(file);
    await expectReadsServed(target);

    // The second batch's lines are sent only once the first batch is stored and the lock is
    // taken, so that batch is the one refused (the server gives up after its 10 s busy timeout).
    const locker = new Database(dbFile);
    locker.pragma("busy_timeout = 20000");
    const pending = upload(
      target,
      file,
      sentInTwoParts(file, BATCH, async () => {
        await waitFor("the first batch", () => (uploadRows(dbFile, name)[0]?.events ?? 0) >= BATCH || null);
        locker.exec("BEGIN IMMEDIATE");
      }),
    );
    try {
      const refused = await pending;
      expect(refused.status).toBe(503);
      expect(refused.body.error?.code).toBe("database_busy");
      expect(refused.body.error?.message).toMatch(/busy/);
    } finally {
      if (locker.inTransaction) locker.exec("ROLLBACK");
      locker.close();
    }
    // The failure is recorded once the lock is gone, not only at the next restart.
    const failed = await waitFor("the upload marked failed", () =>
      uploadRows(dbFile, name).find((row) => row.status === "failed"),
    );
    expect(failed.events).toBe(BATCH);
    expect(expectWholeBatches(dbFile, name)).toBe(BATCH);

    const retry = await upload(target, file);
    expect(retry.status).toBe(200);
    expect(retry.body.events).toMatchObject({ accepted: EVENTS_PER_FILE, duplicate: BATCH });
    expect(expectWholeBatches(dbFile, name)).toBe(EVENTS_PER_FILE);
    await expectReadsServed(target);
    await target.stop();
  });

  // better-sqlite3 waits out a busy timeout synchronously, which froze the
  // whole server; lib/db/transaction-gate.ts now waits asynchronously instead.
  it("answers reads while a write waits for another process's lock", async () => {
    const folder = path.join(dir, "locked-reads");
    fs.mkdirSync(folder);
    const target = await serverOn(folder);
    const dbFile = path.join(folder, "keelwatch.db");
    await expectReadsServed(target);
    const locker = new Database(dbFile);
    locker.exec("BEGIN IMMEDIATE");
    try {
      const order: string[] = [];
      const write = upload(target, files[2] as string).then(() => order.push("write"));
      await sleep(500);
      const read = readAlerts(target).then((response) => order.push(`read ${response.status}`));
      await Promise.all([write, read]);
      expect(order).toEqual(["read 200", "write"]);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
  });

  // A WAL database in a folder nobody may write has no -shm index, and SQLite cannot make one there:
  // start-up reads it as immutable (lib/db/read-only.ts) instead of failing with SQLITE_CANTOPEN.
  it.skipIf(!canMount)(
    "a read-only database file and folder: reads are served, every write answers 503 database_read_only",
    async () => {
      const source = path.join(dir, "read-only-source");
      const folder = path.join(dir, "read-only");
      fs.mkdirSync(source);
      const sourceFile = path.join(source, "keelwatch.db");
      fs.copyFileSync(seeded, sourceFile);
      const before = sha256(sourceFile);
      mountReadOnly(source, folder);
      mounted.push(folder);
      const target = await serverOn(folder, false, 20_000);
      expect(target.output.join("\n")).toMatch(/keelwatch: database is read-only: serving reads only .*EROFS/);

      const health = await send("GET", `${target.baseUrl}/api/health`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({ status: "degraded", db: "read_only" });

      // Reads: the alert list, an alert's detail with its event, the dashboard; with a token and with a session.
      const bearer = { authorization: `Bearer ${token}` };
      const list = await readAlerts(target);
      expect(list.status, list.text).toBe(200);
      const alerts = (JSON.parse(list.text) as { items: { id: string; version: number }[] }).items;
      expect(alerts.length).toBeGreaterThan(0);
      const alert = alerts[0] as { id: string; version: number };
      const detail = await send("GET", `${target.baseUrl}/api/alerts/${alert.id}`, { headers: bearer });
      expect(detail.status, detail.text).toBe(200);
      expect(JSON.parse(detail.text)).toMatchObject({ id: alert.id });
      const dashboard = await send("GET", `${target.baseUrl}/api/dashboard?range=all`, { headers: bearer });
      expect(dashboard.status, dashboard.text).toBe(200);
      expect((JSON.parse(dashboard.text) as { total: number }).total).toBeGreaterThan(0);
      const bySession = await send("GET", `${target.baseUrl}/api/alerts?limit=5`, {
        headers: { cookie: sessionCookie },
      });
      expect(bySession.status, bySession.text).toBe(200);

      // Writes: an upload, an alert change, a new sign-in.
      const refused = await upload(target, files[2] as string);
      expect(refused.status).toBe(503);
      expect(refused.body.error?.code).toBe("database_read_only");
      expect(refused.body.error?.message).toMatch(/read-only/);
      const change = await send("PATCH", `${target.baseUrl}/api/alerts/${alert.id}`, {
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ status: "acknowledged", version: alert.version }),
      });
      expect(change.status, change.text).toBe(503);
      expect(JSON.parse(change.text)).toMatchObject({ error: { code: "database_read_only" } });
      const login = await signIn(target);
      expect(login.status, login.text).toBe(503);
      expect(JSON.parse(login.text)).toMatchObject({
        error: { code: "database_read_only", message: expect.stringMatching(/sign-ins/) },
      });
      expect(login.cookie).toBeUndefined();

      await expectReadsServed(target);
      // The skipped "last seen" refresh of the session is not worth a warning: start-up said it all.
      expect(target.output.join("\n")).not.toMatch(/skipped recording/);
      await target.stop();
      expect(sha256(sourceFile)).toBe(before);
      expect(fs.readdirSync(source)).toEqual(["keelwatch.db"]);
    },
  );

  it.skipIf(!canMount)(
    "a full disk: 507 storage_full, whole batches only, reads go on, retry after space is freed",
    async () => {
      const folder = path.join(dir, "full");
      // Room for the seeded database and a little more: not for a batch of 2,000 events.
      mountTmpfs(folder, fs.statSync(seeded).size + 1024 * 1024);
      mounted.push(folder);
      const target = await serverOn(folder);
      const dbFile = path.join(folder, "keelwatch.db");
      const file = files[3] as string;
      const name = path.basename(file);

      const refused = await upload(target, file);
      expect(refused.status).toBe(507);
      expect(refused.body.error?.code).toBe("storage_full");
      expect(refused.body.error?.message).toMatch(/full/);
      await expectReadsServed(target);
      expect(expectWholeBatches(dbFile, name)).toBe(0);

      resizeTmpfs(folder, 256 * 1024 * 1024);
      await waitFor("the upload marked failed", () => uploadRows(dbFile, name).find((row) => row.status === "failed"));
      const retry = await upload(target, file);
      expect(retry.status).toBe(200);
      expect(retry.body.events?.accepted).toBe(EVENTS_PER_FILE);
      expect(expectWholeBatches(dbFile, name)).toBe(EVENTS_PER_FILE);
      await target.stop();
    },
  );
});
