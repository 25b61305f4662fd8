import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "../db/client";
import { writeLockHolder } from "../db/test-database";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { ingestEvents } from "./ingest";

/**
 * An upload meets another process's write lock at its last steps: after some
 * batches are stored, or after all of them, just before the upload's own row
 * is finished. Whatever the lock refused, the upload's row must not stay
 * "receiving": it is written once the lock is gone.
 */
const database = setUpTestDatabase();
// The app waits 10 s for a lock; the test need not. Read when the first query opens the app's connection.
process.env.KEELWATCH_BUSY_TIMEOUT_MS = "50";

const lock = writeLockHolder(database.file);
/** Events per batch: a batch's lines fill more than the 1 KiB the reader looks at before it passes any on. */
const BATCH = 10;

afterEach(() => {
  lock.release();
  vi.restoreAllMocks();
});

function eventLine(index: number): string {
  return `${JSON.stringify({
    "@timestamp": `2026-11-23T07:00:${String(index).padStart(2, "0")}.000Z`,
    event: { category: ["process"], type: ["start"], action: "exec" },
    container: { id: "c1" },
    process: { entity_id: `p${index}`, executable: "/bin/true", name: "true" },
  })}\n`;
}

/** Sends `before` lines, waits until `proceed` resolves, then sends `after` lines and ends. */
async function* pausedUpload(before: number, after: number, proceed: Promise<void>): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < before; index++) yield Buffer.from(eventLine(index));
  await proceed;
  for (let index = before; index < before + after; index++) yield Buffer.from(eventLine(index));
}

/** Starts an upload that pauses after `before` lines; `resume` sends the rest. */
function startUpload(fileName: string, before: number, after: number) {
  let resume!: () => void;
  const proceed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const result = ingestEvents(pausedUpload(before, after, proceed), {
    fileName,
    format: "ecs",
    createdById: null,
    rules: [],
    batchSize: BATCH,
  });
  // Observed through `result` by each test; this keeps an early rejection from going unhandled meanwhile.
  result.catch(() => undefined);
  return { result, resume };
}

async function storedEvents(): Promise<number> {
  return prisma().event.count();
}

async function uploadRow(fileName: string) {
  return prisma().upload.findFirstOrThrow({ where: { fileName } });
}

describe("ingestEvents when another process holds the write lock", () => {
  it("after some batches: the upload fails, keeps them, and is marked failed once the lock is gone", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await prisma().event.deleteMany();
    const upload = startUpload("partly.ndjson", BATCH, BATCH);
    // The writer thread starts with the first batch: on a busy machine that alone can take over a second.
    await vi.waitFor(async () => expect(await storedEvents()).toBe(BATCH), { timeout: 15_000 });
    lock.hold();
    upload.resume();
    await expect(upload.result).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect((await uploadRow("partly.ndjson")).status).toBe("receiving");

    lock.release();
    await vi.waitFor(async () => expect((await uploadRow("partly.ndjson")).status).toBe("failed"), {
      timeout: 5_000,
    });
    const row = await uploadRow("partly.ndjson");
    expect(row).toMatchObject({ eventsAccepted: BATCH, eventsReceived: 2 * BATCH });
    expect(row.failureReason).toMatch(/locked|busy/i);
    expect(await storedEvents()).toBe(BATCH);
  });

  it("after every batch: the caller gets the finished report, and the row says done once the lock is gone", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await prisma().event.deleteMany();
    const upload = startUpload("whole.ndjson", 2 * BATCH, 0);
    await vi.waitFor(async () => expect(await storedEvents()).toBe(2 * BATCH), { timeout: 15_000 });
    lock.hold();
    upload.resume();
    const report = await upload.result;
    expect(report).toMatchObject({ status: "done", events: { received: 2 * BATCH, accepted: 2 * BATCH } });
    expect((await uploadRow("whole.ndjson")).status).toBe("receiving");
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/could not mark upload .+ done, will retry/));

    lock.release();
    await vi.waitFor(async () => expect((await uploadRow("whole.ndjson")).status).toBe("done"), { timeout: 5_000 });
    expect(await uploadRow("whole.ndjson")).toMatchObject({ eventsAccepted: 2 * BATCH, failureReason: null });
  });
});
