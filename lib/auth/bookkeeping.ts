import { type StorageProblem, sqliteCode, storageProblem } from "@/lib/app/storage-error";
import { databaseIsReadOnly } from "../db/read-only";

/**
 * Bookkeeping writes that ride along with a read (a session's "last seen", a
 * token's "last used") must not turn a busy, read-only or full database into a
 * failed read: the write is skipped and retried by a later request. Each kind
 * of skip is logged once per process, so a read-only server does not log on
 * every request. Errors that are not storage failures are bugs and surface.
 * On a database that start-up found read-only the write is not even tried:
 * it cannot succeed before a restart, and start-up already said why.
 */
const warned = new Set<string>();

const REASONS: Record<StorageProblem, string> = {
  busy: "the database is busy",
  read_only: "the database is read-only",
  full: "the disk is full",
  io: "the disk failed to write",
};

export async function bestEffortWrite(what: string, write: () => Promise<void>): Promise<void> {
  if (databaseIsReadOnly()) return;
  try {
    await write();
  } catch (error) {
    const problem = storageProblem(error);
    if (!problem) throw error;
    const key = `${what}:${problem}`;
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(
      `keelwatch: skipped recording ${what} (${REASONS[problem]}, ${sqliteCode(error)}); the request went on, later ones retry`,
    );
  }
}

/** Lets tests see the first warning again. */
export function resetBookkeepingWarnings(): void {
  warned.clear();
}
