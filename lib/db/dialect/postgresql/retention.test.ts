import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { eventRow, seedUpload } from "../../alert-test-fixtures";
import { storeBatch } from "../../batch-writer";
import { prisma } from "../../client";
import { readEventDocuments } from "../../events";
import type { EventRow } from "../../events/index";
import { runUpkeepPass } from "../../events/upkeep";
import { waitForLockWaits } from "./lock-waits";
import { at, toolAlertDraft as draft, setUpWriterTestDatabase } from "./writer-test-fixtures";

/**
 * Retention on PostgreSQL where it differs from SQLite: no writer thread makes it take turns with batches or with
 * another instance, so row locks do (lib/db/dialect/postgresql/retention.ts). The behaviour both databases share is
 * tested by lib/db/events/retention.test.ts, which runs on both.
 */

const database = setUpWriterTestDatabase();

beforeEach(async () => {
  await prisma().alert.deleteMany();
  await prisma().event.deleteMany();
  await prisma().eventBlock.deleteMany();
  await prisma().upload.deleteMany();
});

/** An upload that is done, with `blocks` blocks of `perBlock` events each, stored 40 days ago. */
async function oldUpload(blocks: number, perBlock: number): Promise<{ uploadId: string; rows: EventRow[] }> {
  const upload = await seedUpload(prisma(), "old.ndjson");
  const rows: EventRow[] = [];
  for (let block = 0; block < blocks; block++) {
    const batch = Array.from({ length: perBlock }, (_, index) => {
      const line = block * perBlock + index + 1;
      return eventRow(line, { timestamp: at(line), document: JSON.stringify({ line }) });
    });
    await storeBatch(upload.id, batch, []);
    rows.push(...batch);
  }
  await prisma().eventBlock.updateMany({ data: { createdAt: new Date(Date.now() - 40 * 86_400_000) } });
  return { uploadId: upload.id, rows };
}

describe("retention on PostgreSQL", () => {
  it("keeps an event that another instance's batch links to an alert while retention is expiring its block", async () => {
    const { rows } = await oldUpload(1, 4);
    const evidence = rows[1] as EventRow;
    const [evidenceEvent] = await prisma().event.findMany({ where: { contentHash: evidence.contentHash } });

    // A batch of another upload raises a sequence alert on the old event. Its Upload row is held by a third
    // connection (FOR NO KEY UPDATE: the alert's foreign key may still share it), so the batch stops after linking
    // the alert, when its progress update waits, its transaction open.
    const newer = await seedUpload(prisma(), "newer.ndjson");
    const holder = new pg.Client({ connectionString: database.url });
    const watcher = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await watcher.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Upload" WHERE "id" = $1 FOR NO KEY UPDATE`, [newer.id]);
      const batch = storeBatch(newer.id, [], [draft("sequence", [evidence])], {
        progress: { bytes: 10, received: 0, rejected: 0, format: "ecs" },
      });
      await waitForLockWaits(watcher, { statement: `UPDATE "Upload"` });

      // Retention, meanwhile, takes the old block: it waits for the batch's lock on the linked event.
      const pass = runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 });
      await waitForLockWaits(watcher, { statement: `SELECT "id" FROM "Event" WHERE "blockId"` });
      await holder.query("COMMIT");
      await batch;
      const report = await pass;

      expect(report.expired).toEqual([
        expect.objectContaining({ deletedEvents: 3, keptEvents: 1, deletedBlock: false }),
      ]);
      const alert = await prisma().alert.findUniqueOrThrow({
        where: { dedupKey: "sequence" },
        include: { events: true },
      });
      expect(alert.events.map((link) => link.eventId)).toEqual([evidenceEvent?.id]);
      const documents = await readEventDocuments([evidenceEvent?.id as number]);
      expect(documents.get(evidenceEvent?.id as number)).toBe(evidence.document);
    } finally {
      await holder.end();
      await watcher.end();
    }
  });

  it("two instances' passes at once expire each block once, and together all that is due", async () => {
    const { uploadId } = await oldUpload(6, 50);
    // Two passes at once on the writer pool's two connections, as two instances would run them.
    const reports = await Promise.all([
      runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 }),
      runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 }),
    ]);
    const steps = reports.flatMap((report) => report.expired);
    expect(steps.reduce((sum, step) => sum + step.deletedEvents, 0)).toBe(300);
    const deleted = steps.filter((step) => step.deletedBlock).map((step) => step.blockId);
    expect(deleted).toHaveLength(6);
    expect(new Set(deleted).size).toBe(6);
    expect(await prisma().event.count({ where: { uploadId } })).toBe(0);
    expect(await prisma().eventBlock.count()).toBe(0);
  });

  it("passes over the blocks of an upload still being received, whatever their age", async () => {
    const { uploadId } = await oldUpload(2, 10);
    await prisma().upload.update({ where: { id: uploadId }, data: { status: "receiving" } });
    expect((await runUpkeepPass({ maxDays: 30, maxBytes: 1 }, { pauseMs: 0 })).expired).toEqual([]);
    expect(await prisma().event.count({ where: { uploadId } })).toBe(20);
  });
});
