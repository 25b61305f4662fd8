import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../generated/prisma/client";
import { retryWhenBusy } from "../../busy-retry";
import { createPrismaClient } from "../../client";
import { postgresCode, storageProblem } from "../../storage-problem";
import { applyPostgresMigrations } from "./migrate";
import { createTestPostgresDatabase } from "./test-cluster";

let db: PrismaClient;

beforeAll(async () => {
  const url = await createTestPostgresDatabase();
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
});
