import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { BUSY_TIMEOUT_MS } from "./pragmas";
import { createTestDatabase } from "./test-database";

/**
 * The app reaches SQLite through Prisma's better-sqlite3 adapter, which opens
 * its own connection: the settings configureConnection gives the migration
 * connection must hold there too, or analysts would meet SQLITE_BUSY.
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
  it("waits for locks (busy timeout), in WAL mode, with foreign keys on", async () => {
    expect(Number(await pragma("busy_timeout"))).toBe(BUSY_TIMEOUT_MS);
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
