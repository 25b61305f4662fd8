/**
 * Which storage failure an error is: the database refusing a write for a
 * reason outside the request (another process holds the lock, the file is
 * read-only, the disk is full or failing). Pure, so lib/db can tell a busy
 * database from a bug without the HTTP layer; lib/app/storage-error turns the
 * answer into a response. A lost connection to PostgreSQL (connectionLost) is
 * told apart too, for callers that retry what may pass later
 * (transientStorageFailure).
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
 * The layers of an error, outermost first: the error and its causes, a few levels deep, since callers may wrap errors
 * again.
 */
function* layersOf(error: unknown): Generator<ErrorLayer> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const layer = current as ErrorLayer;
    yield layer;
    current = layer.cause;
  }
}

interface ErrorLayer {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
  cause?: unknown;
}

/**
 * The codes an error carries, outermost first. better-sqlite3 throws SqliteError with `code`, node-postgres its
 * DatabaseError with `code` (a SQLSTATE) and Node's socket errors with `code` (ECONNREFUSED …); Prisma wraps the
 * driver's error as `meta.driverAdapterError.cause.originalCode`, and inside a transaction lets the adapter's
 * DriverAdapterError through (`cause.originalCode`).
 */
function* codesOf(error: unknown): Generator<string> {
  for (const layer of layersOf(error)) {
    for (const code of [layer.meta?.driverAdapterError?.cause?.originalCode, layer.originalCode, layer.code]) {
      if (typeof code === "string") yield code;
    }
  }
}

/** The SQLite code behind an error (SQLITE_BUSY, SQLITE_READONLY_DBMOVED, …), or null. */
export function sqliteCode(error: unknown): string | null {
  for (const code of codesOf(error)) if (code.startsWith("SQLITE_")) return code;
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

/** The PostgreSQL SQLSTATE behind an error, when it is one of POSTGRES_PROBLEMS (sqliteCode says where it looks). */
export function postgresCode(error: unknown): string | null {
  for (const code of codesOf(error)) if (Object.hasOwn(POSTGRES_PROBLEMS, code)) return code;
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

/**
 * The codes of a database that could not be reached or dropped the connection. Prisma's: P1001 can't reach the
 * server, P1002 reached it but timed out, P1008 an operation timed out, P1017 the server closed the connection, P2024
 * no connection of the pool came free in time. Node's socket errors. PostgreSQL's SQLSTATEs: class 08 (connection
 * exception, matched below), 57P01-57P03 (the server is shutting down, crashed, or not accepting connections yet).
 */
const CONNECTION_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
]);

/** @prisma/adapter-pg's names for the same (a DriverAdapterError's `cause.kind`). */
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/**
 * node-postgres' errors for a connection that went away, which carry no code: the server ended it mid-query
 * ("Connection terminated unexpectedly"), or no connection could be made in time.
 */
const CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/**
 * Whether the database could not be reached or lost the connection (PostgreSQL is a server: it restarts, fails over,
 * and its network fails). Nothing about the statement was wrong; the same one may go through once it is back.
 */
export function connectionLost(error: unknown): boolean {
  for (const code of codesOf(error)) {
    if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  for (const layer of layersOf(error)) {
    const kind = layer.meta?.driverAdapterError?.cause?.kind ?? layer.kind;
    if (typeof kind === "string" && CONNECTION_KINDS.has(kind)) return true;
    if (typeof layer.message === "string" && CONNECTION_MESSAGES.test(layer.message)) return true;
  }
  return false;
}

/**
 * Whether the same write may go through later, unchanged: the database refused it for a reason outside the write (a
 * storage problem: busy, read-only, full, a failing disk — each can be put right while the server runs) or could not
 * be reached. Anything else fails the same way every time: a constraint, a value a column cannot hold, a row that is
 * gone, a bug.
 */
/** The code to name in a log line: the SQLite code, the PostgreSQL SQLSTATE or the connection error's code. */
export function storageErrorCode(error: unknown): string | null {
  const known = sqliteCode(error) ?? postgresCode(error);
  if (known) return known;
  for (const code of codesOf(error)) {
    if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return code;
  }
  for (const layer of layersOf(error)) {
    const kind = layer.meta?.driverAdapterError?.cause?.kind ?? layer.kind;
    if (typeof kind === "string" && CONNECTION_KINDS.has(kind)) return kind;
  }
  return connectionLost(error) ? "connection lost" : null;
}

export function transientStorageFailure(error: unknown): boolean {
  return storageProblem(error) !== null || connectionLost(error);
}
