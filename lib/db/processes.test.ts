import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AncestryTracker } from "../enrich/ancestry";
import { eventRow, seedUpload } from "./alert-test-fixtures";
import { storeBatch } from "./batch-writer";
import { prisma } from "./client";
import { applyMigrations } from "./migrate";
import { findStoredProcesses } from "./processes";
import { setUpTestDatabase } from "./test-database-hooks";

setUpTestDatabase();

const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, second));

/** A process's fork (parent known, nothing run yet), its exec and its end, as cloud_defend reports them. */
function lifecycle(entityId: string, parentEntityId: string, executable: string) {
  return {
    fork: eventRow(1, { entityId, parentEntityId, processName: null, processExecutable: null, timestamp: at(1) }),
    exec: eventRow(2, {
      entityId,
      parentEntityId,
      processName: path.basename(executable),
      processExecutable: executable,
      timestamp: at(2),
    }),
    end: eventRow(3, {
      entityId,
      parentEntityId: null,
      processName: "ignored",
      processExecutable: "/ignored",
      timestamp: at(3),
    }),
  };
}

async function processRow(entityId: string) {
  return prisma().process.findUnique({ where: { entityId }, include: { event: { select: { line: true } } } });
}

describe("the Process table, kept by a trigger on Event", () => {
  // Either way: the fork is the earliest event, and the exec fills in the name and executable it left empty.
  const forkFilledByExec = (executable: string) => ({
    parentEntityId: "p-parent",
    processName: path.basename(executable),
    processExecutable: executable,
    timestamp: at(1),
    event: { line: 1 },
  });

  it("points at the process's earliest event and fills what it left empty from the next one", async () => {
    const upload = await seedUpload(prisma());
    const { fork, exec, end } = lifecycle("p-in-order", "p-parent", "/tmp/nc");
    await storeBatch(upload.id, [fork, exec, end], []);
    expect(await processRow("p-in-order")).toMatchObject(forkFilledByExec("/tmp/nc"));
  });

  it("gives the same row when the events arrive out of order, in separate batches", async () => {
    const upload = await seedUpload(prisma());
    const { fork, exec, end } = lifecycle("p-shuffled", "p-parent", "/usr/bin/dig");
    await storeBatch(upload.id, [end], []);
    await storeBatch(upload.id, [exec], []);
    await storeBatch(upload.id, [fork], []);
    expect(await processRow("p-shuffled")).toMatchObject(forkFilledByExec("/usr/bin/dig"));
  });

  it("is left alone by a duplicate event, and serves ancestry look-ups", async () => {
    const upload = await seedUpload(prisma());
    const { fork, exec } = lifecycle("p-dup", "p-root", "/bin/sh");
    await storeBatch(upload.id, [fork, exec], []);
    const again = await seedUpload(prisma(), "again.ndjson");
    const stored = await storeBatch(again.id, [{ ...exec, line: 9 }], []);
    expect(stored.inserted).toBe(0);

    const found = await findStoredProcesses(["p-dup", "p-unknown"]);
    expect([...found.values()]).toEqual([
      { entityId: "p-dup", parentEntityId: "p-root", executable: "/bin/sh", name: "sh" },
    ]);
    expect((await processRow("p-dup"))?.event.line).toBe(1);
  });

  it("lets a long upload's ancestry find a parent that another upload stored after the first look-up", async () => {
    let now = 0;
    const tracker = new AncestryTracker(findStoredProcesses, 1_000, { storageAnswerTtlMs: 5_000, now: () => now });
    const child = (id: string) => ({
      process: { entity_id: id, executable: "/usr/bin/nc", name: "nc", parent: { entity_id: "p-late" } },
    });
    const ancestorsOf = (event: Record<string, unknown>) =>
      (event.keelwatch as { process?: { ancestors?: { executable: string[] } } } | undefined)?.process?.ancestors
        ?.executable;
    const early = child("p-early-child");
    await tracker.enrich([early]);
    expect(ancestorsOf(early)).toBeUndefined();

    const other = await seedUpload(prisma(), "other.ndjson");
    await storeBatch(other.id, [lifecycle("p-late", "p-root", "/tmp/.x/loader").exec], []);
    now += 5_000;
    const late = child("p-late-child");
    await tracker.enrich([late]);
    expect(ancestorsOf(late)).toEqual(["/tmp/.x/loader"]);
  });

  it("loses a process's row with the event it points at (removing sample data)", async () => {
    const upload = await seedUpload(prisma());
    await storeBatch(upload.id, [lifecycle("p-removed", "p-root", "/bin/sh").exec], []);
    await prisma().event.deleteMany({ where: { uploadId: upload.id } });
    expect(await processRow("p-removed")).toBeNull();
  });
});

describe("migration process_table", () => {
  it("fills the Process table from the events already stored, then keeps it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-process-migration-"));
    try {
      const committed = path.join(import.meta.dirname, "..", "..", "prisma", "migrations");
      const migrations = path.join(dir, "migrations");
      fs.cpSync(committed, migrations, { recursive: true });
      const processTable = fs.readdirSync(migrations).find((name) => name.endsWith("_process_table"));
      if (!processTable) throw new Error("no process_table migration");
      const parked = path.join(dir, processTable);
      fs.renameSync(path.join(migrations, processTable), parked);
      const file = path.join(dir, "keelwatch.db");
      applyMigrations(file, migrations);

      const db = new Database(file);
      db.prepare(`INSERT INTO "Upload" ("id", "fileName", "format", "status") VALUES ('u', 'f', 'ecs', 'done')`).run();
      const insert = db.prepare(
        `INSERT INTO "Event" ("uploadId", "line", "contentHash", "timestamp", "entityId", "parentEntityId",
           "processName", "processExecutable", "document") VALUES ('u', ?, ?, ?, ?, ?, ?, ?, '{}')`,
      );
      // Stored out of time order: the exec first, then the earlier fork that names no executable.
      insert.run(1, "h1", "2026-11-20T10:00:02.000+00:00", "p", "parent", "nc", "/tmp/nc");
      insert.run(2, "h2", "2026-11-20T10:00:01.000+00:00", "p", "parent", null, null);
      insert.run(3, "h3", "2026-11-20T10:00:05.000+00:00", "q", null, "sh", "/bin/sh");
      insert.run(4, "h4", "2026-11-20T10:00:06.000+00:00", null, null, "orphan", "/x");
      db.close();

      fs.renameSync(parked, path.join(migrations, processTable));
      applyMigrations(file, migrations);

      const after = new Database(file);
      const rows = () =>
        after
          .prepare(
            `SELECT p."entityId", p."parentEntityId", p."processName", p."processExecutable", e."line"
             FROM "Process" p JOIN "Event" e ON e."id" = p."eventId" ORDER BY p."entityId"`,
          )
          .all();
      expect(rows()).toEqual([
        { entityId: "p", parentEntityId: "parent", processName: "nc", processExecutable: "/tmp/nc", line: 2 },
        { entityId: "q", parentEntityId: null, processName: "sh", processExecutable: "/bin/sh", line: 3 },
      ]);
      after
        .prepare(`INSERT INTO "Event" ("uploadId", "line", "contentHash", "timestamp", "entityId", "parentEntityId", "document")
        VALUES ('u', 5, 'h5', '2026-11-20T10:00:04.000+00:00', 'q', 'root', '{}')`)
        .run();
      expect(rows()[1]).toEqual({
        entityId: "q",
        parentEntityId: "root",
        processName: "sh",
        processExecutable: "/bin/sh",
        line: 5,
      });
      after.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
