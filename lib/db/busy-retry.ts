import { setTimeout as sleep } from "node:timers/promises";
import { busyTimeoutMs } from "./pragmas";
import { storageProblem } from "./storage-problem";

/**
 * Runs `work` again while it fails because the database is busy, pausing
 * asynchronously (1, 2, 4 … up to 100 ms) so the lock holder can finish,
 * until `patienceMs` have passed; then the busy error surfaces (a 503
 * `database_busy` for HTTP callers).
 *
 * No Keelwatch connection waits inside SQLite (better-sqlite3 would wait
 * synchronously, freezing the whole server), so every busy wait is one of
 * these:
 * - the batch writer's thread retries a batch;
 * - the main connection's gate (transaction-gate.ts) retries a statement;
 * - a Prisma transaction that reads and then writes is run again whole
 *   (transactions.ts): SQLite begins it DEFERRED, its first read takes a
 *   snapshot, and if another connection commits before its first write, that
 *   write fails at once with SQLITE_BUSY_SNAPSHOT, which no wait can cure.
 *
 * `work` must be safe to run twice: a failed run left nothing behind.
 * `retryable` says which failures are worth another run (by default any busy
 * or locked database).
 */
export async function retryWhenBusy<T>(
  work: () => Promise<T>,
  patienceMs: number = busyTimeoutMs(),
  retryable: (error: unknown) => boolean = (error) => storageProblem(error) === "busy",
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!retryable(error) || Date.now() - started >= patienceMs) throw error;
    }
    await sleep(Math.min(100, 2 ** attempt));
  }
}
