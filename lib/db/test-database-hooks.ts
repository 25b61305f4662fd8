import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closeBatchWriter } from "./batch-writer";
import { prisma } from "./client";
import { applyPostgresMigrations } from "./dialect/postgresql/migrate";
import { createTestPostgresDatabase } from "./dialect/postgresql/test-cluster";
import { createTestDatabase } from "./test-database";

/**
 * For a test file: a fresh migrated database that the app's Prisma client
 * uses (DATABASE_URL points at it), closed and deleted after the file's tests.
 * Call it at module level, before anything touches the database.
 *
 * KEELWATCH_TEST_DATABASE=postgresql runs the file on PostgreSQL instead: a new database on the run's cluster
 * (lib/db/dialect/postgresql/test-cluster.ts), made and migrated before the file's own hooks run. The returned
 * `file` then names no file; tests that open it are SQLite's own.
 */
export function setUpTestDatabase(): ReturnType<typeof createTestDatabase> {
  if (process.env.KEELWATCH_TEST_DATABASE === "postgresql") return setUpPostgresTestDatabase();
  const database = createTestDatabase();
  process.env.DATABASE_URL = database.url;
  afterAll(async () => {
    await prisma().$disconnect();
    await closeBatchWriter();
    database.cleanup();
  });
  return database;
}

function setUpPostgresTestDatabase(): ReturnType<typeof createTestDatabase> {
  // No SQLite file: a path outside the work tree, so that anything opening it by mistake never leaves a file
  // in the repository (a "(postgresql)" file at its root was once committed that way).
  const database = {
    file: path.join(os.tmpdir(), "keelwatch-postgresql-run-has-no-sqlite-file"),
    url: "",
    cleanup: () => {},
  };
  beforeAll(async () => {
    database.url = await createTestPostgresDatabase();
    process.env.DATABASE_URL = database.url;
    await applyPostgresMigrations(database.url);
  });
  afterAll(async () => {
    await prisma().$disconnect();
    await closeBatchWriter();
  });
  return database;
}
