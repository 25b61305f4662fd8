import { spawnSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { ingestEvents } from "../ingest/ingest";
import { prisma } from "./client";
import { prepareDatabase } from "./prepare";
import { setUpTestDatabase } from "./test-database-hooks";
import {
  DEFAULT_LEASE_MS,
  describeInterruptedUploads,
  failInterruptedUploads,
  holdLease,
  INSTANCE_ID,
  LEASE_MS,
  leaseTimesFromEnv,
  PID_SPACE_PREFIX,
  renewHeldLeases,
  startInterruptedUploadSweep,
} from "./upload-leases";

/**
 * Upload leases on a real database: SQLite here, PostgreSQL under `npm run test:postgresql`
 * (scripts/postgresql-suites.mjs), where several instances share one database.
 */
const database = setUpTestDatabase();

const LINE = JSON.stringify({
  "@timestamp": "2026-12-06T10:00:00.000Z",
  event: { kind: "event", category: ["process"], type: ["start"], action: "exec" },
  host: { name: "node-1" },
  process: { entity_id: "p-1", name: "sh", executable: "/bin/sh", pid: 10 },
});

async function receivingUpload(fileName: string, leaseHolder: string | null, leaseExpiresAt: Date | null) {
  return prisma().upload.create({
    data: { fileName, format: "ecs", status: "receiving", leaseHolder, leaseExpiresAt },
    select: { id: true },
  });
}

const statusOf = async (id: string) => (await prisma().upload.findUniqueOrThrow({ where: { id } })).status;

/** The pid of a process of this machine that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

const NONE = { holderEnded: 0, leaseExpired: 0, withoutLease: 0 };

describe("upload leases", () => {
  it("an upload being received holds this instance's lease, renewed while it runs; other instances leave it alone", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowFile() {
      yield new TextEncoder().encode(`${LINE}\n`);
      await held; // the upload stays "receiving" until the test lets it finish
    }
    const ingest = ingestEvents(slowFile(), { fileName: "slow.ndjson", format: "ecs", createdById: null, rules: [] });
    let row = await prisma().upload.findFirst({ where: { fileName: "slow.ndjson" } });
    while (!row) row = await prisma().upload.findFirst({ where: { fileName: "slow.ndjson" } });
    expect(row).toMatchObject({ status: "receiving", leaseHolder: INSTANCE_ID });
    const firstExpiry = row.leaseExpiresAt?.getTime() ?? 0;
    expect(firstExpiry).toBeGreaterThan(Date.now());

    // Start-up of another instance, or the periodic check, while the lease runs: nothing is interrupted.
    expect(await failInterruptedUploads()).toEqual(NONE);
    expect((await prepareDatabase({ NODE_ENV: "test", DATABASE_URL: database.url })).writable).toBe(true);
    expect(await statusOf(row.id)).toBe("receiving");

    // The renewal moves the lease on (the timer calls the same function every RENEW_MS).
    expect(await renewHeldLeases(firstExpiry + 1_000)).toBe(1);
    const renewed = await prisma().upload.findUniqueOrThrow({ where: { id: row.id } });
    expect(renewed.leaseExpiresAt?.getTime()).toBe(firstExpiry + 1_000 + LEASE_MS);

    release();
    const report = await ingest;
    expect(report.status).toBe("done");
    const done = await prisma().upload.findUniqueOrThrow({ where: { id: row.id } });
    expect(done).toMatchObject({ status: "done", leaseExpiresAt: null });
    // Released: nothing left to renew.
    expect(await renewHeldLeases()).toBe(0);
  });

  it("marks an upload interrupted once its lease has expired, not before", async () => {
    const expiresAt = new Date(Date.now() + 45_000);
    const other = await receivingUpload("other-instance.ndjson", "elsewhere/pid:[1]:4242:cafe", expiresAt);
    expect(await failInterruptedUploads()).toEqual(NONE);
    expect(await statusOf(other.id)).toBe("receiving");
    // As another instance sees it after the holder stopped renewing.
    expect(await failInterruptedUploads(new Date(expiresAt.getTime() + 1))).toEqual({ ...NONE, leaseExpired: 1 });
    const row = await prisma().upload.findUniqueOrThrow({ where: { id: other.id } });
    expect(row).toMatchObject({ status: "failed", failureReason: "interrupted: the server stopped during the upload" });
  });

  it("marks at once an upload whose holder was a process of this machine that has ended, and one without a lease", async () => {
    const future = new Date(Date.now() + LEASE_MS);
    const orphan = await receivingUpload("orphan.ndjson", `${PID_SPACE_PREFIX}${deadPid()}:beef`, future);
    const legacy = await receivingUpload("legacy.ndjson", null, null);
    const live = await receivingUpload("live.ndjson", `${PID_SPACE_PREFIX}${process.pid}:0000`, future);
    expect(await failInterruptedUploads()).toEqual({ holderEnded: 1, leaseExpired: 0, withoutLease: 1 });
    expect(await statusOf(orphan.id)).toBe("failed");
    expect(await statusOf(legacy.id)).toBe("failed");
    expect(await statusOf(live.id)).toBe("receiving");
    await prisma().upload.update({ where: { id: live.id }, data: { status: "done" } });
  });

  it("renews only the uploads it holds and still receives", async () => {
    const mine = await receivingUpload("mine.ndjson", INSTANCE_ID, new Date(Date.now() + 1_000));
    const release = holdLease(mine.id, 60_000);
    try {
      const now = Date.now() + 10_000;
      expect(await renewHeldLeases(now)).toBe(1);
      expect((await prisma().upload.findUniqueOrThrow({ where: { id: mine.id } })).leaseExpiresAt?.getTime()).toBe(
        now + LEASE_MS,
      );
      await prisma().upload.update({ where: { id: mine.id }, data: { status: "failed" } });
      expect(await renewHeldLeases(now)).toBe(0);
    } finally {
      release();
    }
  });

  it("the sweep's log line says the holder ended when that is what it saw, not that the lease expired", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const future = new Date(Date.now() + LEASE_MS);
    const orphan = await receivingUpload("swept-orphan.ndjson", `${PID_SPACE_PREFIX}${deadPid()}:f00d`, future);
    const stop = startInterruptedUploadSweep(20);
    try {
      await vi.waitFor(() => expect(log).toHaveBeenCalled(), { timeout: 5_000 });
      expect(log.mock.calls[0]?.[0]).toBe(
        "keelwatch: marked 1 interrupted upload(s) as failed (the process on this machine that received them has ended)",
      );
    } finally {
      stop();
      log.mockRestore();
    }
    expect(await statusOf(orphan.id)).toBe("failed");
  });

  it("names each reason with its count when a sweep found uploads cut off in several ways", () => {
    expect(describeInterruptedUploads(NONE)).toBeNull();
    expect(describeInterruptedUploads({ ...NONE, leaseExpired: 2 })).toBe(
      "keelwatch: marked 2 interrupted upload(s) as failed (their lease expired)",
    );
    expect(describeInterruptedUploads({ ...NONE, withoutLease: 1 })).toBe(
      "keelwatch: marked 1 interrupted upload(s) as failed (they held no lease)",
    );
    expect(describeInterruptedUploads({ holderEnded: 1, leaseExpired: 3, withoutLease: 1 })).toBe(
      "keelwatch: marked 5 interrupted upload(s) as failed " +
        "(1 whose process on this machine has ended, 3 whose lease expired, 1 without a lease)",
    );
  });

  it("takes the lease's length from KEELWATCH_UPLOAD_LEASE_MS, renewing four times a lease and sweeping twice", () => {
    expect(leaseTimesFromEnv({})).toEqual({ leaseMs: DEFAULT_LEASE_MS, renewMs: 15_000, sweepMs: 30_000 });
    expect(leaseTimesFromEnv({ KEELWATCH_UPLOAD_LEASE_MS: "8000" })).toEqual({
      leaseMs: 8_000,
      renewMs: 2_000,
      sweepMs: 4_000,
    });
    for (const bad of ["999", "8s", "-5000", "1500.5"]) {
      expect(() => leaseTimesFromEnv({ KEELWATCH_UPLOAD_LEASE_MS: bad })).toThrow(
        `KEELWATCH_UPLOAD_LEASE_MS must be a whole number of milliseconds, at least 1000; got "${bad}"`,
      );
    }
  });
});
