/**
 * 8 uploads at once plus 8 simulated analysts patching the same few alerts,
 * against the real server. Optimistic locking must turn every race into a
 * 409 that the analyst retries (no lost update), and no request may end in a
 * 500 or an SQLITE_BUSY, however the uploads and patches interleave.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "@/bench/prng";
import { writeUploadFiles } from "./events";
import { addApiToken, KeelwatchServer, prepareTestDatabase, withDatabase } from "./server";

const SEED = 0xc0c0a;
const UPLOADS = 8;
const EVENTS_PER_UPLOAD = 2_400;
const ANALYSTS = 8;
const PATCHES_PER_ANALYST = 12;
/** Few alerts, many analysts: most patches race with another one. */
const CONTESTED_ALERTS = 4;
const MAX_ATTEMPTS = 60;

/** Rolled-back transactions against small uploads: see the second test. */
const SMALL_UPLOADS = 40;
const SMALL_UPLOAD_EVENTS = 10;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-concurrency-"));
const dbFile = path.join(dir, "keelwatch.db");
const server = new KeelwatchServer({ dbFile });

afterAll(async () => {
  await server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every response the clients saw, to check that none was a server error. */
const seen: { what: string; status: number; body: string }[] = [];

async function call(what: string, url: string, init: RequestInit): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.baseUrl}${url}`, init);
  const body = await response.text();
  seen.push({ what, status: response.status, body: body.slice(0, 300) });
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    // kept as text in `seen`
  }
  return { status: response.status, json };
}

function uploadFile(file: string, token: string) {
  return call(`upload ${path.basename(file)}`, `/api/events?filename=${path.basename(file)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body: fs.readFileSync(file),
  });
}

interface Applied {
  alertId: string;
  note: string;
}

/**
 * An analyst reads an alert, adds a note with the version read, and on 409
 * reads again and retries, as the UI does after a conflict.
 */
async function analyst(index: number, token: string, alertIds: string[], uploading: () => boolean): Promise<Applied[]> {
  const prng = new Prng(SEED + index);
  const applied: Applied[] = [];
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  // At least PATCHES_PER_ANALYST, and on until the uploads are done, so every write overlaps them.
  for (let patch = 0; patch < PATCHES_PER_ANALYST || uploading(); patch++) {
    const alertId = prng.pick(alertIds);
    const note = `analyst ${index} note ${patch}`;
    let done = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
      const read = await call(`analyst ${index} read`, `/api/alerts/${alertId}`, { headers });
      if (read.status !== 200) throw new Error(`analyst ${index} could not read alert ${alertId}: ${read.status}`);
      const version = (read.json as { version: number }).version;
      const written = await call(`analyst ${index} patch`, `/api/alerts/${alertId}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({ version, note: { body: note } }),
      });
      if (written.status === 200) done = true;
      else if (written.status !== 409) throw new Error(`analyst ${index} patch: ${written.status}`);
    }
    if (!done) throw new Error(`analyst ${index} gave up on alert ${alertId} after ${MAX_ATTEMPTS} conflicts`);
    applied.push({ alertId, note });
  }
  return applied;
}

describe("concurrent uploads and analysts", () => {
  it("loses no update and shows no client a server error or SQLITE_BUSY", async () => {
    const [seedFile, ...files] = writeUploadFiles(path.join(dir, "files"), UPLOADS + 1, EVENTS_PER_UPLOAD, SEED);
    if (!seedFile) throw new Error("no seed file");
    const ingestToken = prepareTestDatabase(dbFile, "ingest");
    const analystTokens = Array.from({ length: ANALYSTS }, () => addApiToken(dbFile, "analyst"));
    await server.start();

    // Alerts to fight over.
    const first = await uploadFile(seedFile, ingestToken);
    expect(first.status).toBe(200);
    const alertIds = withDatabase(dbFile, (db) =>
      db.prepare("SELECT id FROM Alert ORDER BY dedupKey LIMIT ?").pluck().all(CONTESTED_ALERTS),
    ) as string[];
    expect(alertIds).toHaveLength(CONTESTED_ALERTS);

    let uploading = true;
    const allUploads = Promise.all(files.map((file) => uploadFile(file, ingestToken))).finally(() => {
      uploading = false;
    });
    const [uploads, patches] = await Promise.all([
      allUploads,
      Promise.all(analystTokens.map((token, index) => analyst(index, token, alertIds, () => uploading))),
    ]);

    const failures = seen.filter((entry) => entry.status >= 500 || /SQLITE_|database is locked/i.test(entry.body));
    expect(failures).toEqual([]);
    for (const upload of uploads) expect(upload.status).toBe(200);
    const conflicts = seen.filter((entry) => entry.status === 409).length;
    // The analysts really raced: otherwise this test proves nothing about locking.
    expect(conflicts).toBeGreaterThan(0);

    // Every successful patch is in the database: its note, and one version step per patch.
    const applied = patches.flat();
    expect(applied.length).toBeGreaterThanOrEqual(ANALYSTS * PATCHES_PER_ANALYST);
    const stored = withDatabase(dbFile, (db) => ({
      notes: db
        .prepare(`SELECT alertId, body FROM AlertNote WHERE alertId IN (${alertIds.map(() => "?").join(",")})`)
        .all(...alertIds) as { alertId: string; body: string }[],
      versions: new Map(
        (db.prepare("SELECT id, version FROM Alert").all() as { id: string; version: number }[]).map((row) => [
          row.id,
          row.version,
        ]),
      ),
      events: db.prepare("SELECT count(*) FROM Event").pluck().get() as number,
    }));
    const key = (entry: { alertId: string; body?: string; note?: string }) =>
      `${entry.alertId} ${entry.body ?? entry.note}`;
    expect(stored.notes.map(key).sort()).toEqual(applied.map(key).sort());
    for (const alertId of alertIds) {
      const patched = applied.filter((entry) => entry.alertId === alertId).length;
      expect(stored.versions.get(alertId)).toBe(1 + patched);
    }
    expect(stored.events).toBe((UPLOADS + 1) * EVENTS_PER_UPLOAD);
    console.log(
      `concurrency: ${applied.length} patches applied after ${conflicts} conflicts (409), ${UPLOADS} uploads at once`,
    );
  });
  /**
   * The better-sqlite3 adapter runs every query on one connection. A refused
   * PATCH (stale version) rolls its transaction back; a write another request
   * made meanwhile must not be rolled back with it.
   */
  it("a rolled-back transaction takes no other request's write with it", async () => {
    if (!server.running) throw new Error("the first test starts the server");
    const ingestToken = addApiToken(dbFile, "ingest");
    const analystToken = addApiToken(dbFile, "analyst");
    const alertIds = withDatabase(dbFile, (db) => db.prepare("SELECT id FROM Alert LIMIT 4").pluck().all()) as string[];
    const smallFiles = writeUploadFiles(path.join(dir, "small"), SMALL_UPLOADS, SMALL_UPLOAD_EVENTS, SEED + 1);
    let uploading = true;
    const stalePatches = async (index: number) => {
      let sent = 0;
      for (; uploading || sent < 20; sent++) {
        const alertId = alertIds[(index + sent) % alertIds.length] as string;
        const refused = await call("stale patch", `/api/alerts/${alertId}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${analystToken}`, "content-type": "application/json" },
          body: JSON.stringify({ version: 999_999, note: { body: "stale" } }),
        });
        expect(refused.status).toBe(409);
      }
      return sent;
    };
    const uploadAll = async () => {
      const results: { status: number; uploadId: string }[] = [];
      // Four at a time, so uploads start and finish all through the run.
      for (let start = 0; start < smallFiles.length; start += 4) {
        const group = await Promise.all(
          smallFiles.slice(start, start + 4).map((file) => uploadFile(file, ingestToken)),
        );
        for (const result of group) {
          results.push({ status: result.status, uploadId: (result.json as { uploadId: string }).uploadId });
        }
      }
      uploading = false;
      return results;
    };
    const before = seen.length;
    const [uploads] = await Promise.all([uploadAll(), ...Array.from({ length: 4 }, (_, index) => stalePatches(index))]);
    await server.stop();

    expect(seen.slice(before).filter((entry) => entry.status >= 500)).toEqual([]);
    for (const result of uploads) expect(result.status).toBe(200);
    const rows = withDatabase(dbFile, (db) =>
      uploads.map(
        (result) =>
          db
            .prepare(
              "SELECT status, eventsAccepted, (SELECT count(*) FROM Event e WHERE e.uploadId = u.id) AS stored FROM Upload u WHERE id = ?",
            )
            .get(result.uploadId) as { status: string; eventsAccepted: number; stored: number } | undefined,
      ),
    );
    for (const row of rows) {
      expect(row).toEqual({ status: "done", eventsAccepted: SMALL_UPLOAD_EVENTS, stored: SMALL_UPLOAD_EVENTS });
    }
    expect(seen.slice(before).filter((entry) => entry.what === "stale patch").length).toBeGreaterThan(0);
  });
});
