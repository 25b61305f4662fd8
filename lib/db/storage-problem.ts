/**
 * Which storage failure an error is: the database refusing a write for a
 * reason outside the request (another process holds the lock, the file is
 * read-only, the disk is full or failing). Pure, so lib/db can tell a busy
 * database from a bug without the HTTP layer; lib/app/storage-error turns the
 * answer into a response.
 */

export type StorageProblem = "busy" | "read_only" | "full" | "io";

/** SQLite result code names (SQLITE_BUSY, SQLITE_READONLY_DBMOVED, …) by the problem they mean. */
function classify(code: string): StorageProblem | null {
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
  if (code.startsWith("SQLITE_READONLY")) return "read_only";
  if (code === "SQLITE_FULL") return "full";
  if (code.startsWith("SQLITE_IOERR") || code === "SQLITE_CANTOPEN") return "io";
  return null;
}

/**
 * The SQLite code behind an error: better-sqlite3 throws SqliteError with
 * `code`; Prisma wraps the driver's error as `meta.driverAdapterError.cause.originalCode`,
 * and inside a transaction lets the adapter's DriverAdapterError through (`cause.originalCode`).
 * Causes are followed a few levels, since callers may wrap errors again.
 */
export function sqliteCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const record = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
    };
    for (const code of [record.meta?.driverAdapterError?.cause?.originalCode, record.originalCode, record.code]) {
      if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
    }
    current = record.cause;
  }
  return null;
}

/**
 * PostgreSQL's SQLSTATEs for the same problems. Busy: a serialization failure or deadlock (the transaction was
 * rolled back and may run again), a lock not available, too many connections. Only these codes are read: others
 * (a unique violation, a syntax error) are not storage problems.
 */
const POSTGRES_PROBLEMS: Record<string, StorageProblem> = {
  "40001": "busy",
  "40P01": "busy",
  "55P03": "busy",
  "53300": "busy",
  "25006": "read_only",
  "53100": "full",
  "58030": "io",
};

/**
 * The PostgreSQL SQLSTATE behind an error, when it is one of POSTGRES_PROBLEMS: node-postgres throws its
 * DatabaseError with `code`; Prisma's pg adapter passes it on as `originalCode`, where sqliteCode looks.
 */
export function postgresCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const record = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
    };
    for (const code of [record.meta?.driverAdapterError?.cause?.originalCode, record.originalCode, record.code]) {
      if (typeof code === "string" && Object.hasOwn(POSTGRES_PROBLEMS, code)) return code;
    }
    current = record.cause;
  }
  return null;
}

export function storageProblem(error: unknown): StorageProblem | null {
  const code = sqliteCode(error);
  if (code) return classify(code);
  const postgres = postgresCode(error);
  if (postgres) return POSTGRES_PROBLEMS[postgres] ?? null;
  return transactionOutOfTime(error) ? "busy" : null;
}

/**
 * Prisma's own limits on a transaction (P2028): it could not start in time,
 * or ran out of time. Both mean it waited on a busy database: for its turn
 * on the connection, or for another connection's lock.
 */
function transactionOutOfTime(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === "P2028" &&
    typeof message === "string" &&
    /Unable to start a transaction in the given time|expired transaction/.test(message)
  );
}
