import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { mountReadOnly, mountsAvailable, unmount } from "../../stress/mounts";
import { prisma } from "./client";
import { databaseHealth } from "./health";
import { applyMigrations, defaultMigrationsDir, migrationStatus, readMigrationFiles } from "./migrate";
import { prepareDatabase } from "./prepare";
import { databaseMode, openReadOnly, readOnlyFileName, walHoldsCommits } from "./read-only";
import { storageProblem } from "./storage-problem";

/**
 * Real SQLite files throughout. A folder nobody may write is a read-only bind
 * mount (as in the stress suite), since root ignores file permissions; those
 * tests skip where mount is not allowed.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-read-only-"));
const canMount = mountsAvailable();
const mounted: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await prisma().$disconnect();
  for (const target of mounted.reverse()) unmount(target);
  fs.rmSync(scratch, { recursive: true, force: true });
});

let folders = 0;
function folder(name: string): string {
  const dir = path.join(scratch, `${++folders}-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A migrated database at `file`, closed cleanly: WAL mode, no -wal or -shm left. */
function migratedDatabase(file: string): void {
  applyMigrations(file);
}

/**
 * A copy in `dir` of a WAL-mode database taken while its writer still runs: its
 * last commit is only in the -wal file, copied with the -shm index or without.
 */
function copyTakenMidRun(dir: string, { withIndex }: { withIndex: boolean }): string {
  const source = path.join(folder("running"), "keelwatch.db");
  migratedDatabase(source);
  const writer = new Database(source);
  writer.pragma("journal_mode = WAL");
  writer.pragma("wal_autocheckpoint = 0");
  writer.exec(`INSERT INTO "AppSetting" ("key", "value", "updatedAt") VALUES ('copied', 'mid-run', '2026-01-01')`);
  for (const suffix of withIndex ? ["", "-wal", "-shm"] : ["", "-wal"]) {
    fs.copyFileSync(`${source}${suffix}`, path.join(dir, `keelwatch.db${suffix}`));
  }
  writer.close();
  return path.join(dir, "keelwatch.db");
}

function readOnlyView(source: string): string {
  const target = path.join(scratch, `${++folders}-read-only`);
  mountReadOnly(source, target);
  mounted.push(target);
  return target;
}

describe("walHoldsCommits", () => {
  it("is false without a log, for an empty log and for frames left from before the log was reset", () => {
    const dir = folder("wal");
    const file = copyTakenMidRun(dir, { withIndex: false });
    expect(walHoldsCommits(file)).toBe(true);

    const wal = fs.readFileSync(`${file}-wal`);
    // A reset log gets new salts in its header; the old frames behind it keep theirs.
    wal.writeUInt32BE((wal.readUInt32BE(16) + 1) >>> 0, 16);
    fs.writeFileSync(`${file}-wal`, wal);
    expect(walHoldsCommits(file)).toBe(false);

    fs.writeFileSync(`${file}-wal`, "");
    expect(walHoldsCommits(file)).toBe(false);
    fs.rmSync(`${file}-wal`);
    expect(walHoldsCommits(file)).toBe(false);
  });
});

describe("openReadOnly", () => {
  it("reads a file whose path needs escaping in a URI, immutable or not, and refuses every write", () => {
    const file = path.join(folder("odd name ?#%"), "key #1?.db");
    migratedDatabase(file);
    expect(readOnlyFileName(file, true)).toMatch(/^file:\/\/\/.*%20.*\?immutable=1$/);
    for (const immutable of [true, false]) {
      const db = openReadOnly(file, immutable);
      try {
        expect(db.prepare(`SELECT count(*) FROM "_prisma_migrations"`).pluck().get()).toBeGreaterThan(0);
        expect(() => db.exec(`DELETE FROM "_prisma_migrations"`)).toThrow(
          expect.objectContaining({ code: "SQLITE_READONLY" }),
        );
      } finally {
        db.close();
      }
    }
  });
});

describe.skipIf(!canMount)("a database in a folder mounted read-only", () => {
  it("is served for reading: recorded read-only, the app's connection reads, health says so, writes are refused", async () => {
    const source = folder("served");
    migratedDatabase(path.join(source, "keelwatch.db"));
    const file = path.join(readOnlyView(source), "keelwatch.db");
    // As the stress suite found: without -shm and no folder to make it in, SQLite cannot even read.
    expect(() => new Database(file).prepare("SELECT count(*) FROM sqlite_master").get()).toThrow(
      expect.objectContaining({ code: "SQLITE_CANTOPEN" }),
    );

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    process.env.DATABASE_URL = `file:${file}`;
    expect(await prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${file}` })).toEqual({ writable: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /database is read-only: .*EROFS.*read as immutable.*503 database_read_only/,
    );
    expect(databaseMode(file)).toMatchObject({ writable: false, immutable: true });

    expect(await prisma().rule.count()).toBe(0);
    expect(await databaseHealth()).toBe("read_only");
    const write = prisma().upload.create({ data: { fileName: "refused.ndjson", format: "auto" } });
    await expect(write).rejects.toSatisfy((error) => storageProblem(error) === "read_only");
    expect(fs.readdirSync(source)).toEqual(["keelwatch.db"]);
  });

  it("needs no migration run when its schema is current, and names the migrations it lacks otherwise; status reads it", () => {
    const current = folder("current");
    migratedDatabase(path.join(current, "keelwatch.db"));
    const before = fs.readFileSync(path.join(current, "keelwatch.db"));
    const currentView = path.join(readOnlyView(current), "keelwatch.db");
    expect(applyMigrations(currentView)).toEqual([]);
    expect(migrationStatus(currentView)).toMatchObject({ pending: [], modified: [] });
    expect(fs.readFileSync(path.join(current, "keelwatch.db"))).toEqual(before);

    const behind = folder("behind");
    const older = path.join(scratch, "older-migrations");
    const [first] = readMigrationFiles();
    fs.cpSync(path.join(defaultMigrationsDir(), first?.name ?? ""), path.join(older, first?.name ?? ""), {
      recursive: true,
    });
    applyMigrations(path.join(behind, "keelwatch.db"), older);
    const behindView = path.join(readOnlyView(behind), "keelwatch.db");
    expect(migrationStatus(behindView).pending.length).toBe(readMigrationFiles().length - 1);
    expect(() => applyMigrations(behindView)).toThrow(
      /read-only \(its folder cannot be written \(EROFS\).*\) and its schema is not current \(\d+ migration\(s\) pending: \d{14}_/,
    );
  });

  it("refuses to start when the write-ahead log holds commits that SQLite could not read without its index", async () => {
    const source = folder("wal-commits");
    copyTakenMidRun(source, { withIndex: false });
    const file = path.join(readOnlyView(source), "keelwatch.db");
    await expect(prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${file}` })).rejects.toThrow(
      /folder cannot be written \(EROFS\), and its write-ahead log keelwatch\.db-wal holds commits not yet in the database/,
    );
  });

  it("reads through -wal and -shm files that are already there, without immutable", async () => {
    const copy = folder("wal-and-shm");
    copyTakenMidRun(copy, { withIndex: true });
    const view = path.join(readOnlyView(copy), "keelwatch.db");
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${view}` })).toEqual({ writable: false });
    expect(databaseMode(view)).toMatchObject({ writable: false, immutable: false });
    const db = openReadOnly(view, false);
    try {
      expect(db.prepare(`SELECT "value" FROM "AppSetting" WHERE "key" = 'copied'`).pluck().get()).toBe("mid-run");
    } finally {
      db.close();
    }
  });

  it("a read-only file in a writable folder is read as it is, SQLite making its -shm beside it", async () => {
    const source = path.join(folder("file-source"), "keelwatch.db");
    migratedDatabase(source);
    const dir = folder("file-mounted");
    const file = path.join(dir, "keelwatch.db");
    mountReadOnly(source, file);
    mounted.push(file);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${file}` })).toEqual({ writable: false });
    expect(databaseMode(file)).toMatchObject({
      writable: false,
      immutable: false,
      reason: expect.stringMatching(/^SQLITE_READONLY/),
    });
    const db = openReadOnly(file, false);
    try {
      expect(db.prepare(`SELECT count(*) FROM "_prisma_migrations"`).pluck().get()).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it("says plainly that a missing database cannot be created there", async () => {
    const file = path.join(readOnlyView(folder("empty")), "keelwatch.db");
    await expect(prepareDatabase({ NODE_ENV: "test", DATABASE_URL: `file:${file}` })).rejects.toThrow(
      /database .*keelwatch\.db does not exist, and its folder .* cannot be written \(EROFS\)/,
    );
  });
});
