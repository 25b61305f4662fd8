import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../../generated/prisma/client";
import { databaseFile } from "../../config";
import { busyTimeoutMs } from "../../pragmas";
import { databaseMode, readOnlyFileName } from "../../read-only";
import { gateTransactions } from "../../transaction-gate";

/** The SQLite Prisma client: better-sqlite3 behind the transaction gate. */
export function createSqlitePrismaClient(url: string): PrismaClient {
  const patienceMs = busyTimeoutMs();
  const file = databaseFile(url);
  const mode = databaseMode(file);
  // No busy timeout: better-sqlite3 would wait for a lock synchronously, freezing the server. The gate waits instead.
  // On a database start-up found read-only, the connection is opened read-only, as start-up could read it
  // (read-only.ts): every write then fails with SQLITE_READONLY, a 503 database_read_only.
  const adapter = new PrismaBetterSqlite3(
    mode?.writable === false
      ? { url: `file:${readOnlyFileName(file, mode.immutable)}`, readonly: true, timeout: 0 }
      : { url: `file:${file}`, timeout: 0 },
  );
  return new PrismaClient({
    adapter: gateTransactions(adapter, patienceMs),
    // A transaction may wait its turn, and then for the lock, as long as a statement waits for the lock; it must
    // end with SQLite's busy error (a 503 database_busy), not with Prisma's own 2 s and 5 s limits.
    transactionOptions: { maxWait: patienceMs, timeout: patienceMs + 5_000 },
  });
}
