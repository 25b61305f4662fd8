import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "./client";
import { probeWriteAccess } from "./pragmas";
import { prepareDatabase } from "./prepare";
import { createTestDatabase } from "./test-database";

/**
 * The tests run as root in CI, where file permissions do not stop writes, so a
 * read-only database is simulated the way SQLite itself ends up with one when
 * it cannot write the file: a connection opened read-only.
 */
const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
const env: NodeJS.ProcessEnv = { NODE_ENV: "test", DATABASE_URL: database.url };
const readOnly = (file: string) => new Database(file, { readonly: true });

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-prepare-"));

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("probeWriteAccess", () => {
  it("tells a writable connection from a read-only one, with SQLite's reason", () => {
    const writable = new Database(database.file);
    expect(probeWriteAccess(writable)).toEqual({ writable: true });
    writable.close();
    const ro = readOnly(database.file);
    const access = probeWriteAccess(ro);
    ro.close();
    expect(access).toMatchObject({ writable: false, reason: expect.stringMatching(/^SQLITE_READONLY/) });
  });
});

describe("prepareDatabase", () => {
  it("on a writable database migrates, marks interrupted uploads failed and says it can write", async () => {
    const upload = await prisma().upload.create({ data: { fileName: "cut-off.ndjson", format: "auto" } });
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await prepareDatabase(env)).toEqual({ writable: true });
    expect((await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).status).toBe("failed");
  });

  it("on a read-only database with a current schema serves reads: one clear line, no start-up writes", async () => {
    const upload = await prisma().upload.create({ data: { fileName: "still-receiving.ndjson", format: "auto" } });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await prepareDatabase(env, readOnly)).toEqual({ writable: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^keelwatch: database is read-only: serving reads only \(.*SQLITE_READONLY.*\)\. Uploads, changes and new sign-ins answer 503 database_read_only/,
    );
    expect((await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).status).toBe("receiving");
  });

  it("on a read-only database that is behind its migrations refuses to start, naming them", async () => {
    const file = path.join(scratch, "old.db");
    new Database(file).close(); // an empty database: every migration pending
    const before = fs.readFileSync(file);
    await expect(prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${file}` }, readOnly)).rejects.toThrow(
      /read-only \(SQLITE_READONLY.*\) and its schema is not current \(\d+ migration\(s\) pending: \d{14}_/,
    );
    expect(fs.readFileSync(file)).toEqual(before);
  });
});
