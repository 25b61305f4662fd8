/**
 * An upload above 10 MB through the real server must be stored whole: the
 * upload limit is 2 GiB (KEELWATCH_MAX_UPLOAD_BYTES), and nothing in between
 * may cut the body short.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeUploadFiles } from "./events";
import { KeelwatchServer, prepareTestDatabase, send, withDatabase } from "./server";

/** About 11.8 MB of NDJSON. */
const EVENTS = 5_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-large-"));
const dbFile = path.join(dir, "keelwatch.db");
const server = new KeelwatchServer({ dbFile });

afterAll(async () => {
  await server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("an upload above 10 MB", () => {
  // proxy.ts must stay off /api/*: Next buffers a proxied request body and cuts it at 10 MB.
  it("is stored whole", async () => {
    const [file] = writeUploadFiles(path.join(dir, "files"), 1, EVENTS, 0x1a26e);
    if (!file) throw new Error("no file");
    expect(fs.statSync(file).size).toBeGreaterThan(10 * 1024 * 1024);
    const token = prepareTestDatabase(dbFile, "ingest");
    await server.start();
    const response = await send("POST", `${server.baseUrl}/api/events?filename=large.ndjson`, {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body: fs.readFileSync(file),
    });
    await server.stop();
    const stored = withDatabase(dbFile, (db) => db.prepare("SELECT count(*) FROM Event").pluck().get());
    expect({ status: response.status, stored }).toEqual({ status: 200, stored: EVENTS });
  });
});
