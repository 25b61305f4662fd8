import { describe, expect, it, vi } from "vitest";
import { sqliteCode, storageErrorResponse, storageProblem, withStorageErrors } from "./storage-error";

/** The shape Prisma gives a driver error from the better-sqlite3 adapter. */
function prismaError(originalCode: string) {
  return Object.assign(new Error("Invalid `prisma.upload.create()` invocation: Operation has timed out"), {
    code: "P1008",
    meta: { driverAdapterError: { cause: { originalCode, originalMessage: "database is locked", kind: "x" } } },
  });
}

function sqliteError(code: string) {
  return Object.assign(new Error("attempt to write a readonly database"), { code });
}

describe("storage errors", () => {
  it("finds the SQLite code inside Prisma's error, better-sqlite3's error and wrapped causes", () => {
    expect(sqliteCode(prismaError("SQLITE_BUSY"))).toBe("SQLITE_BUSY");
    expect(sqliteCode(sqliteError("SQLITE_READONLY"))).toBe("SQLITE_READONLY");
    expect(sqliteCode(new Error("wrapped", { cause: sqliteError("SQLITE_FULL") }))).toBe("SQLITE_FULL");
    // What a failed statement inside an interactive transaction throws.
    const adapterError = Object.assign(new Error("database or disk is full"), {
      name: "DriverAdapterError",
      cause: { originalCode: "SQLITE_FULL", originalMessage: "database or disk is full", kind: "sqlite" },
    });
    expect(sqliteCode(adapterError)).toBe("SQLITE_FULL");
    expect(sqliteCode(new Error("P2002", { cause: { code: "P2002" } }))).toBeNull();
    expect(sqliteCode("SQLITE_BUSY")).toBeNull();
  });

  it("classifies lock, read-only, full and I/O failures, and nothing else", () => {
    expect(storageProblem(prismaError("SQLITE_BUSY_SNAPSHOT"))).toBe("busy");
    expect(storageProblem(sqliteError("SQLITE_LOCKED"))).toBe("busy");
    expect(storageProblem(sqliteError("SQLITE_READONLY_DBMOVED"))).toBe("read_only");
    expect(storageProblem(prismaError("SQLITE_FULL"))).toBe("full");
    expect(storageProblem(sqliteError("SQLITE_IOERR_WRITE"))).toBe("io");
    expect(storageProblem(sqliteError("SQLITE_CONSTRAINT_UNIQUE"))).toBeNull();
    expect(storageProblem(new TypeError("x is undefined"))).toBeNull();
  });

  it("counts Prisma's transaction time limits as a busy database, and no other transaction error", () => {
    const transactionError = (message: string) =>
      Object.assign(new Error(`Transaction API error: ${message}`), { code: "P2028" });
    expect(storageProblem(transactionError("Unable to start a transaction in the given time."))).toBe("busy");
    expect(
      storageProblem(
        transactionError(
          "A rollback cannot be executed on an expired transaction. The timeout for this transaction was 15000 ms",
        ),
      ),
    ).toBe("busy");
    expect(
      storageProblem(
        transactionError("Transaction already closed: A commit cannot be executed on a committed transaction."),
      ),
    ).toBeNull();
  });

  it("answers with the API's error shape, a status that says whether to retry, and Retry-After when busy", async () => {
    const busy = storageErrorResponse(prismaError("SQLITE_BUSY"));
    expect(busy?.status).toBe(503);
    expect(busy?.headers.get("retry-after")).toBe("5");
    expect(await busy?.json()).toEqual({ error: { code: "database_busy", message: expect.stringMatching(/busy/) } });

    const readOnly = storageErrorResponse(sqliteError("SQLITE_READONLY"), { uploadId: "u-1" });
    expect(readOnly?.status).toBe(503);
    expect(readOnly?.headers.get("retry-after")).toBeNull();
    expect(await readOnly?.json()).toEqual({
      error: { code: "database_read_only", message: expect.stringMatching(/read-only/), details: { uploadId: "u-1" } },
    });

    const full = storageErrorResponse(prismaError("SQLITE_FULL"));
    expect(full?.status).toBe(507);
    expect(await full?.json()).toMatchObject({ error: { code: "storage_full" } });

    expect(storageErrorResponse(new Error("boom"))).toBeNull();
  });

  it("answers PostgreSQL out of reach, or a connection it dropped, as 503 with Retry-After", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const dropped = new Error("Connection terminated unexpectedly");
    const shuttingDown = { code: "57P01", severity: "FATAL" };
    for (const error of [refused, dropped, shuttingDown, new Error("wrapped", { cause: refused })]) {
      const response = storageErrorResponse(error);
      expect(response?.status).toBe(503);
      expect(response?.headers.get("retry-after")).toBe("5");
      expect(await response?.json()).toEqual({
        error: { code: "database_unreachable", message: expect.stringMatching(/could not be reached/) },
      });
    }
    // A statement PostgreSQL refused is the request's own problem, not the connection's.
    expect(storageErrorResponse({ code: "23505", severity: "ERROR" })).toBeNull();
  });
});

describe("withStorageErrors", () => {
  const request = () => new Request("http://keelwatch.test/api/things/1", { method: "PATCH" });

  it("passes the handler's own answer through", async () => {
    const handler = withStorageErrors(async (_request: Request, id: string) => new Response(id, { status: 202 }));
    const response = await handler(request(), "abc");
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("abc");
  });

  it("answers a storage failure as its JSON error and names the route and code in one warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const handler = withStorageErrors(async (_request: Request): Promise<Response> => {
      throw prismaError("SQLITE_FULL");
    });
    const response = await handler(request());
    expect(response.status).toBe(507);
    expect(await response.json()).toMatchObject({ error: { code: "storage_full" } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith("keelwatch: PATCH /api/things/1 answered 507: SQLITE_FULL");
    warn.mockClear();
    const unreachable = withStorageErrors(async (_request: Request): Promise<Response> => {
      throw Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    });
    expect((await unreachable(request())).status).toBe(503);
    expect(warn).toHaveBeenCalledWith("keelwatch: PATCH /api/things/1 answered 503: ECONNREFUSED");
    warn.mockRestore();
  });

  it("rethrows every other error", async () => {
    const bug = new TypeError("not a storage problem");
    const handler = withStorageErrors(async (_request: Request): Promise<Response> => {
      throw bug;
    });
    await expect(handler(request())).rejects.toBe(bug);
  });
});
