import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { BUSY_TIMEOUT_MS, busyTimeoutMs, CONNECTION_PRAGMAS, WRITER_PRAGMAS } from "./pragmas";
import { createTestDatabase } from "./test-database";

/**
 * The app reaches SQLite through Prisma's better-sqlite3 adapter, which opens
 * its own connection: the settings configureConnection gives the migration
 * connection must hold there too, except the busy timeout, which
 * transaction-gate.ts replaces with asynchronous waits.
 */
const database = createTestDatabase();
const db = createPrismaClient(database.url);

afterAll(async () => {
  await db.$disconnect();
  database.cleanup();
});

async function pragma(name: string): Promise<unknown> {
  const rows = (await db.$queryRawUnsafe(`PRAGMA ${name}`)) as Record<string, unknown>[];
  return Object.values(rows[0] ?? {})[0];
}

describe("the Prisma connection's SQLite settings", () => {
  it("never waits for a lock inside SQLite (the gate waits instead), in WAL mode, with foreign keys on", async () => {
    expect(Number(await pragma("busy_timeout"))).toBe(0);
    expect(await pragma("journal_mode")).toBe("wal");
    expect(Number(await pragma("foreign_keys"))).toBe(1);
  });

  it("keeps a write made outside a transaction when a concurrent transaction rolls back", async () => {
    let outside: Promise<unknown> = Promise.resolve();
    await expect(
      db.$transaction(async (tx) => {
        await tx.upload.create({ data: { fileName: "inside", format: "auto" } });
        outside = db.upload.create({ data: { fileName: "outside", format: "auto" } });
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.upload.count();
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    await outside;
    const names = (await db.upload.findMany({ select: { fileName: true } })).map((row) => row.fileName);
    expect(names).toEqual(["outside"]);
  });
});

describe("KEELWATCH_BUSY_TIMEOUT_MS", () => {
  it("sets how long the server waits for a lock, and refuses what is not a whole number of milliseconds", () => {
    expect(busyTimeoutMs({})).toBe(BUSY_TIMEOUT_MS);
    expect(busyTimeoutMs({ KEELWATCH_BUSY_TIMEOUT_MS: " 250 " })).toBe(250);
    for (const bad of ["-1", "1.5", "ten", "600001"]) {
      expect(() => busyTimeoutMs({ KEELWATCH_BUSY_TIMEOUT_MS: bad })).toThrow(
        `KEELWATCH_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 to 600000, got "${bad}"`,
      );
    }
  });
});

/** Whether this process has one of SQLite's temporary files open (SQLite names them etilqs_*; Linux's /proc lists them). */
function sqliteTempFileOpen(): boolean {
  return fs.readdirSync("/proc/self/fd").some((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).includes("etilqs_");
    } catch {
      return false; // closed between the listing and the look
    }
  });
}

/**
 * Stores events one insert at a time in one transaction, as the batch writer
 * does, and returns the number of the insert after which SQLite had a
 * temporary file open, or null if it never had one.
 */
function firstInsertWithTempFile(pragmas: readonly string[], events: number): number | null {
  const database = createTestDatabase();
  const db = new Database(database.file);
  try {
    for (const pragma of pragmas) db.pragma(pragma);
    db.prepare(`INSERT INTO "Upload" ("id", "fileName", "format") VALUES ('upload', 'events.ndjson', 'ecs')`).run();
    const insert = db.prepare(
      `INSERT INTO "Event" ("uploadId", "line", "contentHash", "timestamp", "entityId", "document")
       VALUES ('upload', ?, ?, ?, ?, ?)`,
    );
    db.exec("BEGIN IMMEDIATE");
    for (let line = 1; line <= events; line++) {
      // Entity ids in no order, as real ones are: their Process rows land all over the table's index.
      const entityId = `process-${(line * 7919) % 100_000}`;
      const timestamp = new Date(Date.UTC(2026, 0, 1) + line * 1000).toISOString();
      insert.run(line, `hash-${line}`, timestamp, entityId, JSON.stringify({ padding: "x".repeat(2000) }));
      if (sqliteTempFileOpen()) return line;
    }
    return null;
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
    database.cleanup();
  }
}

describe("the batch writer's SQLite settings", () => {
  it("keep each insert's statement journal in memory, where SQLite's default moves it to a temporary file written page by page", () => {
    // Without WRITER_PRAGMAS the journal moves to a file within these events (after about 3,400 of them),
    // which shows the check sees the file; with them it never does.
    expect(firstInsertWithTempFile(CONNECTION_PRAGMAS, 6000)).not.toBeNull();
    expect(firstInsertWithTempFile([...CONNECTION_PRAGMAS, ...WRITER_PRAGMAS], 6000)).toBeNull();
  });
});
