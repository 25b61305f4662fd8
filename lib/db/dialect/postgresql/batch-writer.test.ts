import pg from "pg";
import { describe, expect, it } from "vitest";
import { eventRow, seedUpload } from "../../alert-test-fixtures";
import { StagedRows, storeBatch } from "../../batch-writer";
import { prisma } from "../../client";
import { readEventDocuments } from "../../events";
import type { EventRow } from "../../events/index";
import { getUploadDetail } from "../../uploads";
import { databaseDeadlocks, waitForLockWaits } from "./lock-waits";
import { at, toolAlertDraft as draft, setUpWriterTestDatabase } from "./writer-test-fixtures";

/**
 * The batch writer on PostgreSQL (lib/db/dialect/postgresql/batch-writer.ts) through storeBatch, as ingest calls
 * it: events in one block per batch, duplicates counted, alerts deduplicated, suppressed and linked, the upload's
 * progress; and two writers storing the same events and alerts at once, as two app instances would.
 */

const database = setUpWriterTestDatabase();

/**
 * pg_locks lists the whole cluster's locks, and the test files of a run share one cluster (each on its own
 * database): another file's writer or migration runner takes advisory locks too, so count only this database's.
 */
const THIS_DATABASE = `"database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())`;

describe("storeBatch on PostgreSQL", () => {
  it("counts an upload's bytes past 2 GiB (a large file, or a sensor stream after a few days)", async () => {
    const upload = await seedUpload(prisma());
    const progress = (bytes: number) => ({ bytes, received: 1, rejected: 0, format: "ecs" });
    await storeBatch(upload.id, [eventRow(1, { timestamp: at(1) })], [], { progress: progress(3_000_000_000) });
    expect((await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).bytesReceived).toBe(3_000_000_000n);
    const detail = await getUploadDetail(upload.id);
    expect(detail?.bytesReceived).toBe(3_000_000_000);
    expect(JSON.parse(JSON.stringify(detail)).bytesReceived).toBe(3_000_000_000);
  });

  it("stores staged and direct rows in one block, once each, with their alerts linked and the progress", async () => {
    const upload = await seedUpload(prisma());
    const rows = [1, 2, 3, 4].map((line) =>
      eventRow(line, {
        timestamp: at(line),
        entityId: `p${line}`,
        document: JSON.stringify({ line, n: "x".repeat(line) }),
      }),
    );
    const again = { ...(rows[1] as EventRow), line: 5 };
    const staged = new StagedRows();
    staged.add(rows.slice(0, 2));
    staged.add([]);
    staged.add(rows.slice(2, 3));
    const stored = await storeBatch(
      upload.id,
      [rows[3] as EventRow, again],
      [draft("d1", [rows[0] as EventRow, rows[2] as EventRow])],
      {
        staged,
        progress: { bytes: 1000, received: 5, rejected: 0, format: "ecs" },
      },
    );
    expect(stored).toEqual({
      inserted: 4,
      duplicates: 1,
      createdAlerts: new Set(["d1"]),
      duplicateHashes: [rows[1]?.contentHash],
    });

    const events = await prisma().event.findMany({ where: { uploadId: upload.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.line, event.position])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    const blocks = await prisma().eventBlock.findMany({ where: { uploadId: upload.id } });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ count: 4, liveCount: 4, minTime: at(1), maxTime: at(4) });
    expect(new Set(events.map((event) => event.blockId))).toEqual(new Set([blocks[0]?.id]));
    const documents = await readEventDocuments(events.map((event) => event.id));
    expect(events.map((event) => documents.get(event.id))).toEqual(rows.map((row) => row.document));

    const alert = await prisma().alert.findUniqueOrThrow({ where: { dedupKey: "d1" }, include: { events: true } });
    expect(alert.events.map((link) => [link.position, link.eventId])).toEqual([
      [0, events[0]?.id],
      [1, events[2]?.id],
    ]);
    expect(await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).toMatchObject({
      bytesReceived: 1000n,
      eventsReceived: 5,
      eventsAccepted: 5,
      eventsDuplicate: 1,
    });
    expect(await prisma().process.count({ where: { entityId: { in: ["p1", "p2", "p3", "p4"] } } })).toBe(4);

    // the same batch again: every event a duplicate, no block, the alert not raised twice
    const repeat = await storeBatch(upload.id, rows, [draft("d1", [rows[0] as EventRow])]);
    expect(repeat).toEqual({
      inserted: 0,
      duplicates: 4,
      createdAlerts: new Set(),
      duplicateHashes: rows.map((row) => row.contentHash),
    });
    expect(await prisma().eventBlock.count({ where: { uploadId: upload.id } })).toBe(1);
  });

  it("folds a suppressed match into its group's alert, and not a completing event stored before", async () => {
    const upload = await seedUpload(prisma());
    const [first, second, third] = [11, 12, 13].map((line) => eventRow(line, { timestamp: at(line) }));
    const group = { key: "r1\nc1", endsAt: new Date(at(11).getTime() + 5 * 60_000) };
    const one = await storeBatch(upload.id, [first as EventRow], [draft("s1", [first as EventRow], group)]);
    expect(one.createdAlerts).toEqual(new Set(["s1"]));
    const two = await storeBatch(
      upload.id,
      [second as EventRow, third as EventRow],
      [draft("s2", [second as EventRow], group), draft("s3", [third as EventRow], group)],
    );
    expect(two.createdAlerts).toEqual(new Set(["suppressed\ns2", "suppressed\ns3"]));
    const resent = await storeBatch(upload.id, [second as EventRow], [draft("s2", [second as EventRow], group)]);
    expect(resent.createdAlerts).toEqual(new Set());
    const kept = await prisma().alert.findUniqueOrThrow({ where: { dedupKey: "s1" } });
    expect(kept).toMatchObject({ suppressedCount: 2, suppressionKey: "r1\nc1", suppressionEndsAt: group.endsAt });
    expect(await prisma().alert.count({ where: { dedupKey: { in: ["s2", "s3"] } } })).toBe(0);
  });

  it("stores each event and alert once when two writers store the same batch at the same moment", async () => {
    const [a, b] = await Promise.all([seedUpload(prisma(), "a.ndjson"), seedUpload(prisma(), "b.ndjson")]);
    const rows = Array.from({ length: 300 }, (_, i) =>
      eventRow(100 + i, { timestamp: at(i % 60), entityId: `q${i % 7}` }),
    );
    const extraA = eventRow(900, { timestamp: at(1) });
    const extraB = eventRow(901, { timestamp: at(2) });
    const group = { key: "r1\nrace", endsAt: new Date(at(0).getTime() + 3_600_000) };
    // each writer's suppressed match completes on an event of its own (the same event twice would be a duplicate)
    const drafts = (upload: string, event: EventRow) => [
      draft("race-1", [rows[0] as EventRow]),
      draft(`race-suppressed-${upload}`, [event], group),
    ];
    const [first, second] = await Promise.all([
      storeBatch(a.id, [extraA, ...rows], drafts("a", extraA)),
      storeBatch(b.id, [extraB, ...rows], drafts("b", extraB)),
    ]);
    expect(first.inserted + second.inserted).toBe(302);
    expect(first.duplicates + second.duplicates).toBe(300);
    expect(await prisma().event.count({ where: { uploadId: { in: [a.id, b.id] } } })).toBe(302);
    // whichever writer lost an event's race stored a block position it does not use: live counts still add up
    const blocks = await prisma().eventBlock.findMany({ where: { uploadId: { in: [a.id, b.id] } } });
    expect(blocks.reduce((sum, block) => sum + block.liveCount, 0)).toBe(302);
    expect(await prisma().alert.count({ where: { dedupKey: "race-1" } })).toBe(1);
    const created = [...first.createdAlerts, ...second.createdAlerts];
    expect(created.filter((key) => key === "race-1")).toHaveLength(1);
    // one suppression group, one alert: the other writer's match folded into it
    const grouped = await prisma().alert.findMany({ where: { suppressionKey: "r1\nrace" } });
    expect(grouped).toHaveLength(1);
    expect(grouped[0]?.suppressedCount).toBe(1);
    const documents = await readEventDocuments(
      (await prisma().event.findMany({ where: { uploadId: { in: [a.id, b.id] } }, select: { id: true } })).map(
        (e) => e.id,
      ),
    );
    expect([...documents.values()].every((document) => typeof document === "string")).toBe(true);
  });

  it("two writers whose batches name the same suppression groups in opposite orders store both without a deadlock", async () => {
    const [a, b] = await Promise.all([seedUpload(prisma(), "order-a.ndjson"), seedUpload(prisma(), "order-b.ndjson")]);
    const endsAt = new Date(at(0).getTime() + 3_600_000);
    const [g1, g2] = [
      { key: "r1\norder-1", endsAt },
      { key: "r1\norder-2", endsAt },
    ];
    // Each group's two matches at the same time, so that either batch may store first and the other's match folds
    // into its alert (a match earlier than a group's kept alert starts one of its own).
    const [a1, a2, b1, b2] = [40, 41, 42, 43].map((line) => eventRow(line, { timestamp: at(40 + (line % 2)) })) as [
      EventRow,
      EventRow,
      EventRow,
      EventRow,
    ];
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const before = await databaseDeadlocks(admin, 0);
      // Another session holds group 1 until both batches are under way, so both reach their locks before either ends.
      await admin.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`suppression\n${g1.key}`]);
      const stores = Promise.all([
        storeBatch(a.id, [a1, a2], [draft("order-a1", [a1], g1), draft("order-a2", [a2], g2)]),
        storeBatch(b.id, [b1, b2], [draft("order-b2", [b2], g2), draft("order-b1", [b1], g1)]),
      ]);
      // Both wait for a lock: each for group 1 when a batch takes its groups in one order; batch b, taking them as its
      // drafts come, would hold group 2 while it waits.
      for (;;) {
        const waiting = await admin.query(
          `SELECT count(*) AS "n" FROM pg_locks WHERE "locktype" = 'advisory' AND NOT "granted" AND ${THIS_DATABASE}`,
        );
        if (Number(waiting.rows[0]?.n) === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const heldByBatches = await admin.query(
        `SELECT count(*) AS "n" FROM pg_locks
          WHERE "locktype" = 'advisory' AND "granted" AND "pid" <> pg_backend_pid() AND ${THIS_DATABASE}`,
      );
      expect(Number(heldByBatches.rows[0]?.n)).toBe(0);
      await admin.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`suppression\n${g1.key}`]);
      const [first, second] = await stores;
      expect([...first.createdAlerts, ...second.createdAlerts]).toHaveLength(4);
      expect(await databaseDeadlocks(admin)).toBe(before);
    } finally {
      await admin.end();
    }
    // One alert per group, the other batch's match folded into it.
    const kept = await prisma().alert.findMany({
      where: { suppressionKey: { in: [g1.key, g2.key] } },
      select: { suppressionKey: true, suppressedCount: true },
      orderBy: { suppressionKey: "asc" },
    });
    expect(kept).toEqual([
      { suppressionKey: g1.key, suppressedCount: 1 },
      { suppressionKey: g2.key, suppressedCount: 1 },
    ]);
  });

  it("two writers whose batches carry the same processes in opposite orders store both without a deadlock", async () => {
    const [earlier, a, b] = await Promise.all([
      seedUpload(prisma(), "processes-0.ndjson"),
      seedUpload(prisma(), "processes-a.ndjson"),
      seedUpload(prisma(), "processes-b.ndjson"),
    ]);
    const process = (line: number, entityId: string, minute: number) =>
      eventRow(line, { entityId, processName: entityId, timestamp: at(minute) });
    // Both processes stored already (their first events), so each batch's later events update their Process rows.
    await storeBatch(earlier.id, [process(1, "proc-1", 50), process(2, "proc-2", 50)], []);
    const watcher = new pg.Client({ connectionString: database.url });
    const holder = new pg.Client({ connectionString: database.url });
    await Promise.all([watcher.connect(), holder.connect()]);
    try {
      const before = await databaseDeadlocks(watcher, 0);
      // Another session holds proc-1's row. Batch a (proc-1 then proc-2, in its lines' order) queues for it first;
      // then batch b (proc-2 then proc-1). Stored in line order, b would hold proc-2 while it waits, and a, given
      // proc-1, would wait for b: a deadlock. Stored in one order, b waits for proc-1 holding nothing a needs.
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Process" WHERE "entityId" = 'proc-1' FOR UPDATE`);
      const storedA = storeBatch(a.id, [process(1, "proc-1", 51), process(2, "proc-2", 51)], []);
      await waitForLockWaits(watcher, { statement: `INSERT INTO "Event"`, count: 1 });
      const storedB = storeBatch(b.id, [process(1, "proc-2", 52), process(2, "proc-1", 52)], []);
      await waitForLockWaits(watcher, { statement: `INSERT INTO "Event"`, count: 2 });
      await holder.query("COMMIT");
      const [first, second] = await Promise.all([storedA, storedB]);
      expect(first.inserted + second.inserted).toBe(4);
      expect(await databaseDeadlocks(watcher)).toBe(before);
    } finally {
      await Promise.all([watcher.end(), holder.end()]);
    }
    // Ids still follow each batch's lines.
    const stored = await prisma().event.findMany({
      where: { uploadId: { in: [a.id, b.id] } },
      orderBy: { id: "asc" },
      select: { uploadId: true, line: true },
    });
    for (const upload of [a.id, b.id]) {
      expect(stored.filter((event) => event.uploadId === upload).map((event) => event.line)).toEqual([1, 2]);
    }
    expect(await prisma().process.count({ where: { entityId: { in: ["proc-1", "proc-2"] } } })).toBe(2);
  });

  it("adds a source's pushes to its stream: lines after the stream's last, counters and activity added", async () => {
    const token = await prisma().apiToken.create({
      data: { name: "sensor", role: "ingest", tokenHash: "h-sensor", prefix: "kw_" },
    });
    const stream = await prisma().upload.create({ data: { fileName: "sensor", format: "ecs", kind: "stream" } });
    await prisma().source.create({ data: { tokenId: token.id, uploadId: stream.id } });
    const push = (lines: number[], at: number) =>
      storeBatch(
        stream.id,
        lines.map((line) => eventRow(line, { timestamp: new Date(at + line) })),
        [],
        {
          progress: { bytes: 100, received: lines.length, rejected: 1, format: "ecs", additive: true },
          source: {
            tokenId: token.id,
            at,
            pushes: 1,
            rejected: 1,
            formats: ["ecs"],
            errors: [{ at: new Date(at).toISOString(), line: 9, message: "bad" }],
          },
        },
      );
    const t0 = Date.UTC(2026, 11, 6, 12, 0, 0);
    await push([1, 2], t0);
    await push([1, 2, 3], t0 + 30_000);
    const lines = await prisma().event.findMany({ where: { uploadId: stream.id }, orderBy: { line: "asc" } });
    expect(lines.map((event) => event.line)).toEqual([1, 2, 3, 4, 5]);
    expect(await prisma().upload.findUniqueOrThrow({ where: { id: stream.id } })).toMatchObject({
      bytesReceived: 200n,
      eventsReceived: 5,
      eventsRejected: 2,
      eventsAccepted: 5,
    });
    const source = await prisma().source.findUniqueOrThrow({ where: { tokenId: token.id } });
    expect(source).toMatchObject({ pushes: 2, events: 5, rejected: 2, meanGapSeconds: 30, formats: '["ecs"]' });
    expect(JSON.parse(source.latestErrors)).toHaveLength(2);
    const activity = await prisma().sourceActivity.findMany({ where: { tokenId: token.id } });
    expect(activity).toEqual([
      { tokenId: token.id, minute: new Date(t0), pushes: 2, events: 5, rejected: 2, alerts: 0 },
    ]);
  });

  it("stores an upload's batches in the order they were sent, even when sent without waiting", async () => {
    const upload = await seedUpload(prisma());
    // A big batch, then a small one whose alert names an event of the big one: it links only if the big one was
    // stored first, which the small one would otherwise overtake.
    const big = Array.from({ length: 2000 }, (_, i) => eventRow(1000 + i, { timestamp: at(i % 60) }));
    const small = eventRow(5000, { timestamp: at(30) });
    const [first, second] = await Promise.all([
      storeBatch(upload.id, big, []),
      storeBatch(upload.id, [small], [draft("ordered", [big[1999] as EventRow, small])]),
    ]);
    expect([first.inserted, second.inserted]).toEqual([2000, 1]);
    const alert = await prisma().alert.findUniqueOrThrow({ where: { dedupKey: "ordered" }, include: { events: true } });
    expect(alert.events).toHaveLength(2);
  });
});
