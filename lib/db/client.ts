import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { databaseFile, databaseUrl } from "./config";
import { BUSY_TIMEOUT_MS } from "./pragmas";
import { gateTransactions } from "./transaction-gate";

/**
 * One Prisma client per process. Only lib/db may import this module: every
 * other part of the app reaches the database through the query modules here.
 * The global keeps Next's dev-mode reloads from opening a client per reload.
 */
const globalForPrisma = globalThis as unknown as { keelwatchPrisma?: PrismaClient };

export function createPrismaClient(url: string = databaseUrl()): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile(url)}`, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter: gateTransactions(adapter) });
}

export function prisma(): PrismaClient {
  globalForPrisma.keelwatchPrisma ??= createPrismaClient();
  return globalForPrisma.keelwatchPrisma;
}
