import type { PrismaClient } from "../generated/prisma/client";
import { databaseUrl } from "./config";
import { dialect } from "./dialect";

/**
 * One Prisma client per process. Only lib/db may import this module: every
 * other part of the app reaches the database through the query modules here.
 * The global keeps Next's dev-mode reloads from opening a client per reload.
 */
const globalForPrisma = globalThis as unknown as { keelwatchPrisma?: PrismaClient };

/** A new client for `url`: SQLite's or PostgreSQL's, by the URL (lib/db/dialect). */
export function createPrismaClient(url: string = databaseUrl()): PrismaClient {
  return dialect(url).createPrismaClient(url);
}

export function prisma(): PrismaClient {
  globalForPrisma.keelwatchPrisma ??= createPrismaClient();
  return globalForPrisma.keelwatchPrisma;
}
