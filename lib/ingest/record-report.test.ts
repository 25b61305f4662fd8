import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { seedUpload } from "../db/alert-test-fixtures";
import { prisma } from "../db/client";
import { writeLockHolder } from "../db/test-database";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { finishUpload, type UploadReport } from "../db/uploads";
import { recordUploadReport } from "./record-report";

const database = setUpTestDatabase();
// The app waits 10 s for a lock; the test need not. Read when the first query opens the app's connection.
process.env.KEELWATCH_BUSY_TIMEOUT_MS = "50";
const lock = writeLockHolder(database.file);

afterEach(() => {
  lock.release();
  vi.restoreAllMocks();
});

const report = { uploadId: "u-1", status: "failed", failure: "database is locked" } as UploadReport;

/** What better-sqlite3 throws when another connection holds the write lock. */
const busy = () => new Database.SqliteError("database is locked", "SQLITE_BUSY");

function flakyWrite(failures: number) {
  let calls = 0;
  const write = vi.fn(async () => {
    calls++;
    if (calls <= failures) throw busy();
  });
  return write;
}

/** A finished upload's report for a row that exists: as ingest hands it over. */
function reportFor(uploadId: string): UploadReport {
  return {
    uploadId,
    fileName: "fixture.ndjson",
    format: "ecs",
    status: "done",
    bytes: 10,
    events: { received: 1, accepted: 1, rejected: 0, duplicate: 0 },
    errors: [],
    errorCount: 0,
    alerts: { created: 0, suppressed: 0, suppressedByException: 0, duplicate: 0, byRule: {}, rules: [] },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("recordUploadReport", () => {
  it("writes once when the database accepts it", async () => {
    const write = flakyWrite(0);
    expect(await recordUploadReport(report, write, [1])).toBe(true);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it("never throws, and keeps trying in the background until the write goes through", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const write = flakyWrite(3);
    expect(await recordUploadReport(report, write, [1, 1, 1, 1, 1])).toBe(false);
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(4), { timeout: 2_000 });
    await settle();
    expect(write).toHaveBeenCalledTimes(4);
    expect(write).toHaveBeenLastCalledWith(report);
  });

  it("stops after the last pause and says so", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const write = flakyWrite(100);
    await recordUploadReport(report, write, [1, 1]);
    await vi.waitFor(() => expect(errors).toHaveBeenLastCalledWith(expect.stringMatching(/gave up .* u-1/)), {
      timeout: 2_000,
    });
    expect(write).toHaveBeenCalledTimes(3);
  });

  it("retries a write another process's lock refused, and marks the row once the lock is gone", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const upload = await prisma().upload.create({ data: { fileName: "locked.ndjson", format: "ecs" } });
    lock.hold();
    expect(await recordUploadReport(reportFor(upload.id), finishUpload, [20, 20, 20, 20, 20])).toBe(false);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(`could not mark upload ${upload.id} done, will retry`));
    lock.release();
    await vi.waitFor(
      async () => expect((await prisma().upload.findUniqueOrThrow({ where: { id: upload.id } })).status).toBe("done"),
      { timeout: 5_000 },
    );
  });

  it("gives up at once on a write the database refuses for good, naming the upload and the error", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // The row is gone (removed with the sample data, say): the update can never find it.
    const write = vi.fn(finishUpload);
    expect(await recordUploadReport(reportFor("no-such-upload"), write, [1, 1, 1])).toBe(false);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]?.[0]).toMatch(
      /^keelwatch: gave up marking upload no-such-upload done at once: the database refused the write for good, .*No record was found for an update/,
    );
    await settle();
    expect(write).toHaveBeenCalledTimes(1);
  });

  it("stops retrying when a later attempt meets a permanent refusal", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const upload = await seedUpload(prisma(), "refused-later.ndjson");
    let calls = 0;
    const write = vi.fn(async (sent: UploadReport) => {
      calls++;
      if (calls === 1) throw busy();
      await finishUpload(sent);
    });
    // A check the row's update fails every time (SQLITE_CONSTRAINT_TRIGGER), as a constraint would.
    await prisma().$executeRawUnsafe(
      `CREATE TRIGGER "refuse_test_update" BEFORE UPDATE ON "Upload" WHEN NEW."fileName" = 'refused-later.ndjson'
       BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    );
    try {
      expect(await recordUploadReport(reportFor(upload.id), write, [1, 1, 1, 1])).toBe(false);
      await vi.waitFor(() => expect(errors).toHaveBeenLastCalledWith(expect.stringMatching(/gave up .* at once/)), {
        timeout: 2_000,
      });
      await settle();
      expect(write).toHaveBeenCalledTimes(2);
      expect(errors.mock.calls.at(-1)?.[0]).toMatch(`upload ${upload.id} done`);
      // Prisma names the trigger's abort a constraint violation.
      expect(errors.mock.calls.at(-1)?.[0]).toMatch(/: .*constraint violated/);
    } finally {
      await prisma().$executeRawUnsafe(`DROP TRIGGER "refuse_test_update"`);
    }
  });
});
