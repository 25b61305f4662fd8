import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { BUSY_TIMEOUT_MS, busyTimeoutMs } from "./pragmas";
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
