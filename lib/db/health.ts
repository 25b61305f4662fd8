import { prisma } from "./client";
import { databaseIsReadOnly } from "./read-only";

/** "ok"; "read_only" when start-up found the database read-only and it answers reads; "unavailable" when it does not answer. */
export type DatabaseHealth = "ok" | "read_only" | "unavailable";

export async function databaseHealth(): Promise<DatabaseHealth> {
  try {
    await prisma().$queryRaw`SELECT 1`;
  } catch {
    return "unavailable";
  }
  return databaseIsReadOnly() ? "read_only" : "ok";
}
