import { afterEach, describe, expect, it } from "vitest";
import { alertDraftFixture, eventRow, seedRule, seedUpload } from "./alert-test-fixtures";
import type { AlertDraft } from "./alerts";
import { closeBatchWriter, StagedRows, storeBatch } from "./batch-writer";
import { prisma } from "./client";
import { writeLockHolder } from "./test-database";
import { setUpTestDatabase } from "./test-database-hooks";

const database = setUpTestDatabase();

const lock = writeLockHolder(database.file);
afterEach(lock.release);

/** An alert of the test's rule on the events with these content hashes, stored in this batch or an earlier one. */
function draft(ruleId: string, hashes: string[]): AlertDraft {
  const events = hashes.map((contentHash) => ({ contentHash, timestamp: new Date("2026-11-20T10:00:00.123Z") }));
  return alertDraftFixture({ id: ruleId, name: "Network tool in container" }, `${ruleId}:${hashes.join(",")}`, events);
}

const unique = () => Math.random().toString(36).slice(2);

describe("storeBatch", () => {
  it("stores events and alerts that Prisma reads back exactly, dates included", async () => {
    const upload = await seedUpload(prisma());
    const rule = await seedRule(prisma());
    const [a, b] = [unique(), unique()];
    const stored = await storeBatch(
      upload.id,
      [eventRow(1, { contentHash: a }), eventRow(2, { contentHash: b })],
      [draft(rule.id, [a, b])],
    );
    expect(stored).toMatchObject({ inserted: 2, duplicates: 0 });
    expect([...stored.createdAlerts]).toEqual([`${rule.id}:${a},${b}`]);

    const event = await prisma().event.findFirstOrThrow({ where: { contentHash: a } });
    expect(event.timestamp.toISOString()).toBe("2026-11-20T10:00:00.123Z");
    expect(event).toMatchObject({ uploadId: upload.id, line: 1, processExecutable: "/tmp/nc" });
    const alert = await prisma().alert.findFirstOrThrow({
      where: { dedupKey: `${rule.id}:${a},${b}` },
      include: { events: { orderBy: { position: "asc" }, include: { event: true } } },
    });
    expect(alert).toMatchObject({ status: "open", version: 1, uploadId: upload.id, commandLine: "nc -l 4444" });
    expect(alert.timestamp.toISOString()).toBe("2026-11-20T10:00:00.123Z");
    expect(alert.events.map((link) => link.event.contentHash)).toEqual([a, b]);
    // Found by the time range queries that compare DateTime columns.
    const inRange = await prisma().event.count({
      where: {
        contentHash: a,
        timestamp: { gte: new Date("2026-11-20T10:00:00.123Z"), lt: new Date("2026-11-20T10:00:00.124Z") },
      },
    });
    expect(inRange).toBe(1);
  });

  it("stores an event again sent once, counts it a duplicate, and links a later alert to the stored row", async () => {
    const upload = await seedUpload(prisma());
    const again = await seedUpload(prisma());
    const rule = await seedRule(prisma());
    const hash = unique();
    await storeBatch(upload.id, [eventRow(1, { contentHash: hash })], []);
    const stored = await storeBatch(
      again.id,
      [eventRow(1, { contentHash: hash }), eventRow(2, { contentHash: hash })],
      [draft(rule.id, [hash])],
    );
    expect(stored).toMatchObject({ inserted: 0, duplicates: 2 });
    expect(stored.createdAlerts.size).toBe(1);
    const rows = await prisma().event.findMany({ where: { contentHash: hash } });
    expect(rows.map((row) => row.uploadId)).toEqual([upload.id]);
    const links = await prisma().alertEvent.findMany({ where: { eventId: rows[0]!.id } });
    expect(links).toHaveLength(1);

    const repeat = await storeBatch(again.id, [], [draft(rule.id, [hash]), draft(rule.id, [hash])]);
    expect(repeat.createdAlerts.size).toBe(0);
  });

  it("records the upload's progress in the batch's own transaction, adding what the batch stored", async () => {
    const upload = await seedUpload(prisma());
    const hash = unique();
    const progress = { bytes: 400, received: 1, rejected: 0, format: "ecs" };
    await storeBatch(upload.id, [eventRow(1, { contentHash: hash })], [], { progress });
    await storeBatch(upload.id, [eventRow(2, { contentHash: hash }), eventRow(3, { contentHash: unique() })], [], {
      progress: { bytes: 900, received: 4, rejected: 1, format: "ecs" },
    });
    expect(await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).toMatchObject({
      bytesReceived: 900n,
      eventsReceived: 4,
      eventsAccepted: 3,
      eventsRejected: 1,
      eventsDuplicate: 1,
      format: "ecs",
    });
  });

  it("leaves the progress of a batch that failed unrecorded", async () => {
    const upload = await seedUpload(prisma());
    lock.hold();
    await expect(
      storeBatch(upload.id, [eventRow(1, { contentHash: unique() })], [], {
        progress: { bytes: 400, received: 1, rejected: 0, format: "ecs" },
        patienceMs: 0,
      }),
    ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    lock.release();
    expect(await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).toMatchObject({
      bytesReceived: 0n,
      eventsAccepted: 0,
    });
  });

  it("stores batches in the order they were sent, even when sent without waiting", async () => {
    const upload = await seedUpload(prisma());
    const rule = await seedRule(prisma());
    const [first, second] = [unique(), unique()];
    // The second batch's alert names an event of the first: it links only if the first is stored before it.
    const [a, b] = await Promise.all([
      storeBatch(upload.id, [eventRow(1, { contentHash: first })], []),
      storeBatch(upload.id, [eventRow(2, { contentHash: second })], [draft(rule.id, [first, second])]),
    ]);
    expect(a.inserted + b.inserted).toBe(2);
    const alert = await prisma().alert.findFirstOrThrow({
      where: { dedupKey: `${rule.id}:${first},${second}` },
      include: { events: { orderBy: { position: "asc" }, include: { event: true } } },
    });
    expect(alert.events.map((link) => link.event.contentHash)).toEqual([first, second]);
  });

  it("answers a constraint error with its SQLite code and stores nothing of the batch", async () => {
    const hash = unique();
    await expect(storeBatch("no-such-upload", [eventRow(1, { contentHash: hash })], [])).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_FOREIGNKEY",
    });
    expect(await prisma().event.count({ where: { contentHash: hash } })).toBe(0);
    // The thread goes on serving batches after a failed one.
    const upload = await seedUpload(prisma());
    expect((await storeBatch(upload.id, [eventRow(1, { contentHash: hash })], [])).inserted).toBe(1);
  });

  it("waits for another connection's write lock without blocking the event loop, then stores", async () => {
    const upload = await seedUpload(prisma());
    lock.hold();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    setTimeout(lock.release, 200);
    try {
      const hash = unique();
      const stored = await storeBatch(upload.id, [eventRow(1, { contentHash: hash })], []);
      expect(stored.inserted).toBe(1);
    } finally {
      clearInterval(ticker);
    }
    // A synchronous busy wait would have let no timer run for those 200 ms.
    expect(ticks).toBeGreaterThan(5);
  });

  it("gives up with SQLITE_BUSY after its patience, having stored nothing", async () => {
    const upload = await seedUpload(prisma());
    lock.hold();
    const hash = unique();
    await expect(
      storeBatch(upload.id, [eventRow(1, { contentHash: hash })], [], { patienceMs: 100 }),
    ).rejects.toMatchObject({
      code: "SQLITE_BUSY",
    });
    lock.release();
    expect(await prisma().event.count({ where: { contentHash: hash } })).toBe(0);
  });
});

describe("rows staged ahead of their batch", () => {
  const hashesOf = (count: number) => Array.from({ length: count }, unique);
  const storedCount = (hashes: string[]) => prisma().event.count({ where: { contentHash: { in: hashes } } });

  it("are stored chunk by chunk in one transaction with the batch's own events, alerts and progress", async () => {
    const upload = await seedUpload(prisma());
    const rule = await seedRule(prisma());
    const [a, b, c, d] = hashesOf(4);
    const staged = new StagedRows();
    staged.add([eventRow(1, { contentHash: a! }), eventRow(2, { contentHash: b! })]);
    staged.add([]);
    staged.add([eventRow(3, { contentHash: c! }), eventRow(4, { contentHash: a! })]);
    expect({ chunks: staged.chunks, rows: staged.rows }).toEqual({ chunks: 2, rows: 4 });

    const stored = await storeBatch(upload.id, [eventRow(5, { contentHash: d! })], [draft(rule.id, [c!, d!])], {
      staged,
      progress: { bytes: 1000, received: 5, rejected: 0, format: "ecs" },
    });
    expect(stored).toMatchObject({ inserted: 4, duplicates: 1 });
    expect([...stored.createdAlerts]).toEqual([`${rule.id}:${c},${d}`]);
    const events = await prisma().event.findMany({ where: { uploadId: upload.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.line, event.contentHash])).toEqual([
      [1, a],
      [2, b],
      [3, c],
      [5, d],
    ]);
    const alert = await prisma().alert.findFirstOrThrow({
      where: { dedupKey: `${rule.id}:${c},${d}` },
      include: { events: { orderBy: { position: "asc" }, include: { event: true } } },
    });
    expect(alert.events.map((link) => link.event.line)).toEqual([3, 5]);
    expect(await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).toMatchObject({
      eventsAccepted: 5,
      eventsDuplicate: 1,
    });
  });

  it("wait for another connection's lock and are then stored whole", async () => {
    const upload = await seedUpload(prisma());
    const hashes = hashesOf(3);
    const staged = new StagedRows();
    for (const [index, hash] of hashes.entries()) staged.add([eventRow(index + 1, { contentHash: hash })]);
    lock.hold();
    setTimeout(lock.release, 150);
    expect((await storeBatch(upload.id, [], [], { staged })).inserted).toBe(3);
    expect(await storedCount(hashes)).toBe(3);
  });

  it("are stored once: the same stage named again is refused, and stores nothing", async () => {
    const upload = await seedUpload(prisma());
    const staged = new StagedRows();
    staged.add([eventRow(1, { contentHash: unique() })]);
    await storeBatch(upload.id, [], [], { staged });
    const extra = unique();
    await expect(storeBatch(upload.id, [eventRow(2, { contentHash: extra })], [], { staged })).rejects.toThrow(
      "the batch writer holds none of the rows staged for this batch",
    );
    expect(await storedCount([extra])).toBe(0);
  });

  it("that a failed write has read are not stored by a second try", async () => {
    const staged = new StagedRows();
    const [hash] = hashesOf(1);
    staged.add([eventRow(1, { contentHash: hash! })]);
    await expect(storeBatch("no-such-upload", [], [], { staged })).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_FOREIGNKEY",
    });
    const upload = await seedUpload(prisma());
    await expect(storeBatch(upload.id, [], [], { staged })).rejects.toThrow(
      "the rows staged for this batch were read by a write that failed",
    );
    expect(await storedCount([hash!])).toBe(0);
  });

  it("are lost with the writer thread, and the batch then fails, storing none of its own rows either", async () => {
    const upload = await seedUpload(prisma());
    const [first, second] = hashesOf(2);
    const staged = new StagedRows();
    staged.add([eventRow(1, { contentHash: first! })]);
    await closeBatchWriter();
    await expect(storeBatch(upload.id, [eventRow(2, { contentHash: second! })], [], { staged })).rejects.toThrow(
      "nothing was stored",
    );
    expect(await storedCount([first!, second!])).toBe(0);
  });

  it("that were discarded are not stored", async () => {
    const upload = await seedUpload(prisma());
    const [hash] = hashesOf(1);
    const staged = new StagedRows();
    staged.add([eventRow(1, { contentHash: hash! })]);
    staged.discard();
    expect(await storeBatch(upload.id, [], [], { staged })).toMatchObject({ inserted: 0, duplicates: 0 });
    expect(await storedCount([hash!])).toBe(0);
  });
});
