import { afterAll } from "vitest";
import { closeBatchWriter } from "./batch-writer";
import { prisma } from "./client";
import { createTestDatabase } from "./test-database";

/**
 * For a test file: a fresh migrated database that the app's Prisma client
 * uses (DATABASE_URL points at it), closed and deleted after the file's tests.
 * Call it at module level, before anything touches the database.
 */
export function setUpTestDatabase(): ReturnType<typeof createTestDatabase> {
  const database = createTestDatabase();
  process.env.DATABASE_URL = database.url;
  afterAll(async () => {
    await prisma().$disconnect();
    await closeBatchWriter();
    database.cleanup();
  });
  return database;
}
