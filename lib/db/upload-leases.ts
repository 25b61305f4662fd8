import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { prisma } from "./client";

/**
 * Upload leases (issue 22): several app instances may share one database, so an upload still "receiving" may
 * belong to a live instance. The instance that creates the row holds its lease (Upload.leaseHolder,
 * Upload.leaseExpiresAt) and renews it while it receives the upload; an upload whose lease has expired was cut off
 * (its instance crashed, was killed, or lost the database for longer than the lease) and any instance marks it
 * interrupted: at start-up and every SWEEP_MS after. A row without a lease (written before this existed) counts as
 * expired. One timer per process renews every upload it holds in one statement.
 */

/** The lease's length unless KEELWATCH_UPLOAD_LEASE_MS says otherwise. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * The lease's timings from the environment. KEELWATCH_UPLOAD_LEASE_MS (a whole number of milliseconds, at least
 * 1,000) shortens the lease for tests that wait for one to expire (stress/pg-kill-during-upload.stress.ts); the
 * renewal and the sweep keep their shares of it, so a shorter lease is still renewed four times before it lapses.
 */
export function leaseTimesFromEnv(env: Record<string, string | undefined> = process.env): {
  leaseMs: number;
  renewMs: number;
  sweepMs: number;
} {
  const raw = env.KEELWATCH_UPLOAD_LEASE_MS;
  let leaseMs = DEFAULT_LEASE_MS;
  if (raw !== undefined && raw !== "") {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1_000) {
      throw new Error(`KEELWATCH_UPLOAD_LEASE_MS must be a whole number of milliseconds, at least 1000; got "${raw}"`);
    }
    leaseMs = value;
  }
  return { leaseMs, renewMs: Math.round(leaseMs / 4), sweepMs: Math.round(leaseMs / 2) };
}

const times = leaseTimesFromEnv();
/** How long a lease lasts without renewal: well past a renewal missed to a busy database. */
export const LEASE_MS = times.leaseMs;
/** How often the holder renews: four chances per lease. */
export const RENEW_MS = times.renewMs;
/** How often a server looks for expired leases. */
export const SWEEP_MS = times.sweepMs;

/**
 * Where this process's pids mean something: the host and, on Linux, the pid namespace (containers that share a host
 * name, with --network host say, each have their own pids).
 */
function pidSpace(): string {
  try {
    return `${os.hostname()}/${fs.readlinkSync("/proc/self/ns/pid")}`;
  } catch {
    return os.hostname();
  }
}

/** Lease holders of this pid space start with this; the pid follows. */
export const PID_SPACE_PREFIX = `${pidSpace()}:`;
/** This process, as an upload's lease holder: its pid space, pid and a random part (pids repeat across restarts). */
export const INSTANCE_ID = `${PID_SPACE_PREFIX}${process.pid}:${randomBytes(4).toString("hex")}`;

const held = new Set<string>();
let renewer: NodeJS.Timeout | null = null;

/** A new lease's fields, for the row being created. */
export function newLease(now: number = Date.now(), leaseMs: number = LEASE_MS) {
  return { leaseHolder: INSTANCE_ID, leaseExpiresAt: new Date(now + leaseMs) };
}

/** Renews the leases of every upload this process holds; rows no longer "receiving" are left alone. */
export async function renewHeldLeases(now: number = Date.now(), leaseMs: number = LEASE_MS): Promise<number> {
  if (held.size === 0) return 0;
  const result = await prisma().upload.updateMany({
    where: { id: { in: [...held] }, status: "receiving", leaseHolder: INSTANCE_ID },
    data: { leaseExpiresAt: new Date(now + leaseMs) },
  });
  return result.count;
}

/**
 * Keeps renewing `uploadId`'s lease until the returned release() is called (in a finally: the upload ended, or
 * failed). A renewal that fails is logged and tried at the next tick; the lease's length covers a few.
 */
export function holdLease(uploadId: string, renewMs: number = RENEW_MS): () => void {
  held.add(uploadId);
  renewer ??= setInterval(() => {
    renewHeldLeases().catch((error: unknown) => {
      console.error(`keelwatch: could not renew upload leases: ${error instanceof Error ? error.message : error}`);
    });
  }, renewMs).unref();
  return () => {
    held.delete(uploadId);
    if (held.size === 0 && renewer) {
      clearInterval(renewer);
      renewer = null;
    }
  };
}

/** The uploads a sweep marked interrupted, by what showed that nobody receives them any more. */
export interface InterruptedUploads {
  /** Their holder was a process of this pid space that no longer runs: known dead, whatever the lease says. */
  holderEnded: number;
  /** Their lease ran out: the holder stopped renewing it (it ended, or lost the database); where it ran, not known. */
  leaseExpired: number;
  /** Written before leases existed: nothing to go by but that they still say "receiving". */
  withoutLease: number;
}

/**
 * Uploads still "receiving" that nobody is receiving any more were cut off (a crash, a kill, a restart): mark them
 * failed so nobody waits on them. What they stored stays, and sending the file again fills in the rest without
 * duplicates. Cut off means: its holder was a process of this pid space that no longer runs (a server restarted on
 * the same machine need not wait out the lease), or the lease expired, or there is none. Uploads whose lease still
 * runs and whose holder may be alive belong to a live instance, this one or another, and are left alone. The holders
 * known to have ended are looked at first, so that the answer says so rather than only that their lease ran out.
 */
export async function failInterruptedUploads(now: Date = new Date()): Promise<InterruptedUploads> {
  const interrupted = {
    status: "failed",
    failureReason: "interrupted: the server stopped during the upload",
    finishedAt: now,
    leaseExpiresAt: null,
  };
  const local = await prisma().upload.findMany({
    where: { status: "receiving", leaseHolder: { startsWith: PID_SPACE_PREFIX } },
    select: { id: true, leaseHolder: true },
  });
  const orphaned = local.filter((row) => !processRuns(holderPid(row.leaseHolder)));
  let holderEnded = 0;
  for (const row of orphaned) {
    // The holder in the condition: a row that another instance took over meanwhile is not touched.
    const result = await prisma().upload.updateMany({
      where: { id: row.id, status: "receiving", leaseHolder: row.leaseHolder },
      data: interrupted,
    });
    holderEnded += result.count;
  }
  const expired = await prisma().upload.updateMany({
    where: { status: "receiving", leaseExpiresAt: { lt: now } },
    data: interrupted,
  });
  const withoutLease = await prisma().upload.updateMany({
    where: { status: "receiving", leaseExpiresAt: null },
    data: interrupted,
  });
  return { holderEnded, leaseExpired: expired.count, withoutLease: withoutLease.count };
}

/**
 * The log line for a sweep that marked uploads interrupted (null when it marked none): how many, and what showed
 * each was cut off, so an operator reading it knows whether a process was seen to end or only its lease to lapse.
 */
export function describeInterruptedUploads(marked: InterruptedUploads): string | null {
  const total = marked.holderEnded + marked.leaseExpired + marked.withoutLease;
  if (total === 0) return null;
  const reasons: [number, string, string][] = [
    [
      marked.holderEnded,
      "the process on this machine that received them has ended",
      "whose process on this machine has ended",
    ],
    [marked.leaseExpired, "their lease expired", "whose lease expired"],
    [marked.withoutLease, "they held no lease", "without a lease"],
  ];
  const present = reasons.filter(([count]) => count > 0);
  const why =
    present.length === 1 ? (present[0]?.[1] ?? "") : present.map(([count, , some]) => `${count} ${some}`).join(", ");
  return `keelwatch: marked ${total} interrupted upload(s) as failed (${why})`;
}

function holderPid(holder: string | null): number {
  return Number((holder ?? "").slice(PID_SPACE_PREFIX.length).split(":")[0]);
}

/** Whether a process with this pid runs here (signal 0 only checks); an unreadable pid counts as running. */
function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** The periodic check of a server: every SWEEP_MS, cut-off uploads are marked interrupted. stop() ends it. */
export function startInterruptedUploadSweep(intervalMs: number = SWEEP_MS): () => void {
  const timer = setInterval(() => {
    failInterruptedUploads()
      .then((marked) => {
        const line = describeInterruptedUploads(marked);
        if (line) console.log(line);
      })
      .catch((error: unknown) => {
        console.error(
          `keelwatch: could not check for interrupted uploads: ${error instanceof Error ? error.message : error}`,
        );
      });
  }, intervalMs).unref();
  return () => clearInterval(timer);
}
