import type { NextResponse } from "next/server";
import { connectionLost, type StorageProblem, storageErrorCode, storageProblem } from "../db/storage-problem";
import { errorResponse } from "./http";

// Classifying the error is lib/db's; answering it over HTTP is this module's.
export { type StorageProblem, sqliteCode, storageProblem } from "../db/storage-problem";

/**
 * The database refusing a write for a reason outside the request (another
 * process holds the lock, the file is read-only, the disk is full, the disk
 * fails) is not a bug to hide behind a bare 500: the client gets a status and
 * a message that say what is wrong and whether retrying can help.
 */

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
      "The database is read-only: nothing can be stored (uploads, changes, sign-ins) until its file and folder are " +
      "writable again and Keelwatch is restarted. Reading still works for existing sessions and API tokens.",
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

/**
 * PostgreSQL out of reach or the connection dropped (a restart, a failover, the network): nothing about the request
 * was wrong, and another instance or the same one a little later may serve it.
 */
const UNREACHABLE = {
  status: 503,
  code: "database_unreachable",
  message:
    "The database could not be reached, or it dropped the connection. Nothing more was stored; try again shortly.",
  retryAfter: 5,
};

/** The JSON error for a storage failure, or null when `error` is something else (let it surface). */
export function storageErrorResponse(error: unknown, details?: unknown): NextResponse | null {
  const problem = storageProblem(error);
  const answer = problem ? RESPONSES[problem] : connectionLost(error) ? UNREACHABLE : null;
  if (!answer) return null;
  const { status, code, message, retryAfter } = answer;
  const response = errorResponse(status, code, message, details);
  if (retryAfter) response.headers.set("Retry-After", String(retryAfter));
  return response;
}

/**
 * Wraps an exported route handler that writes: a storage failure anywhere in it
 * becomes the JSON error above (logged once per request with its SQLite, PostgreSQL or connection error code),
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
        `keelwatch: ${request.method} ${new URL(request.url).pathname} answered ${response.status}: ${storageErrorCode(error)}`,
      );
      return response;
    }
  };
}
