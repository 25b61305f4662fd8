import { setTimeout as sleep } from "node:timers/promises";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Prisma } from "../generated/prisma/client";
import { seedUpload } from "./alert-test-fixtures";
import { prisma } from "./client";
import { BUSY_TIMEOUT_MS } from "./pragmas";
import { storageProblem } from "./storage-problem";
import { writeLockHolder } from "./test-database";
import { setUpTestDatabase } from "./test-database-hooks";
import { gateTransactions } from "./transaction-gate";
import { createUpload, findUpload } from "./uploads";

const database = setUpTestDatabase();

/**
 * Opens an interactive transaction that runs `inside`, tells the caller it is
 * open, and stays open over a real pause (other requests get their turn, as on
 * the server). Then it commits, or refuses so that Prisma rolls it back.
 */
function heldTransaction(
  inside: (tx: Prisma.TransactionClient) => Promise<unknown>,
  end: { refuse: boolean; holdMs: number },
) {
  let markOpen!: () => void;
  const open = new Promise<void>((resolve) => {
    markOpen = resolve;
  });
  const settled = prisma().$transaction(async (tx) => {
    await inside(tx);
    markOpen();
    await sleep(end.holdMs);
    if (end.refuse) throw new Error("refused on purpose");
  });
  return { open, settled };
}

function refusedTransaction(inside: (tx: Prisma.TransactionClient) => Promise<unknown>) {
  const { open, settled } = heldTransaction(inside, { refuse: true, holdMs: 50 });
  return {
    open,
    settled: settled.then(
      () => null,
      (error: unknown) => error,
    ),
  };
}

describe("plain queries and open transactions (transaction-gate.ts)", () => {
  it("a write made while another transaction is open survives that transaction's rollback", async () => {
    const transaction = refusedTransaction((tx) => tx.upload.count());
    await transaction.open;

    const id = await createUpload({ fileName: "outside.ndjson", format: "auto", createdById: null });

    expect(String(await transaction.settled)).toContain("refused on purpose");
    expect((await findUpload(id))?.fileName).toBe("outside.ndjson");
  });

  it("a read made while another transaction is open never sees that transaction's uncommitted write", async () => {
    const upload = await seedUpload(prisma(), "committed.ndjson");
    const transaction = refusedTransaction((tx) =>
      tx.upload.update({ where: { id: upload.id }, data: { fileName: "draft.ndjson" } }),
    );
    await transaction.open;

    expect((await findUpload(upload.id))?.fileName).toBe("committed.ndjson");
    await transaction.settled;
    expect((await findUpload(upload.id))?.fileName).toBe("committed.ndjson");
  });

  it("queries wait their turn behind a transaction and then all run, in order", async () => {
    const upload = await seedUpload(prisma(), "v0");
    const committed = heldTransaction(
      (tx) => tx.upload.update({ where: { id: upload.id }, data: { fileName: "v1" } }),
      { refuse: false, holdMs: 20 },
    );
    await committed.open;
    const [, renamed, read] = await Promise.all([
      committed.settled,
      prisma().upload.update({ where: { id: upload.id }, data: { fileName: "v2" } }),
      findUpload(upload.id),
    ]);
    expect(renamed.fileName).toBe("v2");
    expect(read?.fileName).toBe("v2");
  });
});

describe("waiting for another connection's lock (transaction-gate.ts)", () => {
  it("a write waits without blocking the server: timers fire and reads are answered meanwhile", async () => {
    const upload = await seedUpload(prisma(), "read-me.ndjson");
    const lock = writeLockHolder(database.file);
    lock.hold();
    const order: string[] = [];
    try {
      const write = createUpload({ fileName: "waited.ndjson", format: "auto", createdById: null }).then((id) => {
        order.push("write");
        return id;
      });
      await sleep(100);
      order.push("timer");
      expect((await findUpload(upload.id))?.fileName).toBe("read-me.ndjson");
      order.push("read");
      lock.release();
      const id = await write;
      expect(order).toEqual(["timer", "read", "write"]);
      expect((await findUpload(id))?.fileName).toBe("waited.ndjson");
    } finally {
      lock.release();
    }
  });

  it("a transaction's write waits for the lock too, and commits once it is free", async () => {
    const upload = await seedUpload(prisma(), "before.ndjson");
    const lock = writeLockHolder(database.file);
    lock.hold();
    try {
      const renamed = prisma().$transaction(async (tx) => {
        await tx.upload.update({ where: { id: upload.id }, data: { fileName: "after.ndjson" } });
      });
      await sleep(100);
      lock.release();
      await renamed;
      expect((await findUpload(upload.id))?.fileName).toBe("after.ndjson");
    } finally {
      lock.release();
    }
  });

  it("runs a script (several statements) once: a busy database fails it at once instead of retrying it", async () => {
    const factory = gateTransactions(new PrismaBetterSqlite3({ url: `file:${database.file}`, timeout: 0 }), 5_000);
    const adapter = await factory.connect();
    const script =
      'CREATE TABLE "ScriptRun" ("n" INTEGER); INSERT INTO "ScriptRun" VALUES (1); INSERT INTO "ScriptRun" VALUES (2);';
    const lock = writeLockHolder(database.file);
    lock.hold();
    try {
      const started = Date.now();
      const failure = await adapter.executeScript(script).then(
        () => null,
        (error: unknown) => error,
      );
      expect(storageProblem(failure)).toBe("busy");
      expect(Date.now() - started).toBeLessThan(2_000);
      lock.release();
      await adapter.executeScript(script);
      const rows = await adapter.queryRaw({ sql: 'SELECT "n" FROM "ScriptRun"', args: [], argTypes: [] });
      expect(rows.rows).toEqual([[1], [2]]);
    } finally {
      lock.release();
      await adapter.executeScript('DROP TABLE IF EXISTS "ScriptRun"').catch(() => undefined);
      await adapter.dispose();
    }
  });

  it("gives up after the busy timeout with the busy error (a 503 database_busy over HTTP)", async () => {
    const lock = writeLockHolder(database.file);
    lock.hold();
    try {
      const started = Date.now();
      const failure = await createUpload({ fileName: "never.ndjson", format: "auto", createdById: null }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(storageProblem(failure)).toBe("busy");
      expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS);
    } finally {
      lock.release();
    }
  }, 30_000);
});
