import { describe, expect, it } from "vitest";
import { eventRow, seedUpload } from "./alert-test-fixtures";
import { storeBatch } from "./batch-writer";
import { retryWhenBusy } from "./busy-retry";
import { prisma } from "./client";
import { storageProblem } from "./storage-problem";
import { setUpTestDatabase } from "./test-database-hooks";

setUpTestDatabase();

/** A transaction that reads, lets the batch writer commit a batch (on its own connection), then writes. */
async function readBatchWrite(uploadId: string, line: number, commitBatch: boolean): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const before = await tx.upload.findUniqueOrThrow({ where: { id: uploadId } });
    if (commitBatch) await storeBatch(uploadId, [eventRow(line)], []);
    await tx.upload.update({ where: { id: uploadId }, data: { fileName: `${before.fileName}+` } });
  });
}

describe("retryWhenBusy", () => {
  it("a transaction whose snapshot a batch made stale fails at once with SQLITE_BUSY_SNAPSHOT", async () => {
    const upload = await seedUpload(prisma());
    const failure = await readBatchWrite(upload.id, 1, true).then(
      () => null,
      (error: unknown) => error,
    );
    expect(storageProblem(failure)).toBe("busy");
  });

  it("runs such a transaction again, and the second run stores its write once", async () => {
    const upload = await seedUpload(prisma(), "renamed");
    let runs = 0;
    await retryWhenBusy(() => {
      runs++;
      return readBatchWrite(upload.id, 10 + runs, runs === 1);
    });
    expect(runs).toBe(2);
    expect((await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).fileName).toBe("renamed+");
  });

  it("passes other errors through without running again", async () => {
    let runs = 0;
    await expect(
      retryWhenBusy(async () => {
        runs++;
        throw new Error("not a storage problem");
      }),
    ).rejects.toThrow("not a storage problem");
    expect(runs).toBe(1);
  });

  it("gives up after its patience with the busy error", async () => {
    let runs = 0;
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    await expect(
      retryWhenBusy(async () => {
        runs++;
        throw busy;
      }, 30),
    ).rejects.toBe(busy);
    expect(runs).toBeGreaterThan(1);
  });
});
