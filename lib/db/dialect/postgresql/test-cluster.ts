import { randomBytes } from "node:crypto";
import { type PostgresCluster, sharedCluster, startCluster } from "../../../../scripts/pg-cluster.mjs";

/**
 * The PostgreSQL server for a test file: the run's shared cluster when vitest's global setup offers one
 * (vitest.global-setup.ts), else a cluster of the process's own, stopped when it exits.
 */
let clusterPromise: Promise<PostgresCluster> | undefined;

export function testCluster(): Promise<PostgresCluster> {
  clusterPromise ??= (async () => {
    const shared = process.env.KEELWATCH_PG_SHARED;
    if (shared) return sharedCluster(shared);
    const own = await startCluster();
    // On exit, not in afterAll: the first caller may be a hook or a test, where vitest takes no new hooks.
    process.once("exit", () => own.stop());
    return own;
  })();
  return clusterPromise;
}

/** A new, empty database on the test cluster; its URL. Each test file (or test) gets its own, so none sees another's rows. */
export async function createTestPostgresDatabase(prefix = "kw"): Promise<string> {
  const cluster = await testCluster();
  return cluster.createDatabase(`${prefix}_${randomBytes(6).toString("hex")}`);
}

/**
 * For a test file that runs the app on PostgreSQL: a new database, made the app's (DATABASE_URL) and brought up to
 * date as start-up does (lib/db/prepare.ts). Call it in beforeAll, before anything touches the database; the
 * caller disconnects prisma() in afterAll.
 */
export async function useTestPostgresDatabase(): Promise<string> {
  const url = await createTestPostgresDatabase();
  process.env.DATABASE_URL = url;
  const { prepareDatabase } = await import("../../prepare");
  await prepareDatabase();
  return url;
}
