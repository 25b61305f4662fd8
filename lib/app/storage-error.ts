import type { NextResponse } from "next/server";
import { errorResponse } from "./http";

/**
 * The database refusing a write for a reason outside the request (another
 * process holds the lock, the file is read-only, the disk is full, the disk
 * fails) is not a bug to hide behind a bare 500: the client gets a status and
 * a message that say what is wrong and whether retrying can help.
 */

export type StorageProblem = "busy" | "read_only" | "full" | "io";

const RESPONSES: Record<StorageProblem, { status: number; code: string; message: string; retryAfter?: number }> = {
  busy: {
    status: 503,
    code: "database_busy",
    message: "The database is busy: another process held its lock for too long. Nothing was stored; try again shortly.",
    retryAfter: 5,
  },
  read_only: {
    status: 503,
    code: "database_read_only",
    message:
      "The database is read-only: nothing can be stored until its file (and folder) are writable again. Reading still works.",
  },
  full: {
    status: 507,
    code: "storage_full",
    message:
      "The disk holding the database is full: nothing more can be stored until space is freed. Reading still works.",
  },
  io: {
    status: 503,
    code: "storage_error",
    message:
      "The database could not write to its disk (I/O error). Nothing more was stored; check the server's storage.",
  },
};

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

export function storageProblem(error: unknown): StorageProblem | null {
  const code = sqliteCode(error);
  return code ? classify(code) : null;
}

/** The JSON error for a storage failure, or null when `error` is something else (let it surface). */
export function storageErrorResponse(error: unknown, details?: unknown): NextResponse | null {
  const problem = storageProblem(error);
  if (!problem) return null;
  const { status, code, message, retryAfter } = RESPONSES[problem];
  const response = errorResponse(status, code, message, details);
  if (retryAfter) response.headers.set("Retry-After", String(retryAfter));
  return response;
}

/**
 * Wraps an exported route handler that writes: a storage failure anywhere in it
 * becomes the JSON error above (logged once per request with its SQLite code),
 * any other error is rethrown for Next to report. The handler's own answers are untouched.
 */
export function withStorageErrors<Args extends [Request, ...unknown[]], Result extends Response>(
  handler: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result | NextResponse> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const response = storageErrorResponse(error);
      if (!response) throw error;
      const [request] = args;
      console.warn(
        `keelwatch: ${request.method} ${new URL(request.url).pathname} answered ${response.status}: ${sqliteCode(error)}`,
      );
      return response;
    }
  };
}
