import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storageErrorResponse } from "../../../app/storage-error";
import type { PrismaClient } from "../../../generated/prisma/client";
import { retryWhenBusy } from "../../busy-retry";
import { createPrismaClient } from "../../client";
import { connectionLost, postgresCode, storageProblem, transientStorageFailure } from "../../storage-problem";
import { applyPostgresMigrations } from "./migrate";
import { createTestPostgresDatabase } from "./test-cluster";

let db: PrismaClient;
let url = "";

beforeAll(async () => {
  url = await createTestPostgresDatabase();
  await applyPostgresMigrations(url);
  db = createPrismaClient(url);
});
afterAll(async () => {
  await db?.$disconnect();
});

/** Two serializable transactions that each read what the other writes: the second to commit must fail. */
async function writeSkew(): Promise<unknown[]> {
  let bothRead: () => void = () => {};
  const read = new Promise<void>((resolve) => {
    let readers = 0;
    bothRead = () => {
      readers += 1;
      if (readers === 2) resolve();
    };
  });
  const run = (key: string) =>
    db.$transaction(
      async (tx) => {
        const settings = await tx.appSetting.count();
        bothRead();
        await read;
        await tx.appSetting.create({ data: { key, value: String(settings) } });
      },
      { isolationLevel: "Serializable" },
    );
  const outcomes = await Promise.allSettled([run(`a-${Math.random()}`), run(`b-${Math.random()}`)]);
  return outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
}

describe("storage problems on PostgreSQL", () => {
  it("a serialization failure through Prisma is a busy database, and retryWhenBusy runs the work again", async () => {
    const failures = await writeSkew();
    expect(failures).toHaveLength(1);
    expect(postgresCode(failures[0])).toBe("40001");
    expect(storageProblem(failures[0])).toBe("busy");

    let runs = 0;
    await retryWhenBusy(async () => {
      runs += 1;
      if (runs === 1) {
        const [failure] = await writeSkew();
        throw failure;
      }
    });
    expect(runs).toBe(2);
  });

  it("reads node-postgres' own errors and nothing that is not a storage problem", () => {
    expect(storageProblem({ code: "40P01", severity: "ERROR" })).toBe("busy");
    expect(storageProblem({ cause: { originalCode: "25006" } })).toBe("read_only");
    expect(storageProblem({ meta: { driverAdapterError: { cause: { originalCode: "53100" } } } })).toBe("full");
    expect(storageProblem({ code: "23505" })).toBeNull();
    expect(storageProblem({ code: "P2002" })).toBeNull();
  });

  it("a database out of reach or a connection the server ends is a lost connection, a transient failure", async () => {
    // A port nobody listens on: taken from the system, then freed.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
    const nowhere = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/keelwatch`);
    try {
      const unreachable = await nowhere.upload.count().then(
        () => null,
        (error: unknown) => error,
      );
      expect(unreachable).not.toBeNull();
      expect(connectionLost(unreachable)).toBe(true);
      expect(transientStorageFailure(unreachable)).toBe(true);
      // Over HTTP: 503 with Retry-After, not a bare 500.
      expect(storageErrorResponse(unreachable)?.status).toBe(503);
    } finally {
      await nowhere.$disconnect();
    }

    // The server ends the connection mid-statement (a restart, a failover, an administrator).
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const sleeping = db.$queryRawUnsafe('SELECT pg_sleep(30) AS "slept"').then(
        () => null,
        (error: unknown) => error,
      );
      for (;;) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend("pid") FROM pg_stat_activity
           WHERE "datname" = current_database() AND "query" LIKE 'SELECT pg_sleep(30)%'`,
        );
        if (rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ended = await sleeping;
      expect(ended).not.toBeNull();
      expect(connectionLost(ended)).toBe(true);
      expect(transientStorageFailure(ended)).toBe(true);
      expect(storageErrorResponse(ended)?.headers.get("retry-after")).toBe("5");
    } finally {
      await admin.end();
    }
  });

  it("a write the database refuses for good is neither a lost connection nor transient", async () => {
    const key = `once-${Math.random()}`;
    await db.appSetting.create({ data: { key, value: "1" } });
    const duplicate = await db.appSetting.create({ data: { key, value: "2" } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(duplicate).not.toBeNull();
    expect(connectionLost(duplicate)).toBe(false);
    expect(transientStorageFailure(duplicate)).toBe(false);
    const missing = await db.upload.update({ where: { id: "no-such-upload" }, data: { status: "done" } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(transientStorageFailure(missing)).toBe(false);
    expect(transientStorageFailure({ code: "22021", severity: "ERROR" })).toBe(false);
    expect(transientStorageFailure({ code: "40001", severity: "ERROR" })).toBe(true);
  });
});
