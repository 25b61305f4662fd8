import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma } from "../generated/prisma/client";
import { prisma } from "./client";
import { BUSY_TIMEOUT_MS } from "./pragmas";
import { storageProblem } from "./storage-problem";

/**
 * Runs `work` again while it fails because the database is busy, pausing
 * asynchronously (1, 2, 4 … up to 100 ms) so the lock holder can finish,
 * until `patienceMs` have passed; then the busy error surfaces (a 503
 * `database_busy` for HTTP callers).
 *
 * Two kinds of callers need it. The batch writer's thread never waits inside
 * SQLite, so it retries here. And a Prisma transaction that reads and then
 * writes cannot wait either: SQLite begins it DEFERRED, its first read takes a
 * snapshot, and if the batch writer commits before its first write, that write
 * fails at once with SQLITE_BUSY_SNAPSHOT. Running the whole transaction again
 * reads the new snapshot. `work` must therefore be a whole transaction, safe
 * to run twice because a failed run left nothing behind.
 */
export async function retryWhenBusy<T>(work: () => Promise<T>, patienceMs: number = BUSY_TIMEOUT_MS): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (storageProblem(error) !== "busy" || Date.now() - started >= patienceMs) throw error;
    }
    await sleep(Math.min(100, 2 ** attempt));
  }
}

/**
 * A Prisma interactive transaction that reads before it writes, run again
 * whole when the database is busy (see retryWhenBusy): the app's
 * read-check-write changes (alert PATCH, bulk triage, user changes, closing
 * the alerts an exception covers) go through here. `work` must leave nothing
 * outside the transaction behind, since it may run more than once.
 */
export function retryingTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return retryWhenBusy(() => prisma().$transaction(work));
}
