import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "../db/client";
import { recordDatabaseMode } from "../db/read-only";
import { createTestDatabase, writeLockHolder } from "../db/test-database";
import { issueApiToken, principalFromApiToken } from "./api-tokens";
import { bestEffortWrite, resetBookkeepingWarnings } from "./bookkeeping";
import { principalFromSession } from "./sessions";
import { signedInUser } from "./test-helpers";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
// The app waits 10 s for a lock; the test need not. Read when the first query opens the app's connection.
process.env.KEELWATCH_BUSY_TIMEOUT_MS = "50";

/** Another process holding the write lock, as during a long upload elsewhere. */
const lock = writeLockHolder(database.file);
let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  resetBookkeepingWarnings();
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  lock.release();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const storageError = (code: string) => Object.assign(new Error("database is locked"), { code });

describe("bestEffortWrite", () => {
  it("swallows a storage failure and warns once per kind of write and reason", async () => {
    const failing = () => Promise.reject(storageError("SQLITE_READONLY"));
    await bestEffortWrite("a thing", failing);
    await bestEffortWrite("a thing", failing);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("skipped recording a thing (the database is read-only"));
    await bestEffortWrite("a thing", () => Promise.reject(storageError("SQLITE_FULL")));
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("does not even try on a database that start-up found read-only, and says nothing", async () => {
    recordDatabaseMode(database.file, { writable: false, reason: "a read-only mount", immutable: true });
    try {
      const write = vi.fn(() => Promise.resolve());
      await bestEffortWrite("a thing", write);
      expect(write).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      recordDatabaseMode(database.file, { writable: true });
    }
  });

  it("rethrows errors that are not storage failures", async () => {
    const bug = new TypeError("undefined is not a function");
    await expect(bestEffortWrite("a thing", () => Promise.reject(bug))).rejects.toBe(bug);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("sign-in bookkeeping while the database is locked", () => {
  it("a session due for refresh still signs the person in, and is refreshed once the lock is gone", async () => {
    const { user, cookieValue } = await signedInUser("busy-sam", "analyst");
    const stale = new Date(Date.now() - 60 * 60 * 1000);
    await prisma().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: stale } });

    lock.hold();
    expect(await principalFromSession(cookieValue)).toMatchObject({ kind: "user", id: user.id });
    expect(await principalFromSession(cookieValue)).toMatchObject({ kind: "user", id: user.id });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/a session's last use \(the database is busy, SQLITE_BUSY/),
    );
    const session = await prisma().session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.lastSeenAt).toEqual(stale);

    lock.release();
    await principalFromSession(cookieValue);
    const refreshed = await prisma().session.findFirstOrThrow({ where: { userId: user.id } });
    expect(refreshed.lastSeenAt.getTime()).toBeGreaterThan(stale.getTime());
  });

  it("an API token still authenticates while its last use cannot be recorded", async () => {
    const issued = await issueApiToken({ name: "busy-script", role: "ingest", expiresAt: null, createdById: null });
    lock.hold();
    expect(await principalFromApiToken(issued.token)).toMatchObject({ kind: "token", id: issued.id });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("an API token's last use (the database is busy"));
    const record = await prisma().apiToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(record.lastUsedAt).toBeNull();
  });
});
