import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { seedUpload } from "./alert-test-fixtures";
import { prisma } from "./client";
import { setUpTestDatabase } from "./test-database-hooks";
import { createUpload, findUpload } from "./uploads";

setUpTestDatabase();

/**
 * Opens an interactive transaction that runs `inside`, tells the caller it is
 * open, stays open over a real pause (other requests get their turn, as on the
 * server), then refuses, so Prisma rolls it back.
 */
function refusedTransaction(
  inside: (tx: Parameters<Parameters<ReturnType<typeof prisma>["$transaction"]>[0]>[0]) => Promise<unknown>,
) {
  let markOpen!: () => void;
  const open = new Promise<void>((resolve) => {
    markOpen = resolve;
  });
  const settled = prisma()
    .$transaction(async (tx) => {
      await inside(tx);
      markOpen();
      await sleep(50);
      throw new Error("refused on purpose");
    })
    .then(
      () => null,
      (error: unknown) => error,
    );
  return { open, settled };
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
    let markOpen!: () => void;
    const open = new Promise<void>((resolve) => {
      markOpen = resolve;
    });
    const committed = prisma().$transaction(async (tx) => {
      await tx.upload.update({ where: { id: upload.id }, data: { fileName: "v1" } });
      markOpen();
      await sleep(20);
    });
    await open;
    const [, renamed, read] = await Promise.all([
      committed,
      prisma().upload.update({ where: { id: upload.id }, data: { fileName: "v2" } }),
      findUpload(upload.id),
    ]);
    expect(renamed.fileName).toBe("v2");
    expect(read?.fileName).toBe("v2");
  });
});
